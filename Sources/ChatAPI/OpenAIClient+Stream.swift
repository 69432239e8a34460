import AsyncHTTPClient
import Foundation
import Logging
import NIOCore

extension OpenAIClient {
    /// At most this much of a streamed answer is read (events and their framing included).
    static let maxStreamBytes = 4 << 20

    struct Chunk: Decodable {
        struct Choice: Decodable {
            struct Delta: Decodable { let content: String? }
            let delta: Delta?
        }
        let choices: [Choice]
    }

    /// The assistant's answer to `messages`, piece by piece as the endpoint streams it (`"stream": true`: server-sent
    /// events of chat completion chunks, ended by `data: [DONE]`). The whole answer within ``timeout``, at most
    /// ``maxStreamBytes`` read; 429, 5xx and connection failures are retried as ``complete(_:logger:)`` does, but only
    /// before the first piece (after it, a retry would repeat what the caller already has). An endpoint that answers
    /// with one JSON completion instead is read as one piece.
    public func stream(_ messages: [Message], logger: Logger) -> AsyncThrowingStream<String, any Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        group.addTask {
                            try await streamAttempts(messages, logger: logger) { continuation.yield($0) }
                        }
                        group.addTask {
                            try await Task.sleep(for: timeout)
                            throw Failure(description: "the model did not finish answering within \(timeout)")
                        }
                        try await group.next()
                        group.cancelAll()
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    private func streamAttempts(
        _ messages: [Message], logger: Logger, yield: @Sendable (String) -> Void
    ) async throws {
        struct Body: Encodable {
            let model: String
            let messages: [Message]
            let temperature: Double
            let stream: Bool
        }
        var request = completionsRequest(accept: "text/event-stream")
        let body = try JSONEncoder().encode(Body(model: model, messages: messages, temperature: 0, stream: true))
        var lastFailure = Failure(description: "no attempt was made")
        for attempt in 1...attempts {
            request.body = .bytes(ByteBuffer(bytes: body))
            var retryAfter: Duration? = nil
            var yielded = false
            do {
                let response = try await httpClient.execute(
                    request, timeout: .milliseconds(Int64(timeout.wholeMilliseconds)))
                switch response.status.code {
                case 200..<300:
                    if response.headers.first(name: "Content-Type")?.contains("application/json") == true {
                        let data = try await response.body.collect(upTo: Self.maxStreamBytes)
                        guard let completion = try? JSONDecoder().decode(Completion.self, from: data),
                            let content = completion.choices.first?.message.content
                        else { throw Failure(description: "the model's answer is not a chat completion") }
                        yield(content)
                        return
                    }
                    var lines = EventLines()
                    for try await buffer in response.body {
                        for line in try lines.feed(buffer) {
                            guard line.hasPrefix("data:") else { continue }
                            let data = line.dropFirst(5).trimmingCharacters(in: .whitespaces)
                            if data == "[DONE]" { return }
                            guard let chunk = try? JSONDecoder().decode(Chunk.self, from: Data(data.utf8)) else {
                                throw Failure(description: "the model's stream is not chat completion chunks")
                            }
                            if let piece = chunk.choices.first?.delta?.content, !piece.isEmpty {
                                yielded = true
                                yield(piece)
                            }
                        }
                    }
                    return  // ended without [DONE]: what came is the answer
                default:
                    (lastFailure, retryAfter) = try Self.retryable(response)
                }
            } catch let failure as Failure {
                throw failure
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                let reason =
                    (error as? HTTPClientError) == .deadlineExceeded
                    ? "the model did not answer within \(timeout)"
                    : "the model could not be reached (\(Self.reason(error)))"
                if yielded { throw Failure(description: "the model's stream broke off: \(reason)") }
                lastFailure = Failure(description: reason)
            }
            guard attempt < attempts else { break }
            try await backOff(after: attempt, lastFailure, retryAfter: retryAfter, logger: logger)
        }
        throw lastFailure
    }
}

/// The lines of a server-sent event stream as its bytes arrive (`\n`, `\r\n` or `\r` ends a line), bounded: at most
/// ``OpenAIClient/maxStreamBytes`` in all.
struct EventLines {
    private var pending: [UInt8] = []
    private var total = 0
    private var afterCR = false

    mutating func feed(_ buffer: ByteBuffer) throws -> [String] {
        total += buffer.readableBytes
        guard total <= OpenAIClient.maxStreamBytes else {
            throw OpenAIClient.Failure(
                description: "the model's answer is larger than \(OpenAIClient.maxStreamBytes >> 20) MB")
        }
        var lines: [String] = []
        let bytes = buffer.readableBytesView
        var start = bytes.startIndex
        // A LF right after a CR that ended the previous buffer belongs to that line end.
        if afterCR, start < bytes.endIndex, bytes[start] == UInt8(ascii: "\n") { start += 1 }
        afterCR = false
        while let end = bytes[start...].firstIndex(where: { $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }) {
            pending.append(contentsOf: bytes[start..<end])
            lines.append(String(decoding: pending, as: UTF8.self))
            pending.removeAll(keepingCapacity: true)
            start = end + 1
            if bytes[end] == UInt8(ascii: "\r") {
                if start == bytes.endIndex {
                    afterCR = true
                } else if bytes[start] == UInt8(ascii: "\n") {
                    start += 1
                }
            }
        }
        pending.append(contentsOf: bytes[start...])
        return lines
    }
}
