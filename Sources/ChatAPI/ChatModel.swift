/// A model that answers a chat turn.
public protocol ChatModel: Sendable {
    var name: String { get }
    /// The reply to the last user message, given the session's recent history (oldest first).
    func reply(to history: [ChatMessage]) async throws -> String
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
}
