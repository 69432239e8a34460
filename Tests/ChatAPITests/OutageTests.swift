import Foundation
import TestSupport
import Testing

/// chat-api on a PostgreSQL server of its own, which the test stops and starts under it.
@Suite("chat-api when PostgreSQL goes away")
struct OutageTests {
    @Test("stopping PostgreSQL turns /health to 503 with a log line saying why; starting it again recovers")
    func outage() async throws {
        let cluster = try Executables.temporaryDirectory("pg-outage").appendingPathComponent("cluster").path
        let script = Executables.repositoryRoot + "/scripts/pg-cluster"
        let started = try await Blocking.run { try Shell.run(script, ["start", cluster]) }
        try #require(started.status == 0, "\(started.stderr)")
        defer { _ = try? Shell.run(script, ["destroy", cluster]) }
        let url = started.stdout.trimmingCharacters(in: .whitespacesAndNewlines)

        let service = try await LiveService(["DATABASE_URL": url], backend: .postgres)
        let token = try await service.login("alice")
        #expect(try await service.call("POST", "/api/chat", token: token, body: ["message": "before"]).status == 200)
        #expect(try await service.call("GET", "/health").status == 200)

        let stopped = try await Blocking.run { try Shell.run(script, ["stop", cluster]) }
        try #require(stopped.status == 0, "\(stopped.stderr)")
        let down = try await Self.poll(service, until: 503)
        #expect(down.json["status"] as? String == "error")
        #expect(down.json["database"] as? String == "unreachable")
        // The log says what happened, and not the password of the URL.
        let password = try #require(URLComponents(string: url)?.password)
        #expect(await Self.logged(service, "health: database unreachable"))
        #expect(service.server.stderr.contains("PostgreSQL"))
        #expect(!service.server.stderr.contains(password))
        // A route that needs the database answers 503 in JSON, with the security headers and no internals
        // (DEBUG is false by default).
        let failing = try await service.call("GET", "/api/sessions", token: token)
        #expect(failing.status == 503)
        #expect((failing.json["error"] as? [String: Any])?["message"] as? String == "the database is unavailable")
        #expect(failing.headers["x-content-type-options"] == "nosniff")
        // The log line is written as the response goes out: read until it is there (at most 30 s).
        #expect(await Self.logged(service, "request failed"))
        // The request limit could not be counted in PostgreSQL: it was counted in the instance's memory, and said so.
        #expect(await Self.logged(service, "rate limit counted in memory"))
        // Once per outage, not once per request.
        #expect(try await service.call("GET", "/api/sessions", token: token).status == 503)
        #expect(service.server.stderr.components(separatedBy: "rate limit counted in memory").count == 2)

        // The same server comes back on the same port; the service recovers without a restart.
        let again = try await Blocking.run { try Shell.run(script, ["start", cluster]) }
        try #require(again.status == 0, "\(again.stderr)")
        let up = try await Self.poll(service, until: 200)
        #expect(up.json["database"] as? String == "ok")
        let after = try await service.call("POST", "/api/chat", token: token, body: ["message": "after"])
        #expect(after.status == 200)
        #expect(await Self.logged(service, "rate limit counted in PostgreSQL again"))
        let sessions = try await service.call("GET", "/api/sessions", token: token)
        #expect((sessions.json["sessions"] as? [[String: Any]])?.count == 2)
    }

    /// Whether the service's log says `text` within 30 s (its lines are written beside the response, not before it).
    static func logged(_ service: LiveService, _ text: String) async -> Bool {
        let deadline = ContinuousClock.now.advanced(by: .seconds(30))
        while !service.server.stderr.contains(text) {
            guard ContinuousClock.now < deadline else { return false }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return true
    }

    /// `/health` polled until it answers `status` (at most 60 s: a busy machine reconnects slowly).
    static func poll(_ service: LiveService, until status: Int) async throws -> LiveService.Answer {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: .seconds(60))
        var answer = try await service.call("GET", "/health")
        while answer.status != status, clock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
            answer = try await service.call("GET", "/health")
        }
        #expect(answer.status == status, "\(service.server.stderr.suffix(2000))")
        return answer
    }
}
