import ChatAPI
import Foundation
import GRDB
import Logging
import TestSupport
import Testing

/// The SQL guard against hostile SQL, on a real SQLite file with real data.
@Suite("SQL guard")
struct SQLGuardTests {
    /// A migrated database with a user, a token, and `count` messages in two sessions.
    static func database(messages count: Int) async throws -> String {
        let path = try Executables.temporaryDirectory("sql-guard").appendingPathComponent("chat.db").path
        let store = try SQLiteStore(path: path)
        _ = try await store.migrate()
        let user = try await store.createUser(username: "alice", passwordHash: "$2b$10$x", role: .admin)
        try await store.createToken(hash: "secret-token-hash", userID: user.id, expiresAt: "2999-01-01T00:00:00.000Z")
        for s in 0..<2 {
            let session = try await store.createSession(id: "s\(s)", userID: user.id, title: "t")
            for i in 0..<(count / 2) {
                _ = try await store.addMessage(
                    sessionID: session.id, role: i % 2 == 0 ? "user" : "assistant", content: "m\(i)", model: nil,
                    latencyMS: i)
            }
        }
        return path
    }

    /// A digest of every row of every table, to prove nothing changed.
    static func checksum(_ path: String) throws -> String {
        try DatabaseQueue(path: path).read { db in
            let tables = try String.fetchAll(
                db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            var all = ""
            for table in tables {
                let rows = try Row.fetchAll(db, sql: "SELECT * FROM \"\(table)\"")
                all += "\(table):\(rows.map(\.description).joined(separator: "|"))\n"
            }
            let schema = try String.fetchAll(
                db, sql: "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name")
            return all + schema.joined(separator: "\n")
        }
    }

    static let hostile: [(String, String)] = [
        ("DROP TABLE chat_messages", "only SELECT"),
        ("DELETE FROM chat_messages", "only SELECT"),
        ("UPDATE chat_messages SET content = 'x'", "only SELECT"),
        (
            "INSERT INTO chat_sessions (id, user_id, title, created_at, updated_at) VALUES ('x', 1, 't', 'a', 'b')",
            "only SELECT"
        ),
        ("ATTACH DATABASE '/tmp/evil.db' AS evil", "ATTACH"),
        ("PRAGMA journal_mode = DELETE", "PRAGMA"),
        ("SELECT 1; DELETE FROM chat_messages", "one statement"),
        ("SELECT 1; -- harmless\nDROP TABLE chat_sessions", "one statement"),
        ("SELECT 1 /* hide */ ; DROP TABLE users", "one statement"),
        // SQLite has no writes inside a CTE: it does not even compile, and would be refused as a write if it did.
        ("WITH gone AS (DELETE FROM chat_messages RETURNING id) SELECT * FROM gone", "refused|compile"),
        ("SELECT * FROM users", "users"),
        ("SELECT token_hash FROM auth_tokens", "auth_tokens"),
        ("SELECT m.content, u.password_hash FROM chat_messages m JOIN users u ON 1 = 1", "users"),
        ("SELECT load_extension('/tmp/evil.so')", "load_extension"),
        ("SELECT * FROM sqlite_master", "sqlite_master"),
    ]

    @Test("hostile SQL is refused with a reason, and every table is unchanged")
    func hostileSQL() async throws {
        let path = try await Self.database(messages: 20)
        let before = try Self.checksum(path)
        let guard_ = SQLiteGuard(path: path)
        for (sql, reason) in Self.hostile {
            do {
                let result = try guard_.run(sql)
                Issue.record("ran: \(sql) -> \(result.rows.count) rows")
            } catch let refused as SQLiteGuard.Refused {
                let reasons = reason.split(separator: "|")
                #expect(reasons.contains { refused.description.contains($0) }, "\(sql): \(refused)")
            }
        }
        #expect(try Self.checksum(path) == before)
        #expect(!FileManager.default.fileExists(atPath: "/tmp/evil.db"))
    }

    @Test("a runaway cross join is stopped by the time limit")
    func runaway() async throws {
        let path = try await Self.database(messages: 200)
        let guard_ = SQLiteGuard(path: path, timeLimit: .milliseconds(300))
        #expect(throws: SQLiteGuard.Refused.self) {
            try guard_.run("SELECT count(*) FROM chat_messages a, chat_messages b, chat_messages c, chat_messages d")
        }
    }

    @Test("one expensive call is bounded: no value past SQLite's length limit, no answer past the byte cap")
    func expensiveCalls() async throws {
        let path = try await Self.database(messages: 50)
        // What is tested is the size bounds; the time limit has its own test (runaway), so a busy machine's slowness
        // must not end these queries first.
        let guard_ = SQLiteGuard(path: path, timeLimit: .seconds(60))
        for sql in [
            "SELECT length(printf('%.*c', 999999999, 'x'))",
            "SELECT length(hex(randomblob(400000000)))",
            "SELECT printf('%.*c', 25000000, 'x') FROM chat_messages",
        ] {
            let started = ContinuousClock.now
            // Refused as too big, or answered with what SQLite's limit left (its printf stops at the limit and
            // returns what it has): never a value past the limit, never an answer past the byte cap.
            do {
                let result = try guard_.run(sql)
                let sizes = result.rows.flatMap { $0.map { $0?.utf8.count ?? 0 } }
                #expect(sizes.allSatisfy { $0 <= Int(SQLiteGuard.maxValueBytes) }, "\(sql)")
                #expect(sizes.reduce(0, +) <= SQLiteGuard.maxAnswerBytes + Int(SQLiteGuard.maxValueBytes), "\(sql)")
            } catch let refused as SQLiteGuard.Refused {
                #expect(
                    refused.description.contains("larger than") || refused.description.contains("unbounded"),
                    "\(sql): \(refused)")
            }
            // Refused at once, not after building the value: well under 10 s even on a busy machine.
            #expect(started.duration(to: .now) < .seconds(10), "\(sql)")
        }
        // Rows of nearly a megabyte each: the answer stops at the byte cap, marked truncated.
        let big = try guard_.run("SELECT substr(hex(zeroblob(450000)), 1, 900000) FROM chat_messages")
        #expect(big.truncated)
        #expect(big.rows.count <= SQLiteGuard.maxAnswerBytes / 900_000 + 1)
        // A recursive common table expression is the query's own: counted, not refused as a table.
        let recursive = try guard_.run(
            "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 10) SELECT count(*) FROM c")
        #expect(recursive.rows == [["10"]])
        // ...but it cannot smuggle a forbidden table in.
        #expect(throws: SQLiteGuard.Refused.self) {
            try guard_.run("WITH c AS (SELECT * FROM users) SELECT count(*) FROM c")
        }
        // A NUL would cut the statement short: refused, not run in part.
        #expect(throws: SQLiteGuard.Refused.self) { try guard_.run("SELECT 1\u{0}; DROP TABLE chat_messages") }
    }

    @Test("allowed questions answer, capped at the row limit")
    func allowed() async throws {
        let path = try await Self.database(messages: 40)
        let result = try SQLiteGuard(path: path, maxRows: 25).run("SELECT id, content FROM chat_messages ORDER BY id")
        #expect(result.columns == ["id", "content"])
        #expect(result.rows.count == 25)
        #expect(result.truncated)
        let count = try SQLiteGuard(path: path).run("SELECT COUNT(*) AS n FROM chat_messages")
        #expect(count.rows == [["40"]])
        #expect(!count.truncated)
    }

    @Test("every built-in question shape compiles and runs through the guard")
    func builtinShapes() async throws {
        let path = try await Self.database(messages: 10)
        let translator = BuiltinSQLTranslator()
        for question in BuiltinSQLTranslator.examples {
            let sql = try #require(try await translator.sql(for: question), "\(question)")
            _ = try SQLiteGuard(path: path).run(sql)
        }
        #expect(try await translator.sql(for: "what is the meaning of life") == nil)
    }
}

@Suite("chat-api admin SQL over HTTP")
struct AdminAPITests {
    @Test("an admin's question is answered; a user gets 403, nobody 401, nonsense 422", arguments: Backend.allCases)
    func adminRoute(backend: Backend) async throws {
        let service = try await LiveService(backend: backend)
        let admin = try await service.login("root")
        let user = try await service.login("alice")
        _ = try await service.call("POST", "/api/chat", token: user, body: ["message": "hello"])
        let answer = try await service.call(
            "POST", "/api/admin/sql", token: admin, body: ["question": "how many messages?"])
        #expect(answer.status == 200)
        #expect(answer.json["sql"] as? String == "SELECT COUNT(*) AS messages FROM chat_messages")
        #expect(answer.json["rows"] as? [[String]] == [["2"]])
        #expect(answer.json["row_count"] as? Int == 1)
        #expect(
            try await service.call("POST", "/api/admin/sql", token: user, body: ["question": "how many messages?"])
                .status == 403)
        #expect(
            try await service.call("POST", "/api/admin/sql", body: ["question": "how many messages?"]).status == 401)
        let nonsense = try await service.call("POST", "/api/admin/sql", token: admin, body: ["question": "sing a song"])
        #expect(nonsense.status == 422)
        #expect(((nonsense.json["error"] as? [String: Any])?["message"] as? String)?.contains("try:") == true)
    }
}

/// The PostgreSQL guard against the same hostile SQL, on a real PostgreSQL server with real data.
@Suite("SQL guard on PostgreSQL")
struct PostgresGuardTests {
    /// Runs `body` with a migrated database holding a user, a token and `count` messages in two sessions.
    static func withDatabase(
        messages count: Int, _ body: @Sendable (PostgresStore, String) async throws -> Void
    ) async throws {
        let url = try await TestPostgres.newDatabase()
        let store = try PostgresStore(url: url, poolMin: 0, poolMax: 2, logger: Logger(label: "test"))
        try await ChatStores.withStore(store) { _ in
            _ = try await store.migrate()
            let user = try await store.createUser(username: "alice", passwordHash: "$2b$10$x", role: .admin)
            try await store.createToken(
                hash: "secret-token-hash", userID: user.id, expiresAt: "2999-01-01T00:00:00.000Z")
            for _ in 0..<2 {
                let session = try await store.createSession(
                    id: UUID().uuidString.lowercased(), userID: user.id, title: "t")
                for i in 0..<(count / 2) {
                    _ = try await store.addMessage(
                        sessionID: session.id, role: i % 2 == 0 ? "user" : "assistant", content: "m\(i)",
                        model: nil, latencyMS: i)
                }
            }
            try await body(store, url)
        }
    }

    /// The SQLite list, with PostgreSQL's own ways in: catalogs, functions that read files or run SQL, locks.
    static let hostile: [(String, String)] =
        // ATTACH and PRAGMA are not PostgreSQL at all: the first word alone refuses them. A CTE that writes does
        // compile here, and the server refuses it as a write.
        SQLGuardTests.hostile.filter { !$0.0.contains("sqlite_master") }.map {
            switch $0.1 {
            case "ATTACH", "PRAGMA": ($0.0, "only SELECT")
            case "refused|compile": ($0.0, "only reads")
            default: $0
            }
        } + [
            ("SELECT * FROM pg_catalog.pg_authid", "pg_authid"),
            ("SELECT usename FROM pg_user", "only chat_sessions"),
            ("SELECT query_to_xml('SELECT * FROM users', true, false, '')", "query_to_xml"),
            ("SELECT pg_read_file('/etc/passwd')", "pg_read_file"),
            ("SELECT * FROM pg_ls_dir('.')", "pg_ls_dir|Function Scan"),
            ("SELECT set_config('default_transaction_read_only', 'off', false)", "set_config"),
            ("SELECT * FROM chat_messages FOR UPDATE", "only reads"),
            ("COPY chat_messages TO '/tmp/evil.csv'", "only SELECT"),
            ("CREATE EXTENSION dblink", "only SELECT"),
            ("SELECT $$;$$; DROP TABLE users", "one statement"),
        ]

    @Test("hostile SQL is refused with a reason, and every table is unchanged")
    func hostileSQL() async throws {
        try await Self.withDatabase(messages: 20) { store, url in
            let before = try await TestPostgres.checksums(url)
            let guard_ = PostgresGuard(client: store.client, logger: Logger(label: "test"))
            for (sql, reason) in Self.hostile {
                do {
                    let result = try await guard_.answer(sql)
                    Issue.record("ran: \(sql) -> \(result.rows.count) rows")
                } catch let refused as SQLRefused {
                    let reasons = reason.split(separator: "|")
                    #expect(reasons.contains { refused.description.contains($0) }, "\(sql): \(refused)")
                }
            }
            #expect(try await TestPostgres.checksums(url) == before)
            #expect(!FileManager.default.fileExists(atPath: "/tmp/evil.csv"))
        }
    }

    @Test("a runaway cross join is stopped by statement_timeout")
    func runaway() async throws {
        try await Self.withDatabase(messages: 200) { store, _ in
            let guard_ = PostgresGuard(
                client: store.client, logger: Logger(label: "test"), timeLimit: .milliseconds(300))
            await #expect(throws: SQLRefused.self) {
                try await guard_.answer(
                    "SELECT count(*) FROM chat_messages a, chat_messages b, chat_messages c, chat_messages d")
            }
            // The pool is usable afterwards: the timeout ended the statement, not the connection.
            let after = try await guard_.answer("SELECT count(*) AS n FROM chat_messages")
            #expect(after.rows == [["200"]])
        }
    }

    @Test("one query that builds a huge value is cut on the server: no answer past the byte cap, the pool usable")
    func hugeValue() async throws {
        try await Self.withDatabase(messages: 40) { store, _ in
            // The byte cap is what is tested; the 2 s default time limit has its own test (runaway), and on a busy
            // machine building 6 MB can take longer than that (CI saw it).
            let guard_ = PostgresGuard(client: store.client, logger: Logger(label: "test"), timeLimit: .seconds(60))
            // replace() is on the list of ordinary functions: each level puts the value in place of each of its own
            // m's, so "m0m0m0m0" (8 bytes) grows to 36 bytes, 596, then 152 KB per message; 40 messages, 6 MB.
            var grow = "(content || content || content || content)"
            for _ in 0..<3 { grow = "replace(\(grow), 'm', \(grow))" }
            for sql in [
                "SELECT \(grow) AS big FROM chat_messages",
                "SELECT string_agg(\(grow), '') AS big FROM chat_messages",
                "SELECT id, \(grow) AS big FROM chat_messages ORDER BY id",
            ] {
                let answer = try await guard_.answer(sql)
                let bytes = answer.rows.joined().reduce(0) { $0 + ($1?.utf8.count ?? 0) }
                #expect(bytes <= SQLiteGuard.maxAnswerBytes, "\(sql): \(bytes) bytes")
                #expect(answer.truncated, "\(sql)")
                #expect(answer.columns.last == "big", "\(answer.columns)")
            }
            // Small answers are whole, their columns and order kept, not marked cut.
            let small = try await guard_.answer("SELECT id, content FROM chat_messages ORDER BY id DESC")
            #expect(small.columns == ["id", "content"])
            #expect(small.rows.count == 40)
            #expect(!small.truncated)
            #expect(small.rows.compactMap { $0[0].flatMap { Int($0) } } == (1...40).reversed())
            let none = try await guard_.answer("SELECT id FROM chat_messages WHERE id < 0")
            #expect(none.rows.isEmpty && !none.truncated)
            // The cap's own column names are the admin's to use too, and duplicate names stay as written.
            let named = try await guard_.answer(
                "SELECT id AS chat_sql_running_bytes, id AS chat_sql_rows, 1 AS x, 2 AS x FROM chat_messages ORDER BY id"
            )
            #expect(named.columns == ["chat_sql_running_bytes", "chat_sql_rows", "x", "x"])
            #expect(named.rows.count == 40 && !named.truncated)
            #expect(named.rows.first == ["1", "1", "1", "2"])
        }
    }

    @Test("allowed questions answer, capped at the row limit; every built-in shape runs")
    func allowed() async throws {
        try await Self.withDatabase(messages: 40) { store, _ in
            let guard_ = PostgresGuard(client: store.client, logger: Logger(label: "test"), maxRows: 25)
            let result = try await guard_.answer("SELECT id, content FROM chat_messages ORDER BY id;")
            #expect(result.columns == ["id", "content"])
            #expect(result.rows.count == 25)
            #expect(result.truncated)
            let translator = BuiltinSQLTranslator()
            for question in BuiltinSQLTranslator.examples {
                let sql = try #require(try await translator.sql(for: question), "\(question)")
                let answer = try await PostgresGuard(client: store.client, logger: Logger(label: "test")).answer(sql)
                #expect(!answer.columns.isEmpty, "\(question)")
            }
        }
    }
}
