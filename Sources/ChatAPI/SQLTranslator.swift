/// Turns an admin's question into SQL over `chat_sessions` and `chat_messages`.
public protocol SQLTranslator: Sendable {
    func sql(for question: String) async throws -> String?
}

/// The offline translator: question shapes an operator asks of a chat service, each a fixed SQLite query.
public struct BuiltinSQLTranslator: SQLTranslator {
    /// Each shape: words that must all appear (any of the alternatives separated by `|`), and its SQL.
    static let shapes: [(words: [String], sql: String)] = [
        (
            ["message|messages", "per day|by day|each day|daily"],
            "SELECT date(created_at) AS day, COUNT(*) AS messages FROM chat_messages GROUP BY day ORDER BY day"
        ),
        (
            ["session|sessions|conversation|conversations", "per day|by day|each day|daily"],
            "SELECT date(created_at) AS day, COUNT(*) AS sessions FROM chat_sessions GROUP BY day ORDER BY day"
        ),
        (
            ["per user|by user|each user|per account"],
            """
            SELECT s.user_id, COUNT(m.id) AS messages FROM chat_sessions s LEFT JOIN chat_messages m \
            ON m.session_id = s.id GROUP BY s.user_id ORDER BY messages DESC
            """
        ),
        (
            ["busiest|most active|largest|biggest", "session|sessions|conversation|conversations"],
            """
            SELECT session_id, COUNT(*) AS messages FROM chat_messages GROUP BY session_id \
            ORDER BY messages DESC LIMIT 10
            """
        ),
        (
            ["latest|last|recent|newest", "message|messages"],
            """
            SELECT id, session_id, role, substr(content, 1, 200) AS content, created_at FROM chat_messages \
            ORDER BY id DESC LIMIT 20
            """
        ),
        (
            ["average|avg|mean", "latency|reply time|response time"],
            "SELECT AVG(latency_ms) AS avg_latency_ms FROM chat_messages WHERE role = 'assistant'"
        ),
        (
            ["slowest|longest to answer", "reply|replies|answer|answers|response|responses"],
            """
            SELECT id, session_id, latency_ms, created_at FROM chat_messages WHERE role = 'assistant' \
            ORDER BY latency_ms DESC LIMIT 10
            """
        ),
        (["today"], "SELECT COUNT(*) AS messages_today FROM chat_messages WHERE date(created_at) = CURRENT_DATE"),
        (["by role|per role|each role"], "SELECT role, COUNT(*) AS messages FROM chat_messages GROUP BY role"),
        (
            ["longest", "message|messages"],
            """
            SELECT id, session_id, length(content) AS characters FROM chat_messages \
            ORDER BY characters DESC LIMIT 10
            """
        ),
        (
            ["empty|without messages|no messages", "session|sessions"],
            """
            SELECT s.id, s.created_at FROM chat_sessions s LEFT JOIN chat_messages m ON m.session_id = s.id \
            WHERE m.id IS NULL
            """
        ),
        (
            ["how many|count|number of|total", "session|sessions|conversation|conversations"],
            "SELECT COUNT(*) AS sessions FROM chat_sessions"
        ),
        (["how many|count|number of|total", "message|messages"], "SELECT COUNT(*) AS messages FROM chat_messages"),
    ]

    public init() {}

    public func sql(for question: String) async throws -> String? {
        let q =
            " " + question.lowercased().map { $0.isLetter || $0.isNumber ? $0 : " " }.reduce(into: "") { $0.append($1) }
            + " "
        for shape in Self.shapes {
            let matches = shape.words.allSatisfy { alternatives in
                alternatives.split(separator: "|").contains { q.contains(" \($0) ") }
            }
            if matches { return shape.sql }
        }
        return nil
    }

    /// The shapes, for a helpful 422.
    public static let examples = [
        "how many messages?", "messages per day", "messages per user", "busiest sessions", "latest messages",
        "average reply latency", "slowest replies", "messages today", "messages by role", "sessions without messages",
    ]
}
