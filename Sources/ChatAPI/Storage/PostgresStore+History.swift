import Foundation
import PostgresNIO

extension PostgresStore {
    /// A session's page of messages and its owner in one round trip: the session row joined to its page (no row:
    /// no such session for this user; one row of NULLs: the session has no messages yet).
    public func history(sessionID: String, userID: Int64, limit: Int, before: Int64?) async throws -> [ChatMessage]? {
        guard UUID(uuidString: sessionID) != nil else { return nil }  // not a session id: no such session
        var owned = false
        var result: [ChatMessage] = []
        let rows = try await client.query(
            """
            SELECT page.id, page.session_id, page.role, page.content, page.created FROM chat_sessions AS s
            LEFT JOIN LATERAL (
                SELECT id, session_id::text AS session_id, role, content,
                    \(unescaped: Self.text("created_at")) AS created
                FROM chat_messages WHERE session_id = s.id AND id < \(before ?? Int64.max) ORDER BY id DESC LIMIT \(limit)
            ) AS page ON true
            WHERE s.id = \(sessionID)::uuid AND s.user_id = \(userID)
            ORDER BY page.id ASC
            """, logger: logger)
        for try await (id, sid, role, content, created) in rows.decode(
            (Int64?, String?, String?, String?, String?).self)
        {
            owned = true
            if let id, let sid, let role, let content, let created {
                result.append(ChatMessage(id: id, sessionID: sid, role: role, content: content, createdAt: created))
            }
        }
        return owned ? result : nil
    }
}
