import Foundation
import Logging
import NIOSSL
import PostgresNIO
import ServiceLifecycle

/// ``ChatStore`` on PostgreSQL through postgres-nio's `PostgresClient`: a connection pool between
/// `DATABASE_POOL_MIN` and `DATABASE_POOL_MAX` connections. The client works only while its ``service`` runs (in
/// the application's service group, or ``ChatStores/withStore(_:logger:_:)`` for a command).
public final class PostgresStore: ChatStore {
    public let client: PostgresClient
    let logger: Logger
    /// The schema the tables live in (the connection's `current_schema()`, `public` unless the URL says otherwise).
    let schema = "public"

    public init(url: String, poolMin: Int, poolMax: Int, logger: Logger) throws {
        var configuration = try Self.configuration(url: url)
        configuration.options.maximumConnections = max(1, poolMax)
        // The pool wants its minimum below its maximum.
        configuration.options.minimumConnections = min(poolMin, max(0, poolMax - 1))
        configuration.options.connectTimeout = .seconds(5)
        self.logger = logger
        client = PostgresClient(configuration: configuration, backgroundLogger: logger)
    }

    public var service: (any Service)? { client }

    /// A `postgresql://user:password@host:port/database?sslmode=…` URL as a client configuration. The errors never
    /// hold the URL: it carries a password.
    static func configuration(url: String) throws -> PostgresClient.Configuration {
        guard let parts = URLComponents(string: url), let scheme = parts.scheme,
            ["postgres", "postgresql"].contains(scheme)
        else {
            throw ConfigurationError.badValue("DATABASE_URL", "is not a valid postgresql:// URL")
        }
        guard let user = parts.percentEncodedUser?.removingPercentEncoding, !user.isEmpty else {
            throw ConfigurationError.badValue("DATABASE_URL", "names no user (postgresql://USER:PASSWORD@HOST/DB)")
        }
        let host = parts.host.flatMap { $0.isEmpty ? nil : $0 } ?? "127.0.0.1"
        var database = parts.path
        if database.hasPrefix("/") { database.removeFirst() }
        let query = Dictionary(
            (parts.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { _, last in last })
        let tls: PostgresClient.Configuration.TLS
        switch query["sslmode"] ?? "prefer" {
        case "disable":
            tls = .disable
        case "allow", "prefer":
            var config = TLSConfiguration.makeClientConfiguration()
            config.certificateVerification = .none  // as libpq: prefer encrypts but does not verify
            tls = .prefer(config)
        case "require":
            var config = TLSConfiguration.makeClientConfiguration()
            config.certificateVerification = .none
            tls = .require(config)
        case "verify-ca", "verify-full":
            tls = .require(.makeClientConfiguration())
        default:
            throw ConfigurationError.badValue(
                "DATABASE_URL", "sslmode must be disable, allow, prefer, require, verify-ca or verify-full")
        }
        return PostgresClient.Configuration(
            host: host, port: parts.port ?? 5432, username: user,
            password: parts.percentEncodedPassword?.removingPercentEncoding,
            database: database.isEmpty ? user : database.removingPercentEncoding, tls: tls)
    }

    /// A timestamp column as chat-api's text form (`2026-11-26T14:00:00.123Z`), the same as on SQLite.
    static func text(_ column: String) -> String {
        "to_char(\(column) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"
    }

    public func migrate() async throws -> [Int] {
        try await client.withTransaction(logger: logger) { connection in
            // One migrator at a time, whatever the number of instances starting together.
            try await connection.query("SELECT pg_advisory_xact_lock(7226104)", logger: logger)
            try await connection.query(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())
                """, logger: logger)
            var done = Set<Int>()
            for try await version in try await connection.query(
                "SELECT version FROM schema_migrations", logger: logger
            ).decode(Int.self) {
                done.insert(version)
            }
            var applied: [Int] = []
            for migration in Migration.all where !done.contains(migration.version) {
                for statement in migration.postgres {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    "INSERT INTO schema_migrations (version, name) VALUES (\(migration.version), \(migration.name))",
                    logger: logger)
                applied.append(migration.version)
            }
            return applied
        }
    }

    public func appliedMigrations() async throws -> [Int] {
        let exists =
            try await client.query("SELECT to_regclass('schema_migrations') IS NOT NULL", logger: logger)
            .collect().first?.decode(Bool.self) ?? false
        guard exists else { return [] }
        var versions: [Int] = []
        for try await v in try await client.query(
            "SELECT version FROM schema_migrations ORDER BY version", logger: logger
        ).decode(Int.self) {
            versions.append(v)
        }
        return versions
    }

    public func ping() async throws {
        // A bounded wait: with the server gone, the pool would otherwise keep the caller until it reconnects.
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                _ = try await self.client.query("SELECT 1", logger: self.logger).collect()
            }
            group.addTask {
                try await Task.sleep(for: .seconds(3))
                throw StoreError(description: "PostgreSQL did not answer within 3 s")
            }
            defer { group.cancelAll() }
            try await group.next()
        }
    }

    public func createUser(username: String, passwordHash: String, role: User.Role) async throws -> User {
        do {
            let rows = try await client.query(
                """
                INSERT INTO users (username, password_hash, role) VALUES (\(username), \(passwordHash), \(role.rawValue))
                RETURNING id
                """, logger: logger
            ).collect()
            return User(id: try rows[0].decode(Int64.self), username: username, role: role)
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23505" {
            throw StoreError.duplicateUser(username)
        }
    }

    public func user(named username: String) async throws -> (User, passwordHash: String)? {
        let rows = try await client.query(
            "SELECT id, username, role, password_hash FROM users WHERE username = \(username)", logger: logger
        ).collect()
        guard let row = rows.first else { return nil }
        let (id, name, role, hash) = try row.decode((Int64, String, String, String).self)
        return (User(id: id, username: name, role: User.Role(rawValue: role) ?? .user), hash)
    }

    public func seed(username: String, passwordHash: String, sessions: Int, messages: Int) async throws -> Int {
        try await client.withTransaction(logger: logger) { connection in
            try await connection.query(
                """
                INSERT INTO users (username, password_hash, role) VALUES (\(username), \(passwordHash), 'user')
                ON CONFLICT (username) DO NOTHING
                """, logger: logger)
            let userID = try await connection.query(
                "SELECT id FROM users WHERE username = \(username)", logger: logger
            ).collect()[0].decode(Int64.self)
            // Generated on the server: one statement per table, whatever the size.
            try await connection.query(
                """
                CREATE TEMP TABLE seed_sessions ON COMMIT DROP AS
                SELECT gen_random_uuid() AS id, s AS n FROM generate_series(1, \(sessions)) AS s
                """, logger: logger)
            let start = "now() - make_interval(secs => \(sessions * messages))"
            try await connection.query(
                """
                INSERT INTO chat_sessions (id, user_id, title, created_at, updated_at)
                SELECT id, \(userID), 'Demo session ' || n, \(unescaped: start) + make_interval(secs => (n - 1) * \(messages)),
                       \(unescaped: start) + make_interval(secs => (n - 1) * \(messages))
                FROM seed_sessions
                """, logger: logger)
            let written = try await connection.query(
                """
                INSERT INTO chat_messages (session_id, role, content, model, latency_ms, created_at)
                SELECT s.id,
                       CASE WHEN m % 2 = 0 THEN 'user' ELSE 'assistant' END,
                       CASE WHEN m % 2 = 0 THEN 'Demo question ' || (m / 2 + 1) || ' of session ' || s.n || '?'
                            ELSE 'Demo answer ' || (m / 2 + 1) || '.' END,
                       CASE WHEN m % 2 = 0 THEN NULL ELSE 'builtin' END,
                       CASE WHEN m % 2 = 0 THEN NULL ELSE 1 + m % 7 END,
                       \(unescaped: start) + make_interval(secs => (s.n - 1) * \(messages) + m)
                FROM seed_sessions s CROSS JOIN generate_series(0, \(messages) - 1) AS m
                ORDER BY s.n, m
                RETURNING 1
                """, logger: logger
            ).collect().count
            return written
        }
    }
}

extension PostgresStore: HistoryStore {
    public func createToken(hash: String, userID: Int64, expiresAt: String) async throws {
        try await client.query(
            "INSERT INTO auth_tokens (token_hash, user_id, expires_at) VALUES (\(hash), \(userID), \(expiresAt)::timestamptz)",
            logger: logger)
    }

    public func user(forTokenHash hash: String, now: String) async throws -> User? {
        let rows = try await client.query(
            """
            SELECT users.id, users.username, users.role FROM auth_tokens JOIN users ON users.id = auth_tokens.user_id
            WHERE auth_tokens.token_hash = \(hash) AND auth_tokens.revoked_at IS NULL
              AND auth_tokens.expires_at > \(now)::timestamptz
            """, logger: logger
        ).collect()
        guard let row = rows.first else { return nil }
        let (id, name, role) = try row.decode((Int64, String, String).self)
        return User(id: id, username: name, role: User.Role(rawValue: role) ?? .user)
    }

    public func revokeToken(hash: String, at: String) async throws {
        try await client.query(
            "UPDATE auth_tokens SET revoked_at = \(at)::timestamptz WHERE token_hash = \(hash)", logger: logger)
    }

    public func createSession(id: String, userID: Int64, title: String) async throws -> ChatSession {
        let rows = try await client.query(
            """
            INSERT INTO chat_sessions (id, user_id, title) VALUES (\(id)::uuid, \(userID), \(title))
            RETURNING \(unescaped: Self.text("created_at"))
            """, logger: logger
        ).collect()
        return ChatSession(id: id, userID: userID, title: title, createdAt: try rows[0].decode(String.self))
    }

    public func session(id: String) async throws -> ChatSession? {
        guard UUID(uuidString: id) != nil else { return nil }  // not a session id: no such session
        let rows = try await client.query(
            """
            SELECT id::text, user_id, title, \(unescaped: Self.text("created_at")) FROM chat_sessions WHERE id = \(id)::uuid
            """, logger: logger
        ).collect()
        guard let row = rows.first else { return nil }
        let (sid, user, title, created) = try row.decode((String, Int64, String, String).self)
        return ChatSession(id: sid, userID: user, title: title, createdAt: created)
    }

    public func sessions(userID: Int64) async throws -> [ChatSession] {
        var result: [ChatSession] = []
        for try await (sid, user, title, created) in try await client.query(
            """
            SELECT id::text, user_id, title, \(unescaped: Self.text("created_at")) FROM chat_sessions
            WHERE user_id = \(userID) ORDER BY created_at DESC
            """, logger: logger
        ).decode((String, Int64, String, String).self) {
            result.append(ChatSession(id: sid, userID: user, title: title, createdAt: created))
        }
        return result
    }

    public func deleteSession(id: String) async throws {
        guard UUID(uuidString: id) != nil else { return }
        try await client.query(
            "DELETE FROM chat_sessions WHERE id = \(id)::uuid",
            logger: logger)
    }

    public func addMessage(
        sessionID: String, role: String, content: String, model: String?, latencyMS: Int?
    ) async throws -> ChatMessage {
        try await client.withTransaction(logger: logger) { connection in
            let rows = try await connection.query(
                """
                INSERT INTO chat_messages (session_id, role, content, model, latency_ms)
                VALUES (\(sessionID)::uuid, \(role), \(content), \(model), \(latencyMS))
                RETURNING id, \(unescaped: Self.text("created_at"))
                """, logger: logger
            ).collect()
            let (id, created) = try rows[0].decode((Int64, String).self)
            try await connection.query(
                "UPDATE chat_sessions SET updated_at = now() WHERE id = \(sessionID)::uuid", logger: logger)
            return ChatMessage(id: id, sessionID: sessionID, role: role, content: content, createdAt: created)
        }
    }

    public func messages(sessionID: String, limit: Int, before: Int64?) async throws -> [ChatMessage] {
        guard UUID(uuidString: sessionID) != nil else { return [] }
        var result: [ChatMessage] = []
        for try await (id, sid, role, content, created) in try await client.query(
            """
            SELECT * FROM (
                SELECT id, session_id::text, role, content, \(unescaped: Self.text("created_at")) FROM chat_messages
                WHERE session_id = \(sessionID)::uuid AND id < \(before ?? Int64.max) ORDER BY id DESC LIMIT \(limit)
            ) AS page ORDER BY id ASC
            """, logger: logger
        ).decode((Int64, String, String, String, String).self) {
            result.append(ChatMessage(id: id, sessionID: sid, role: role, content: content, createdAt: created))
        }
        return result
    }
}
