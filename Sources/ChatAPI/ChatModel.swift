/// A model that answers a chat turn.
public protocol ChatModel: Sendable {
    var name: String { get }
    /// The reply to the last user message, given the session's recent history (oldest first).
    func reply(to history: [ChatMessage]) async throws -> String
    /// The same reply, piece by piece as the model produces it (`POST /api/chat/stream`).
    func replyStream(to history: [ChatMessage]) -> AsyncThrowingStream<String, any Error>
}

extension ChatModel {
    /// A model that cannot stream: its whole reply, as one piece.
    public func replyStream(to history: [ChatMessage]) -> AsyncThrowingStream<String, any Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    continuation.yield(try await reply(to: history))
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}

/// The offline model: deterministic, instant, good enough for a demo and for tests. It echoes what it was told,
/// counts the conversation, and answers greetings and questions in kind.
public struct BuiltinModel: ChatModel {
    public let name = "builtin"

    public init() {}

    public func reply(to history: [ChatMessage]) async throws -> String {
        let last = history.last(where: { $0.role == "user" })?.content ?? ""
        let turns = history.filter { $0.role == "user" }.count
        let lower = last.lowercased()
        let words = last.split(whereSeparator: { $0.isWhitespace }).count
        if ["hello", "hi", "hey", "bonjour", "hola"].contains(where: { lower.hasPrefix($0) }) {
            return "Hello! I am chat-api's built-in model. Ask me anything; this is turn \(turns) of our conversation."
        }
        if last.hasSuffix("?") {
            return "You asked: \"\(last)\". I am an offline demo model, so I can only say that your question has "
                + "\(words) words and is turn \(turns) of this session."
        }
        return "Noted (\(words) words, turn \(turns)): \(last)"
    }

    /// Word by word, as a hosted model streams tokens.
    public func replyStream(to history: [ChatMessage]) -> AsyncThrowingStream<String, any Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    let text = try await reply(to: history)
                    var piece = ""
                    for character in text {
                        piece.append(character)
                        if character == " " {
                            continuation.yield(piece)
                            piece = ""
                        }
                    }
                    if !piece.isEmpty { continuation.yield(piece) }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
