import Foundation
import Synchronization

/// The real PostgreSQL server the tests use: the one `scripts/test` started (its URL in
/// `GONOGO_TEST_POSTGRES_URL`), or else one this process starts with `scripts/pg-cluster` and destroys at exit.
/// Each test gets a database of its own, so tests run concurrently without seeing each other's rows.
public enum TestPostgres {
    /// The test server's URL (for its own database `chat`), starting a server first when none was given. Throws, with
    /// the reason, when no server can run here.
    public static func url() async throws -> String {
        try await Server.shared.url()
    }

    /// Starts the server once, on a thread of its own: a child process is waited for outside Swift's cooperative
    /// pool, which concurrent tests would otherwise exhaust.
    actor Server {
        static let shared = Server()
        private var started: Task<String, any Error>?

        func url() async throws -> String {
            if let started { return try await started.value }
            let task = Task<String, any Error> { try await Blocking.run { try Server.start() } }
            started = task
            return try await task.value
        }

        nonisolated static func start() throws -> String {
            if let url = ProcessInfo.processInfo.environment["GONOGO_TEST_POSTGRES_URL"], !url.isEmpty { return url }
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gonogo-pg-\(UUID().uuidString)")
            let started = try? Shell.run(Executables.repositoryRoot + "/scripts/pg-cluster", ["start", dir.path])
            guard let started, started.status == 0 else {
                throw ServerProcess.ServerError(
                    description: "PostgreSQL tests need a server: run ./scripts/test, or install postgresql "
                        + "(scripts/pg-cluster said: \(started?.stderr ?? "nothing"))")
            }
            clusterToDestroy.withLock { $0 = dir.path }
            atexit {
                if let dir = TestPostgres.clusterToDestroy.withLock({ $0 }) {
                    _ = try? Shell.run(Executables.repositoryRoot + "/scripts/pg-cluster", ["destroy", dir])
                }
            }
            return started.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    static let clusterToDestroy = Mutex<String?>(nil)

    /// A new empty database on the test server, owned by the test role; returns its URL.
    public static func newDatabase() async throws -> String {
        let base = try await url()
        let name = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try await Blocking.run { _ = try psql(base, "CREATE DATABASE \(name)") }
        return replacingDatabase(in: base, with: name)
    }

    /// `url` with its database name replaced.
    public static func replacingDatabase(in url: String, with name: String) -> String {
        guard let slash = url.range(of: "/", options: .backwards) else { return url }
        return String(url[..<slash.upperBound]) + name
    }

    /// Runs `sql` with psql on `url`; returns its unaligned, tuples-only output. Throws with psql's stderr (which
    /// never holds the password) when it fails.
    @discardableResult
    public static func psql(_ url: String, _ sql: String) throws -> String {
        let run = try Shell.run("/usr/bin/psql", ["-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1", url, "-c", sql])
        guard run.status == 0 else {
            throw ServerProcess.ServerError(description: "psql failed: \(run.stderr)")
        }
        return run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A checksum of every row of every table of the chat-api schema.
    public static func checksums(_ url: String) async throws -> [String: String] {
        try await Blocking.run { try checksumsNow(url) }
    }

    static func checksumsNow(_ url: String) throws -> [String: String] {
        var sums: [String: String] = [:]
        for table in ["users", "auth_tokens", "chat_sessions", "chat_messages", "schema_migrations"] {
            sums[table] = try psql(
                url,
                "SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM \(table) t"
            )
        }
        return sums
    }
}

/// Running any program (not one of this package's executables) to completion, through `posix_spawn` and `waitpid`
/// with its output in files. Foundation's `Process` was seen to miss the exit of a script whose grandchild daemonises
/// (pg_ctl starting the server), leaving a zombie and a waiter forever; this path has no such bookkeeping.
public enum Shell {
    /// The full path of program `name` on `PATH`, or nil.
    public static func which(_ name: String) -> String? {
        if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }

    /// Runs `program` (a path, or a name looked up on `PATH`) to completion.
    public static func run(_ program: String, _ arguments: [String], environment: [String: String] = [:]) throws -> Run
    {
        let path = which(program) ?? program
        let dir = try Executables.temporaryDirectory("shell")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (outPath, errPath) = (dir.appendingPathComponent("out").path, dir.appendingPathComponent("err").path)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for p in argv { free(p) }
            for p in envp { free(p) }
        }
        var pid: pid_t = 0
        let spawned = Spawning.locked { posix_spawn(&pid, path, &actions, nil, argv, envp) }
        guard spawned == 0 else {
            throw ServerProcess.ServerError(description: "cannot run \(path): \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let code = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return Run(
            status: code,
            stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
    }
}

/// Blocking work (waiting for a child process) on a thread of its own, so that it never holds one of the few threads
/// of Swift's cooperative pool.
public enum Blocking {
    public static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try work() }) }.start()
        }
    }
}
