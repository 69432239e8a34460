import ChatAPI
import Foundation
import GRDB
import TestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// chat-api's commands, run as the built executable against real SQLite files.
@Suite("chat-api commands")
struct CommandTests {
    @Test("a fresh migrate makes a WAL database with the three indexes and records its migrations")
    func migrate() async throws {
        let dir = try Executables.temporaryDirectory("chat-api")
        let db = dir.appendingPathComponent("data/messages.db").path
        let run = try await Executables.run(
            "chat-api", ["migrate"], environment: ["DATABASE_URL": "sqlite:\(db)"], directory: dir.path)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("applied migrations 1, 2, 3"))

        // Read the file as gonogo will: a separate, read-only connection.
        var config = Configuration()
        config.readonly = true
        let queue = try DatabaseQueue(path: db, configuration: config)
        try await queue.read { db in
            #expect(try String.fetchOne(db, sql: "PRAGMA journal_mode") == "wal")
            let indexes = try String.fetchAll(
                db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'idx_%'")
            #expect(
                Set(indexes) == [
                    "idx_chat_messages_session_id", "idx_chat_sessions_user_id", "idx_chat_messages_created_at",
                ])
            #expect(
                try Int.fetchAll(db, sql: "SELECT version FROM schema_migrations ORDER BY version")
                    == Migration.all.map(\.version))
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
            for table in ["users", "auth_tokens", "chat_sessions", "chat_messages", "schema_migrations"] {
                #expect(tables.contains(table), "\(table)")
            }
        }

        let again = try await Executables.run(
            "chat-api", ["migrate"], environment: ["DATABASE_URL": "sqlite:\(db)"], directory: dir.path)
        #expect(again.status == 0)
        #expect(again.stdout.contains("schema is up to date"))
    }

    @Test("user add hashes the password from stdin with bcrypt; the password is nowhere in the output")
    func userAdd() async throws {
        let dir = try Executables.temporaryDirectory("chat-api")
        let db = dir.appendingPathComponent("app.db").path
        let env = ["DATABASE_URL": "sqlite:\(db)"]
        let password = "canary-pw-7f3a91"
        let run = try await Executables.run(
            "chat-api", ["user", "add", "--username", "alice", "--role", "admin", "--password-stdin"],
            environment: env, stdin: password + "\n", directory: dir.path)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("added admin alice"))
        #expect(!(run.stdout + run.stderr).contains(password))
        let hash = try await DatabaseQueue(path: db).read { db in
            try String.fetchOne(db, sql: "SELECT password_hash FROM users WHERE username = 'alice'")
        }
        #expect(hash?.hasPrefix("$2") == true)
        #expect(hash?.contains(password) == false)

        let duplicate = try await Executables.run(
            "chat-api", ["user", "add", "--username", "alice", "--password-stdin"], environment: env,
            stdin: password, directory: dir.path)
        #expect(duplicate.status == 2)
        #expect(duplicate.stderr.contains("user alice already exists"))

        let noStdin = try await Executables.run(
            "chat-api", ["user", "add", "--username", "bob"], environment: env, directory: dir.path)
        #expect(noStdin.status == 64)
        #expect(noStdin.stderr.contains("--password-stdin"))
    }

    @Test("bad configuration exits 2 naming the variable, or the .env file and line, never the value")
    func badConfiguration() async throws {
        let dir = try Executables.temporaryDirectory("chat-api")
        let port = try await Executables.run(
            "chat-api", ["migrate"], environment: ["PORT": "eighty"], directory: dir.path)
        #expect(port.status == 2)
        #expect(port.stderr.contains("PORT must be a whole number"))

        let envFile = dir.appendingPathComponent("broken.env")
        try "# settings\nLLM_API_KEY=sk-canary-123\nthis line is wrong\n".write(
            to: envFile, atomically: true, encoding: .utf8)
        let dotenv = try await Executables.run(
            "chat-api", ["migrate", "--env-file", envFile.path], environment: [:], directory: dir.path)
        #expect(dotenv.status == 2)
        #expect(dotenv.stderr.contains("broken.env:3: expected KEY=value"))
        #expect(!dotenv.stderr.contains("sk-canary-123"))
    }
}

@Suite("chat-api over HTTP")
struct ServeTests {
    /// GETs `url` and returns the status, headers and body.
    func get(_ url: String) async throws -> (Int, [String: String], Data) {
        let (data, response) = try await URLSession.shared.data(from: URL(string: url)!)
        let http = response as! HTTPURLResponse
        var headers: [String: String] = [:]
        for (k, v) in http.allHeaderFields { headers[String(describing: k).lowercased()] = String(describing: v) }
        return (http.statusCode, headers, data)
    }

    @Test("serve listens on a free loopback port; /health answers 200 with the security headers; SIGTERM stops it")
    func health() async throws {
        let dir = try Executables.temporaryDirectory("chat-api")
        let server = ServerProcess(
            "chat-api", ["serve"],
            environment: ["PORT": "0", "HOST": "127.0.0.1", "DATABASE_URL": "sqlite:\(dir.path)/db.sqlite"],
            directory: dir.path)
        let port = try server.start()
        defer { server.stop() }
        let (status, headers, body) = try await get("http://127.0.0.1:\(port)/health")
        #expect(status == 200)
        let json = try JSONSerialization.jsonObject(with: body) as? [String: Any]
        #expect(json?["status"] as? String == "ok")
        #expect(json?["database"] as? String == "ok")
        #expect(headers["x-content-type-options"] == "nosniff")
        #expect(headers["x-frame-options"] == "DENY")
        #expect(headers["cache-control"] == "no-store")
        #expect(server.stop() == 0)
        // JSON log lines on stderr.
        let firstLine = server.stderr.split(separator: "\n").first.map(String.init) ?? ""
        #expect((try? JSONSerialization.jsonObject(with: Data(firstLine.utf8))) != nil, "\(firstLine)")
    }
}

@Suite("chat-api seed and limits")
struct SeedAndLimitTests {
    @Test("seed loads sessions and messages in WAL mode, and says 'test data loaded'")
    func seed() async throws {
        let dir = try Executables.temporaryDirectory("chat-api")
        let db = dir.appendingPathComponent("seed.db").path
        let run = try await Executables.run(
            "chat-api", ["seed", "--sessions", "3", "--messages", "4"], environment: ["DATABASE_URL": "sqlite:\(db)"],
            directory: dir.path)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("test data loaded: 3 sessions, 12 messages"))
        let counts = try await DatabaseQueue(path: db).read { conn in
            try ["chat_sessions", "chat_messages"].map { try Int.fetchOne(conn, sql: "SELECT COUNT(*) FROM \($0)") }
                + [try Int.fetchOne(conn, sql: "SELECT COUNT(DISTINCT role) FROM chat_messages")]
        }
        #expect(counts == [3, 12, 2])
        let bad = try await Executables.run(
            "chat-api", ["seed", "--sessions", "0"], environment: ["DATABASE_URL": "sqlite:\(db)"], directory: dir.path)
        #expect(bad.status == 64)
    }

    @Test("a request body past 64 KiB answers 413 and stores nothing", arguments: Backend.allCases)
    func bodyLimit(backend: Backend) async throws {
        let service = try await LiveService(backend: backend)
        let token = try await service.login("alice")
        let huge = String(repeating: "x", count: 100_000)
        let answer = try await service.call("POST", "/api/chat", token: token, body: ["message": huge])
        #expect(answer.status == 413)
        let sessions = try await service.call("GET", "/api/sessions", token: token)
        #expect((sessions.json["sessions"] as? [[String: Any]])?.isEmpty == true)
    }
}
