import Metrics
import ServiceLifecycle
import Synchronization

/// A store that times every call of the one it wraps: `chat_database_duration_seconds` by `operation` (and
/// `database`), for `/metrics`. Failures are timed too, with `outcome="error"`. With a `deadline`, a call that takes
/// longer is abandoned with a ``StoreError``: while PostgreSQL is down its pool would otherwise keep a request
/// waiting for a connection until the client gives up.
public struct MeasuredStore: ChatStore {
    public let base: any ChatStore
    let database: String
    let deadline: Duration?
    let timers = TimerCache()

    public init(_ base: any ChatStore, deadline: Duration? = nil) {
        self.base = base
        self.deadline = deadline
        database = base is PostgresStore ? "postgresql" : "sqlite"
        // The family is on /metrics from the start (with zero counts), as on an instance that has served no request
        // yet behind a load balancer. (The registry first: a timer made before the metrics system is bootstrapped
        // would record nowhere.)
        _ = ChatMetrics.registry
        _ = timers.timer("ping", database, "ok")
    }

    func timed<T: Sendable>(_ operation: String, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let started = ContinuousClock.now
        var outcome = "ok"
        defer {
            timers.timer(operation, database, outcome).recordNanoseconds(started.duration(to: .now).wholeNanoseconds)
        }
        do {
            return try await Self.within(deadline, body)
        } catch {
            outcome = "error"
            throw error
        }
    }

    /// `body`, abandoned with a ``StoreError`` when it takes longer than `deadline` (when one is given).
    static func within<T: Sendable>(
        _ deadline: Duration?, _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        guard let deadline else { return try await body() }
        return try await withThrowingTaskGroup(of: T.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: deadline)
                throw StoreError(description: "the database did not answer within \(deadline)")
            }
            defer { group.cancelAll() }
            return try await group.next()!
        }
    }

    public var service: (any Service)? { base.service }
    public func migrate() async throws -> [Int] { try await timed("migrate") { try await base.migrate() } }
    public func appliedMigrations() async throws -> [Int] {
        try await timed("applied_migrations") { try await base.appliedMigrations() }
    }
    public func ping() async throws { try await timed("ping") { try await base.ping() } }
    public func createUser(username: String, passwordHash: String, role: User.Role) async throws -> User {
        try await timed("create_user") {
            try await base.createUser(username: username, passwordHash: passwordHash, role: role)
        }
    }
    public func user(named username: String) async throws -> (User, passwordHash: String)? {
        try await timed("user") { try await base.user(named: username) }
    }
    public func seed(username: String, passwordHash: String, sessions: Int, messages: Int) async throws -> Int {
        try await timed("seed") {
            try await base.seed(username: username, passwordHash: passwordHash, sessions: sessions, messages: messages)
        }
    }
    public func createToken(hash: String, userID: Int64, expiresAt: String) async throws {
        try await timed("create_token") { try await base.createToken(hash: hash, userID: userID, expiresAt: expiresAt) }
    }
    public func user(forTokenHash hash: String, now: String) async throws -> User? {
        try await timed("user_for_token") { try await base.user(forTokenHash: hash, now: now) }
    }
    public func revokeToken(hash: String, at: String) async throws {
        try await timed("revoke_token") { try await base.revokeToken(hash: hash, at: at) }
    }
    public func createSession(id: String, userID: Int64, title: String) async throws -> ChatSession {
        try await timed("create_session") { try await base.createSession(id: id, userID: userID, title: title) }
    }
    public func session(id: String) async throws -> ChatSession? {
        try await timed("session") { try await base.session(id: id) }
    }
    public func sessions(userID: Int64) async throws -> [ChatSession] {
        try await timed("sessions") { try await base.sessions(userID: userID) }
    }
    public func deleteSession(id: String) async throws {
        try await timed("delete_session") { try await base.deleteSession(id: id) }
    }
    public func addMessage(
        sessionID: String, role: String, content: String, model: String?, latencyMS: Int?
    ) async throws -> ChatMessage {
        try await timed("add_message") {
            try await base.addMessage(
                sessionID: sessionID, role: role, content: content, model: model, latencyMS: latencyMS)
        }
    }
    public func history(sessionID: String, userID: Int64, limit: Int, before: Int64?) async throws -> [ChatMessage]? {
        try await timed("history") {
            try await base.history(sessionID: sessionID, userID: userID, limit: limit, before: before)
        }
    }
    public func messages(sessionID: String, limit: Int, before: Int64?) async throws -> [ChatMessage] {
        try await timed("messages") { try await base.messages(sessionID: sessionID, limit: limit, before: before) }
    }
}

/// The timers of `chat_database_duration_seconds`, made once per operation, database and outcome: making a
/// swift-metrics timer looks it up in the Prometheus registry by its label and dimensions, under the registry's lock,
/// which cost more than a ping of SQLite when it was done on every call.
final class TimerCache: Sendable {
    private let timers = Mutex<[String: Metrics.Timer]>([:])

    func timer(_ operation: String, _ database: String, _ outcome: String) -> Metrics.Timer {
        let key = operation + "\u{1}" + database + "\u{1}" + outcome
        return timers.withLock { timers in
            if let timer = timers[key] { return timer }
            let timer = Metrics.Timer(
                label: "chat_database_duration_seconds",
                dimensions: [("operation", operation), ("database", database), ("outcome", outcome)])
            timers[key] = timer
            return timer
        }
    }
}
