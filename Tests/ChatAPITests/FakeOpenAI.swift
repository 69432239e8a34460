import Foundation
import HTTPTypes
import Hummingbird
import Synchronization
import TestSupport

/// A real HTTP server on loopback that speaks the OpenAI `/chat/completions` protocol, answering what a script says:
/// the stand-in for a hosted model, which cannot run here. It records every request it was sent.
final class FakeOpenAI: Sendable {
    /// One answer: the status, the assistant's content (for a 200), a delay before answering, extra headers.
    struct Reply: Sendable {
        var status = 200
        var content = ""
        var delay: Duration = .zero
        var headers: [String: String] = [:]
    }

    /// What the server was sent.
    struct Received: Sendable {
        let authorization: String?
        let model: String?
        let messages: [[String: String]]
        /// The request asked for a stream of chunks (`"stream": true`).
        var stream = false
        var lastUserMessage: String { messages.last { $0["role"] == "user" }?["content"] ?? "" }
        var system: String { messages.first { $0["role"] == "system" }?["content"] ?? "" }
    }

    typealias Script = @Sendable (_ request: Received, _ call: Int) -> Reply

    let port: Int
    var baseURL: String { "http://127.0.0.1:\(port)/v1" }
    private let task: Task<Void, any Error>
    private let shared: SharedLog

    var received: [Received] { shared.log.withLock { $0 } }

    private init(port: Int, task: Task<Void, any Error>, shared: SharedLog) {
        self.port = port
        self.task = task
        self.shared = shared
    }

    /// Starts the server on a free loopback port.
    static func start(_ script: @escaping Script) async throws -> FakeOpenAI {
        let shared = SharedLog()
        let router = Router()
        router.post("/v1/chat/completions") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            let json = (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any] ?? [:]
            let messages = (json["messages"] as? [[String: Any]] ?? []).map { message in
                message.compactMapValues { $0 as? String }
            }
            let received = Received(
                authorization: request.headers[.authorization], model: json["model"] as? String, messages: messages,
                stream: json["stream"] as? Bool ?? false)
            let call = shared.append(received)
            let reply = script(received, call)
            if reply.delay > .zero { try await Task.sleep(for: reply.delay) }
            var headers = HTTPFields()
            if received.stream, reply.status == 200 {
                // Server-sent events as OpenAI streams them: one chunk per word, then [DONE].
                headers[.contentType] = "text/event-stream"
                var events = ""
                for word in reply.content.split(separator: " ", omittingEmptySubsequences: false).enumerated() {
                    let piece = (word.offset == 0 ? "" : " ") + word.element
                    let chunk: [String: Any] = [
                        "id": "chatcmpl-\(call)", "object": "chat.completion.chunk",
                        "choices": [["index": 0, "delta": ["content": piece]]],
                    ]
                    events +=
                        "data: " + String(decoding: try JSONSerialization.data(withJSONObject: chunk), as: UTF8.self)
                    events += "\n\n"
                }
                events += "data: [DONE]\n\n"
                return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: events)))
            }
            headers[.contentType] = "application/json"
            for (name, value) in reply.headers { headers[HTTPField.Name(name)!] = value }
            let payload: [String: Any] =
                reply.status == 200
                ? [
                    "id": "chatcmpl-\(call)", "object": "chat.completion", "model": received.model ?? "",
                    "choices": [
                        [
                            "index": 0, "message": ["role": "assistant", "content": reply.content],
                            "finish_reason": "stop",
                        ]
                    ],
                ]
                : ["error": ["message": "scripted failure", "type": "server_error"]]
            let data = try JSONSerialization.data(withJSONObject: payload)
            return Response(
                status: .init(code: reply.status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: "fake-openai"),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            })
        let task = Task(executorPreference: ServerExecutor.shared) { try await app.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else {
            task.cancel()
            throw CancellationError()
        }
        return FakeOpenAI(port: port, task: task, shared: shared)
    }

    func stop() async {
        task.cancel()
        _ = await task.result
    }

    /// The request log, shared between the route and the test.
    private final class SharedLog: Sendable {
        let log = Mutex<[Received]>([])
        func append(_ received: Received) -> Int {
            log.withLock {
                $0.append(received)
                return $0.count
            }
        }
    }
}
