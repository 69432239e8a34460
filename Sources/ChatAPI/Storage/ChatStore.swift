import GRDB
import Logging
import PostgresNIO
import ServiceLifecycle

/// A user of chat-api.
public struct User: Sendable, Equatable {
    public enum Role: String, Sendable, CaseIterable { case user, admin }

    public let id: Int64
    public let username: String
    public let role: Role
}

/// chat-api's storage: one protocol, one implementation per database (SQLite through GRDB, PostgreSQL through
/// postgres-nio), so the same tests run against each.
public protocol ChatStore: HistoryStore {
    /// Background work the store needs while it is used (PostgreSQL's connection pool), or nil.
    var service: (any Service)? { get }
    /// Applies the migrations not yet recorded in `schema_migrations`; returns the versions it applied.
    func migrate() async throws -> [Int]
    /// The versions recorded in `schema_migrations`.
    func appliedMigrations() async throws -> [Int]
    /// Throws when the database cannot answer a trivial query.
    func ping() async throws
    /// Adds a user whose password is already hashed (bcrypt).
    func createUser(username: String, passwordHash: String, role: User.Role) async throws -> User
    /// The user with `username`, and their password hash.
    func user(named username: String) async throws -> (User, passwordHash: String)?
    /// Demo data in one transaction: `sessions` sessions of `messages` alternating user and assistant messages for
    /// the user `username` (created with `passwordHash` when missing). Returns the number of messages written.
    func seed(username: String, passwordHash: String, sessions: Int, messages: Int) async throws -> Int
}

extension ChatStore {
    public var service: (any Service)? { nil }
}

/// Opening the store a configuration names.
public enum ChatStores {
    /// The store for `configuration.database`. A PostgreSQL store works only while its ``ChatStore/service`` runs.
    public static func open(_ configuration: ChatConfiguration, logger: Logger) throws -> any ChatStore {
        switch configuration.database {
        case .sqlite(let path):
            return try SQLiteStore(path: path)
        case .postgres(let url):
            return try PostgresStore(
                url: url, poolMin: configuration.poolMin, poolMax: configuration.poolMax, logger: logger)
        }
    }

    /// Runs `body` with the store open and its background service running; stops the service afterwards.
    public static func withStore<T: Sendable>(
        _ store: any ChatStore, _ body: @Sendable (any ChatStore) async throws -> T
    ) async throws -> T {
        guard let service = store.service else { return try await body(store) }
        return try await withThrowingTaskGroup(of: Void.self) { group in
            // The body waits until the service has been entered: a pool used before it runs only queues the work,
            // with a warning in the log.
            let (started, signal) = AsyncStream<Void>.makeStream()
            group.addTask {
                signal.finish()
                try await service.run()
            }
            for await _ in started {}
            await Task.yield()
            defer { group.cancelAll() }
            return try await body(store)
        }
    }
}

/// A storage failure a client may see (its reason never holds SQL, paths or values).
public struct StoreError: Error, CustomStringConvertible, Sendable {
    public let description: String

    public static func duplicateUser(_ name: String) -> Self { .init(description: "user \(name) already exists") }

    /// What went wrong with the database, in words safe to print: the engine's message and code, never the query,
    /// its values or the connection string.
    public static func reason(_ error: any Error) -> String {
        if let error = error as? StoreError { return error.description }
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] {
                return "PostgreSQL: \(message) (SQLSTATE \(error.serverInfo?[.sqlState] ?? "?"))"
            }
            if let underlying = error.underlying { return "PostgreSQL: \(error.code): \(underlying)" }
            return "PostgreSQL: \(error.code)"
        }
        if let error = error as? DatabaseError { return "SQLite: \(error.message ?? "error \(error.resultCode)")" }
        return "\(type(of: error))"
    }
}
