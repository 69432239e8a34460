import Foundation

/// A chat session: a conversation of one user.
public struct ChatSession: Sendable, Equatable, Codable {
    public let id: String
    public let userID: Int64
    public let title: String
    public let createdAt: String

    enum CodingKeys: String, CodingKey {
        case id, title
        case userID = "user_id"
        case createdAt = "created_at"
    }
}

/// One message of a session.
public struct ChatMessage: Sendable, Equatable, Codable {
    public let id: Int64
    public let sessionID: String
    public let role: String
    public let content: String
    public let createdAt: String

    enum CodingKeys: String, CodingKey {
        case id, role, content
        case sessionID = "session_id"
        case createdAt = "created_at"
    }
}

/// Tokens, sessions and messages: the rest of ``ChatStore``.
public protocol HistoryStore: Sendable {
    /// Stores a token's hash for `userID` until `expiresAt` (an ISO 8601 timestamp).
    func createToken(hash: String, userID: Int64, expiresAt: String) async throws
    /// The user of a token that exists, is not revoked and has not expired at `now`.
    func user(forTokenHash hash: String, now: String) async throws -> User?
    func revokeToken(hash: String, at: String) async throws

    func createSession(id: String, userID: Int64, title: String) async throws -> ChatSession
    func session(id: String) async throws -> ChatSession?
    func sessions(userID: Int64) async throws -> [ChatSession]
    func deleteSession(id: String) async throws
    func addMessage(
        sessionID: String, role: String, content: String, model: String?, latencyMS: Int?
    ) async throws
        -> ChatMessage
    /// Up to `limit` messages of a session, oldest first; with `before`, those with a smaller id.
    func messages(sessionID: String, limit: Int, before: Int64?) async throws -> [ChatMessage]
    /// ``messages(sessionID:limit:before:)`` of a session that belongs to `userID`; nil when there is no such session
    /// or it is another user's. One visit to the database where the store can (a request's history is one read).
    func history(sessionID: String, userID: Int64, limit: Int, before: Int64?) async throws -> [ChatMessage]?
}

extension HistoryStore {
    public func history(sessionID: String, userID: Int64, limit: Int, before: Int64?) async throws -> [ChatMessage]? {
        guard let session = try await session(id: sessionID), session.userID == userID else { return nil }
        return try await messages(sessionID: sessionID, limit: limit, before: before)
    }
}
