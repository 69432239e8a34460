import Foundation
import GRDB

/// ``ChatStore`` on SQLite through GRDB: WAL journal (a `DatabasePool`), `synchronous=NORMAL` (durable across
/// process crashes in WAL mode; a power loss may lose the last transactions), a 5 s busy timeout, foreign keys on.
public final class SQLiteStore: ChatStore {
    /// The GRDB pool is thread-safe (GRDB serialises writes and hands out reader connections).
    let pool: DatabasePool
    public let path: String

    /// Opens (creating when needed, with its folder) the database at `path`.
    public init(path: String) throws {
        self.path = path
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        configuration.foreignKeysEnabled = true
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        pool = try DatabasePool(path: path, configuration: configuration)
    }

    public func migrate() async throws -> [Int] {
        try await pool.write { db in
            try db.execute(
                sql: """
                    CREATE TABLE IF NOT EXISTS schema_migrations (
                        version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)
                    """)
            let done = Set(try Int.fetchAll(db, sql: "SELECT version FROM schema_migrations"))
            var applied: [Int] = []
            for migration in Migration.all where !done.contains(migration.version) {
                for statement in migration.sqlite { try db.execute(sql: statement) }
                try db.execute(
                    sql: "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    arguments: [migration.version, migration.name, Timestamp.now()])
                applied.append(migration.version)
            }
            return applied
        }
    }

    public func appliedMigrations() async throws -> [Int] {
        try await pool.read { db in
            guard try db.tableExists("schema_migrations") else { return [] }
            return try Int.fetchAll(db, sql: "SELECT version FROM schema_migrations ORDER BY version")
        }
    }

    public func ping() async throws {
        _ = try await pool.read { db in try Int.fetchOne(db.cachedStatement(sql: "SELECT 1")) }
    }

    public func createUser(username: String, passwordHash: String, role: User.Role) async throws -> User {
        do {
            return try await pool.write { db in
                try db.execute(
                    sql: "INSERT INTO users (username, password_hash, role, created_at) VALUES (?, ?, ?, ?)",
                    arguments: [username, passwordHash, role.rawValue, Timestamp.now()])
                return User(id: db.lastInsertedRowID, username: username, role: role)
            }
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
            throw StoreError.duplicateUser(username)
        }
    }

    public func user(named username: String) async throws -> (User, passwordHash: String)? {
        try await pool.read { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT id, username, role, password_hash FROM users WHERE username = ?",
                    arguments: [username])
            else { return nil }
            let role = User.Role(rawValue: row["role"]) ?? .user
            return (User(id: row["id"], username: row["username"], role: role), row["password_hash"])
        }
    }
}

/// Timestamps as chat-api stores them in SQLite: ISO 8601 in UTC with milliseconds (`2026-11-26T14:00:00.123Z`),
/// which sorts as text and which SQLite's `date()` and `strftime()` read.
enum Timestamp {
    static func now() -> String { string(Date()) }

    static func string(_ date: Date) -> String {
        let seconds = date.timeIntervalSince1970
        var whole = time_t(seconds.rounded(.down))
        let millis = Int((seconds - Double(whole)) * 1000)
        var parts = tm()
        gmtime_r(&whole, &parts)
        func pad(_ n: Int32, _ width: Int) -> String {
            let s = String(n)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(Int32(millis), 3))Z"
    }
}

extension SQLiteStore {
    public func seed(username: String, passwordHash: String, sessions: Int, messages: Int) async throws -> Int {
        try await pool.write { db in
            var userID = try Int64.fetchOne(db, sql: "SELECT id FROM users WHERE username = ?", arguments: [username])
            if userID == nil {
                try db.execute(
                    sql: "INSERT INTO users (username, password_hash, role, created_at) VALUES (?, ?, 'user', ?)",
                    arguments: [username, passwordHash, Timestamp.now()])
                userID = db.lastInsertedRowID
            }
            let start = Date().addingTimeInterval(-Double(sessions * messages))
            var written = 0
            for s in 0..<sessions {
                let id = UUID().uuidString.lowercased()
                let created = Timestamp.string(start.addingTimeInterval(Double(s * messages)))
                try db.execute(
                    sql:
                        "INSERT INTO chat_sessions (id, user_id, title, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
                    arguments: [id, userID, "Demo session \(s + 1)", created, created])
                for m in 0..<messages {
                    let user = m % 2 == 0
                    try db.execute(
                        sql: """
                            INSERT INTO chat_messages (session_id, role, content, model, latency_ms, created_at)
                            VALUES (?, ?, ?, ?, ?, ?)
                            """,
                        arguments: [
                            id, user ? "user" : "assistant",
                            user ? "Demo question \(m / 2 + 1) of session \(s + 1)?" : "Demo answer \(m / 2 + 1).",
                            user ? nil : "builtin", user ? nil : 1 + (m % 7),
                            Timestamp.string(start.addingTimeInterval(Double(s * messages + m))),
                        ])
                    written += 1
                }
            }
            return written
        }
    }
}

extension SQLiteStore: HistoryStore {
    public func createToken(hash: String, userID: Int64, expiresAt: String) async throws {
        try await pool.write { db in
            try db.execute(
                sql: "INSERT INTO auth_tokens (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
                arguments: [hash, userID, Timestamp.now(), expiresAt])
        }
    }

    public func user(forTokenHash hash: String, now: String) async throws -> User? {
        try await pool.read { db in
            // (Statements asked on every request are prepared once per connection: GRDB's statement cache.)
            guard
                let row = try Row.fetchOne(
                    db.cachedStatement(
                        sql: """
                            SELECT users.id, users.username, users.role FROM auth_tokens JOIN users ON users.id = auth_tokens.user_id
                            WHERE auth_tokens.token_hash = ? AND auth_tokens.revoked_at IS NULL AND auth_tokens.expires_at > ?
                            """),
                    arguments: [hash, now])
            else { return nil }
            return User(id: row[0], username: row[1], role: User.Role(rawValue: row[2]) ?? .user)
        }
    }

    public func revokeToken(hash: String, at: String) async throws {
        try await pool.write { db in
            try db.execute(sql: "UPDATE auth_tokens SET revoked_at = ? WHERE token_hash = ?", arguments: [at, hash])
        }
    }

    public func createSession(id: String, userID: Int64, title: String) async throws -> ChatSession {
        let now = Timestamp.now()
        try await pool.write { db in
            try db.execute(
                sql: "INSERT INTO chat_sessions (id, user_id, title, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [id, userID, title, now, now])
        }
        return ChatSession(id: id, userID: userID, title: title, createdAt: now)
    }

    public func session(id: String) async throws -> ChatSession? {
        try await pool.read { db in
            try Row.fetchOne(
                db.cachedStatement(sql: "SELECT id, user_id, title, created_at FROM chat_sessions WHERE id = ?"),
                arguments: [id]
            ).map { ChatSession(id: $0[0], userID: $0[1], title: $0[2], createdAt: $0[3]) }
        }
    }

    public func sessions(userID: Int64) async throws -> [ChatSession] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql:
                    "SELECT id, user_id, title, created_at FROM chat_sessions WHERE user_id = ? ORDER BY created_at DESC",
                arguments: [userID]
            ).map { ChatSession(id: $0["id"], userID: $0["user_id"], title: $0["title"], createdAt: $0["created_at"]) }
        }
    }

    public func deleteSession(id: String) async throws {
        try await pool.write { db in try db.execute(sql: "DELETE FROM chat_sessions WHERE id = ?", arguments: [id]) }
    }

    public func addMessage(
        sessionID: String, role: String, content: String, model: String?, latencyMS: Int?
    )
        async throws -> ChatMessage
    {
        let now = Timestamp.now()
        return try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO chat_messages (session_id, role, content, model, latency_ms, created_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [sessionID, role, content, model, latencyMS, now])
            let id = db.lastInsertedRowID
            try db.execute(sql: "UPDATE chat_sessions SET updated_at = ? WHERE id = ?", arguments: [now, sessionID])
            return ChatMessage(id: id, sessionID: sessionID, role: role, content: content, createdAt: now)
        }
    }

    public func history(sessionID: String, userID: Int64, limit: Int, before: Int64?) async throws -> [ChatMessage]? {
        try await pool.read { db in
            let owner = try Int64.fetchOne(
                db.cachedStatement(sql: "SELECT user_id FROM chat_sessions WHERE id = ?"), arguments: [sessionID])
            guard owner == userID else { return nil }
            return try Self.messages(db, sessionID: sessionID, limit: limit, before: before)
        }
    }

    public func messages(sessionID: String, limit: Int, before: Int64?) async throws -> [ChatMessage] {
        try await pool.read { db in try Self.messages(db, sessionID: sessionID, limit: limit, before: before) }
    }

    static func messages(_ db: Database, sessionID: String, limit: Int, before: Int64?) throws -> [ChatMessage] {
        // The newest `limit` (before the cursor), returned oldest first.
        let statement = try db.cachedStatement(
            sql: """
                SELECT * FROM (
                    SELECT id, session_id, role, content, created_at FROM chat_messages
                    WHERE session_id = ? AND id < ? ORDER BY id DESC LIMIT ?
                ) ORDER BY id ASC
                """)
        return try Row.fetchAll(statement, arguments: [sessionID, before ?? Int64.max, limit]).map {
            ChatMessage(id: $0[0], sessionID: $0[1], role: $0[2], content: $0[3], createdAt: $0[4])
        }
    }
}
