/// A user of chat-api.
public struct User: Sendable, Equatable {
    public enum Role: String, Sendable, CaseIterable { case user, admin }

    public let id: Int64
    public let username: String
    public let role: Role
}

/// chat-api's storage: one protocol, one implementation per database (SQLite through GRDB, PostgreSQL later),
/// so the same tests run against each.
public protocol ChatStore: HistoryStore {
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
}

/// A storage failure a client may see (its reason never holds SQL, paths or values).
public struct StoreError: Error, CustomStringConvertible, Sendable {
    public let description: String

    public static func duplicateUser(_ name: String) -> Self { .init(description: "user \(name) already exists") }
}
