import Foundation

/// The child-process helpers from async code. Swift chooses these overloads wherever `await` can be written, so a test
/// never waits for a child on one of the cooperative pool's threads: on a 2-core machine the pool has two, and two
/// tests waiting there stall every other test in the process (a test that takes 6 s alone once took 68 s that way
/// and missed its own timeouts). The blocking versions stay for code already inside ``Blocking/run(_:)``.
extension Executables {
    /// Runs `name` with `arguments` to completion, waiting on a thread of its own.
    public static func run(
        _ name: String, _ arguments: [String], environment: [String: String] = [:], stdin: String? = nil,
        directory: String? = nil
    ) async throws -> Run {
        try await Blocking.run {
            try run(name, arguments, environment: environment, stdin: stdin, directory: directory)
        }
    }

    /// Runs the program at `path` with `arguments` to completion, waiting on a thread of its own.
    public static func run(
        path: String, _ arguments: [String], environment: [String: String] = [:], stdin: String? = nil,
        directory: String? = nil
    ) async throws -> Run {
        try await Blocking.run {
            try run(path: path, arguments, environment: environment, stdin: stdin, directory: directory)
        }
    }
}

extension Certificates {
    /// ``selfSigned(in:days:rsa:)`` from async code, waiting for `openssl` on a thread of its own.
    public static func selfSigned(
        in directory: URL, days: Int = 30, rsa: Bool = false
    ) async throws -> (certificate: String, key: String) {
        try await Blocking.run { try selfSigned(in: directory, days: days, rsa: rsa) }
    }
}

extension TestPostgres {
    /// ``psql(_:_:)`` from async code, waiting for `psql` on a thread of its own.
    @discardableResult
    public static func psql(_ url: String, _ sql: String) async throws -> String {
        try await Blocking.run { try psql(url, sql) }
    }
}

extension Shell {
    /// ``run(_:_:environment:)`` from async code, waiting for the program on a thread of its own.
    public static func run(
        _ program: String, _ arguments: [String], environment: [String: String] = [:]
    ) async throws
        -> Run
    {
        try await Blocking.run { try run(program, arguments, environment: environment) }
    }
}
