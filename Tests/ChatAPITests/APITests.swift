import Foundation
import TestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The databases chat-api runs on; suites that take `Backend.allCases` run once on each.
enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres
    var testDescription: String { rawValue }
}

/// A chat-api served by the built executable on a free loopback port, with a user and an admin added through
/// `chat-api user add`, and a small HTTP client. On PostgreSQL it has a database of its own on the test server.
final class LiveService {
    private(set) var server: ServerProcess
    private(set) var base: String
    let directory: URL
    let environment: [String: String]
    let backend: Backend

    /// The `DATABASE_URL` it serves.
    var databaseURL: String { environment["DATABASE_URL"] ?? "" }

    /// With `users` false it adds no users: a second instance on a database another one set up.
    init(_ settings: [String: String] = [:], backend: Backend = .sqlite, users: Bool = true) async throws {
        let directory = try Executables.temporaryDirectory("chat-api")
        self.directory = directory
        self.backend = backend
        let database: [String: String]
        switch backend {
        case .sqlite: database = ["DATABASE_URL": "sqlite:\(directory.path)/chat.db"]
        case .postgres:
            // A database of its own on the test server, unless the caller brings its own server.
            var url = settings["DATABASE_URL"]
            if url == nil { url = try await TestPostgres.newDatabase() }
            database = ["DATABASE_URL": url ?? "", "DATABASE_POOL_MIN": "1", "DATABASE_POOL_MAX": "4"]
        }
        let env = ["PORT": "0", "HOST": "127.0.0.1"].merging(database) { $1 }.merging(settings) { $1 }
        environment = env
        // Children are waited for on threads of their own, never on Swift's cooperative pool.
        (server, base) = try await Blocking.run {
            for (name, role) in [("alice", "user"), ("bob", "user"), ("root", "admin")] where users {
                let added = try Executables.run(
                    "chat-api", ["user", "add", "--username", name, "--role", role, "--password-stdin"],
                    environment: env, stdin: "pw-\(name)-123456", directory: directory.path)
                guard added.status == 0 else { throw ServerProcess.ServerError(description: added.stderr) }
            }
            let server = ServerProcess("chat-api", ["serve"], environment: env, directory: directory.path)
            return (server, "http://127.0.0.1:\(try server.start())")
        }
    }

    /// Starts the service again on the same database (after ``ServerProcess/kill()`` or ``ServerProcess/stop()``).
    func restart() async throws {
        let (old, environment, directory) = (server, environment, directory)
        (server, base) = try await Blocking.run {
            old.stop()
            let server = ServerProcess("chat-api", ["serve"], environment: environment, directory: directory.path)
            return (server, "http://127.0.0.1:\(try server.start())")
        }
    }

    deinit { server.stop() }

    struct Answer {
        let status: Int
        let json: [String: Any]
        let headers: [String: String]
        /// The body as text (a stream of server-sent events is no JSON object).
        var text = ""

        /// The server-sent events of the body, in order: (event, its data as JSON).
        var events: [(event: String, data: [String: Any])] {
            text.components(separatedBy: "\n\n").compactMap { block in
                let lines = block.split(separator: "\n")
                guard let event = lines.first(where: { $0.hasPrefix("event: ") })?.dropFirst(7),
                    let data = lines.first(where: { $0.hasPrefix("data: ") })?.dropFirst(6)
                else { return nil }
                let json = (try? JSONSerialization.jsonObject(with: Data(data.utf8))) as? [String: Any] ?? [:]
                return (String(event), json)
            }
        }
    }

    func call(
        _ method: String, _ path: String, token: String? = nil, body: [String: Any]? = nil,
        headers: [String: String] = [:], rawBody: String? = nil
    ) async throws -> Answer {
        var request = URLRequest(url: URL(string: base + path)!)
        request.httpMethod = method
        for (k, v) in headers { request.setValue(v, forHTTPHeaderField: k) }
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let body {
            request.httpBody = try JSONSerialization.data(withJSONObject: body)
            if headers["Content-Type"] == nil {
                request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            }
        }
        if let rawBody {
            request.httpBody = Data(rawBody.utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as! HTTPURLResponse
        var headers: [String: String] = [:]
        for (k, v) in http.allHeaderFields { headers[String(describing: k).lowercased()] = String(describing: v) }
        let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        return Answer(
            status: http.statusCode, json: json, headers: headers, text: String(decoding: data, as: UTF8.self))
    }

    /// A checksum of every row of every table, to prove that nothing changed.
    func checksums() async throws -> [String: String] {
        switch backend {
        case .sqlite: ["all": try SQLGuardTests.checksum(directory.appendingPathComponent("chat.db").path)]
        case .postgres: try await TestPostgres.checksums(databaseURL)
        }
    }

    func login(_ name: String, rememberMe: Bool = false) async throws -> String {
        let answer = try await call(
            "POST", "/api/auth/login",
            body: ["username": name, "password": "pw-\(name)-123456", "remember_me": rememberMe])
        return answer.json["token"] as? String ?? ""
    }
}

@Suite("chat-api auth, chat and history over HTTP")
struct APITests {
    @Test(
        "log in, chat, read the history back oldest first; the session is the owner's only", arguments: Backend.allCases
    )
    func chatFlow(backend: Backend) async throws {
        let service = try await LiveService(backend: backend)
        let token = try await service.login("alice")
        #expect(token.count >= 40)

        let first = try await service.call("POST", "/api/chat", token: token, body: ["message": "hello there"])
        #expect(first.status == 200)
        let session = try #require(first.json["session_id"] as? String)
        #expect((first.json["reply"] as? [String: Any])?["role"] as? String == "assistant")
        #expect(first.json["model"] as? String == "builtin")
        let second = try await service.call(
            "POST", "/api/chat", token: token, body: ["message": "what is WAL?", "session_id": session])
        #expect(second.status == 200)

        let history = try await service.call("GET", "/api/sessions/\(session)/messages", token: token)
        #expect(history.status == 200)
        let messages = try #require(history.json["messages"] as? [[String: Any]])
        #expect(messages.map { $0["role"] as? String } == ["user", "assistant", "user", "assistant"])
        #expect(messages.first?["content"] as? String == "hello there")
        let ids = messages.compactMap { $0["id"] as? Int }
        #expect(ids == ids.sorted())

        let paged = try await service.call(
            "GET", "/api/sessions/\(session)/messages?limit=2&before=\(ids[2])", token: token)
        #expect((paged.json["messages"] as? [[String: Any]])?.compactMap { $0["id"] as? Int } == [ids[0], ids[1]])

        let sessions = try await service.call("GET", "/api/sessions", token: token)
        #expect((sessions.json["sessions"] as? [[String: Any]])?.count == 1)

        // Another user's session is not found, not forbidden, and shows nothing.
        let bob = try await service.login("bob")
        let stolen = try await service.call("GET", "/api/sessions/\(session)/messages", token: bob)
        #expect(stolen.status == 404)
        #expect(stolen.json["messages"] == nil)
        let continued = try await service.call(
            "POST", "/api/chat", token: bob, body: ["message": "mine now", "session_id": session])
        #expect(continued.status == 404)
        #expect(try await service.call("DELETE", "/api/sessions/\(session)", token: bob).status == 404)
        #expect(try await service.call("DELETE", "/api/sessions/\(session)", token: token).status == 204)
        #expect(try await service.call("GET", "/api/sessions/\(session)/messages", token: token).status == 404)
    }

    @Test("no token, a wrong password, a revoked token: 401, never data", arguments: Backend.allCases)
    func authMatrix(backend: Backend) async throws {
        // Tokens without remember-me live one second here; the others the default 30 days.
        let service = try await LiveService(["SESSION_TTL": "1"], backend: backend)
        let issued = ContinuousClock.now  // before the login: the token cannot have been issued earlier
        let shortLived = try await service.call(
            "POST", "/api/auth/login", body: ["username": "alice", "password": "pw-alice-123456"])
        let expiring = try #require(shortLived.json["token"] as? String)
        let anonymous = try await service.call("GET", "/api/sessions")
        #expect(anonymous.status == 401)
        #expect(anonymous.headers["x-content-type-options"] == "nosniff")  // errors carry the headers too
        #expect((anonymous.json["error"] as? [String: Any])?["message"] as? String == "authentication required")
        #expect(try await service.call("POST", "/api/chat", body: ["message": "x"]).status == 401)
        #expect(try await service.call("GET", "/api/sessions", token: "not-a-token").status == 401)
        let wrong = try await service.call(
            "POST", "/api/auth/login", body: ["username": "alice", "password": "nope-nope-nope"])
        #expect(wrong.status == 401)
        #expect(wrong.json["token"] == nil)
        let unknown = try await service.call(
            "POST", "/api/auth/login", body: ["username": "nobody", "password": "nope-nope-nope"])
        #expect(unknown.status == 401)

        let token = try await service.login("alice", rememberMe: true)
        #expect(try await service.call("GET", "/api/sessions", token: token).status == 200)
        // A user's token on an admin route: forbidden, and no rows.
        let forbidden = try await service.call(
            "POST", "/api/admin/sql", token: token, body: ["question": "how many messages?"])
        #expect(forbidden.status == 403)
        #expect(forbidden.json["rows"] == nil)
        #expect(try await service.call("POST", "/api/auth/logout", token: token).status == 204)
        let revoked = try await service.call("GET", "/api/sessions", token: token)
        #expect(revoked.status == 401)
        #expect(revoked.json["sessions"] == nil)

        // The one-second token: refused once its lifetime is over (time itself must pass; polled, not slept).
        var expired = try await service.call("GET", "/api/sessions", token: expiring)
        while expired.status == 200, issued.duration(to: .now) < .seconds(30) {
            try await Task.sleep(for: .milliseconds(200))
            expired = try await service.call("GET", "/api/sessions", token: expiring)
        }
        #expect(expired.status == 401)
        #expect(issued.duration(to: .now) >= .seconds(1))
    }

    @Test(
        "remember-me tokens live REMEMBER_ME_TTL, others SESSION_TTL; the token is stored only as a hash",
        arguments: Backend.allCases)
    func tokenLifetimes(backend: Backend) async throws {
        let service = try await LiveService(backend: backend)
        let short = try await service.call(
            "POST", "/api/auth/login", body: ["username": "alice", "password": "pw-alice-123456"])
        #expect(short.json["expires_in"] as? Int == 3600)
        #expect(short.json["role"] as? String == "user")
        let long = try await service.call(
            "POST", "/api/auth/login",
            body: ["username": "root", "password": "pw-root-123456", "remember_me": true])
        #expect(long.json["expires_in"] as? Int == 2_592_000)
        #expect(long.json["role"] as? String == "admin")
        // The database holds no token in clear.
        let token = try #require(long.json["token"] as? String)
        switch backend {
        case .sqlite:
            let bytes =
                try Data(contentsOf: service.directory.appendingPathComponent("chat.db"))
                + ((try? Data(contentsOf: service.directory.appendingPathComponent("chat.db-wal"))) ?? Data())
            #expect(bytes.range(of: Data(token.utf8)) == nil)
        case .postgres:
            let url = service.databaseURL
            let dump = try await Blocking.run {
                try TestPostgres.psql(url, "SELECT string_agg(t::text, ' ') FROM auth_tokens t")
            }
            #expect(dump.count > 64)  // two rows were read
            #expect(!dump.contains(token))
        }
    }
}
