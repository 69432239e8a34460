import Foundation
import TestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

@Suite("chat-api rate limits and CORS over HTTP")
struct HardeningTests {
    @Test("the API rate limit trips at the configured count exactly, with Retry-After")
    func rateLimit() async throws {
        // A window far longer than the test, so a busy machine cannot split the burst across two windows.
        let service = try await LiveService(["RATE_LIMIT_MAX_REQUESTS": "5", "RATE_LIMIT_WINDOW": "600"])
        for _ in 0..<5 { #expect(try await service.call("GET", "/api/sessions").status == 401) }
        let limited = try await service.call("GET", "/api/sessions")
        #expect(limited.status == 429)
        let retry = try #require(limited.headers["retry-after"].flatMap(Int.init))
        #expect((1...600).contains(retry))
        #expect(limited.headers["x-content-type-options"] == "nosniff")
        // /health is not an API route and is never limited.
        #expect(try await service.call("GET", "/health").status == 200)
    }

    @Test("two instances on one PostgreSQL share each client's budget: the request limit and the login throttle")
    func sharedLimits() async throws {
        let limits = ["RATE_LIMIT_MAX_REQUESTS": "6", "RATE_LIMIT_WINDOW": "600", "LOGIN_RATE_LIMIT_MAX": "2"]
        let first = try await LiveService(limits, backend: .postgres)
        let second = try await LiveService(
            limits.merging(["DATABASE_URL": first.databaseURL]) { $1 }, backend: .postgres, users: false)
        // Alternating between the instances, as a load balancer would: the seventh request is refused, whichever
        // instance gets it (in memory, each would have allowed six).
        for i in 0..<6 {
            #expect(try await (i % 2 == 0 ? first : second).call("GET", "/api/sessions").status == 401, "request \(i)")
        }
        let limited = try await second.call("GET", "/api/sessions")
        #expect(limited.status == 429)
        #expect((1...600).contains(limited.headers["retry-after"].flatMap(Int.init) ?? 0))
        #expect(try await first.call("GET", "/api/sessions").status == 429)

        // Failed logins are counted across both: two wrong passwords, one on each, block the right one on either.
        let third = try await LiveService(limits, backend: .postgres)
        let fourth = try await LiveService(
            limits.merging(["DATABASE_URL": third.databaseURL]) { $1 }, backend: .postgres, users: false)
        for service in [third, fourth] {
            let wrong = try await service.call(
                "POST", "/api/auth/login", body: ["username": "alice", "password": "wrong-wrong-wrong"])
            #expect(wrong.status == 401)
        }
        let blocked = try await third.call(
            "POST", "/api/auth/login", body: ["username": "alice", "password": "pw-alice-123456"])
        #expect(blocked.status == 429 && blocked.json["token"] == nil)
    }

    @Test("a route that does not exist answers 404 in JSON, with the security headers")
    func unknownRoute() async throws {
        let service = try await LiveService([:])
        let answer = try await service.call("GET", "/no/such/route")
        #expect(answer.status == 404)
        #expect((answer.json["error"] as? [String: Any])?["message"] as? String == "no route GET /no/such/route")
        #expect(answer.headers["x-content-type-options"] == "nosniff")
        #expect(answer.headers["content-type"]?.hasPrefix("application/json") == true)
    }

    @Test("behind a trusted proxy each X-Real-IP has its own bucket; from anyone else the header is ignored")
    func trustedProxy() async throws {
        let limits = ["RATE_LIMIT_MAX_REQUESTS": "3", "RATE_LIMIT_WINDOW": "600"]
        let behind = try await LiveService(limits.merging(["TRUSTED_PROXIES": "127.0.0.1, ::1"]) { a, _ in a })
        for _ in 0..<3 {
            #expect(try await behind.call("GET", "/api/sessions", headers: ["X-Real-IP": "203.0.113.7"]).status == 401)
        }
        #expect(try await behind.call("GET", "/api/sessions", headers: ["X-Real-IP": "203.0.113.7"]).status == 429)
        // Another client behind the same proxy is not punished for the first one's burst.
        #expect(try await behind.call("GET", "/api/sessions", headers: ["X-Real-IP": "198.51.100.2"]).status == 401)

        // Not configured: a client cannot pick a fresh bucket by sending the header.
        let direct = try await LiveService(limits)
        for i in 0..<3 {
            let answer = try await direct.call("GET", "/api/sessions", headers: ["X-Real-IP": "203.0.113.\(i)"])
            #expect(answer.status == 401)
        }
        #expect(try await direct.call("GET", "/api/sessions", headers: ["X-Real-IP": "198.51.100.9"]).status == 429)
    }

    @Test("a client that hit the limit is served again once the window has passed")
    func rateLimitResets() async throws {
        let service = try await LiveService(["RATE_LIMIT_MAX_REQUESTS": "3", "RATE_LIMIT_WINDOW": "2"])
        var retry: Int?
        for _ in 0..<200 where retry == nil {
            let answer = try await service.call("GET", "/api/sessions")
            if answer.status == 429 { retry = answer.headers["retry-after"].flatMap(Int.init) }
        }
        let wait = try #require(retry)
        // The window is time itself: wait it out, then the next request is counted afresh.
        try await Task.sleep(for: .seconds(wait) + .milliseconds(300))
        #expect(try await service.call("GET", "/api/sessions").status == 401)
    }

    @Test("failed logins past LOGIN_RATE_LIMIT_MAX get 429, even with the right password")
    func loginThrottle() async throws {
        let service = try await LiveService(["LOGIN_RATE_LIMIT_MAX": "3", "RATE_LIMIT_WINDOW": "60"])
        for _ in 0..<3 {
            let wrong = try await service.call(
                "POST", "/api/auth/login", body: ["username": "alice", "password": "wrong-wrong-wrong"])
            #expect(wrong.status == 401)
        }
        let blocked = try await service.call(
            "POST", "/api/auth/login", body: ["username": "alice", "password": "pw-alice-123456"])
        #expect(blocked.status == 429)
        #expect(blocked.json["token"] == nil)
        #expect(blocked.headers["retry-after"] != nil)
    }

    @Test("CORS allows the configured origin by exact match and nothing else, never *")
    func cors() async throws {
        let service = try await LiveService(["CORS_ORIGINS": "https://app.example.com, https://admin.example.com"])
        let allowed = try await service.call("GET", "/health", headers: ["Origin": "https://app.example.com"])
        #expect(allowed.headers["access-control-allow-origin"] == "https://app.example.com")
        for foreign in ["https://evil.example.com", "https://app.example.com.evil.io", "null", "*"] {
            let answer = try await service.call("GET", "/health", headers: ["Origin": foreign])
            #expect(answer.headers["access-control-allow-origin"] == nil, "\(foreign)")
            let preflight = try await service.call(
                "OPTIONS", "/api/chat", headers: ["Origin": foreign, "Access-Control-Request-Method": "POST"])
            #expect(preflight.status == 403, "\(foreign)")
        }
        let preflight = try await service.call(
            "OPTIONS", "/api/chat",
            headers: ["Origin": "https://admin.example.com", "Access-Control-Request-Method": "POST"])
        #expect(preflight.status == 204)
        #expect(preflight.headers["access-control-allow-origin"] == "https://admin.example.com")
    }
}

@Suite("chat-api metrics")
struct MetricsTests {
    @Test(
        "/health and /metrics: requests by route and status, model and database latency, process memory (Prometheus)",
        arguments: Backend.allCases)
    func metrics(backend: Backend) async throws {
        let service = try await LiveService(backend: backend)
        let health = try await service.call("GET", "/health")
        #expect(health.status == 200)
        #expect(health.json["database"] as? String == "ok")
        let token = try await service.login("alice")
        _ = try await service.call("POST", "/api/chat", token: token, body: ["message": "hello"])
        _ = try await service.call("GET", "/api/sessions")  // a 401, to see a status label
        var request = URLRequest(url: URL(string: service.base + "/metrics")!)
        request.httpMethod = "GET"
        let (data, response) = try await URLSession.shared.data(for: request)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        let text = String(decoding: data, as: UTF8.self)
        let database = backend == .sqlite ? "sqlite" : "postgresql"
        // Hummingbird's MetricsMiddleware: requests and their duration by route, method and status.
        #expect(
            text.contains(
                #"hb_requests{http_route="/api/chat",http_request_method="POST",http_response_status_code="200"} 1"#))
        #expect(text.contains(#"http_route="/api/sessions",http_request_method="GET",http_response_status_code="401""#))
        #expect(text.contains("http_server_request_duration_bucket"))
        #expect(text.contains("chat_model_latency_seconds"))
        #expect(text.contains("process_resident_memory_bytes"))
        // Database latency by operation: the chat stored two messages, each call timed.
        #expect(
            text.contains(
                #"chat_database_duration_seconds_count{operation="add_message",database="\#(database)",outcome="ok"} 2"#
            ),
            "\(text.split(separator: "\n").filter { $0.contains("chat_database") }.prefix(5))")
        #expect(!text.contains(token))
    }
}
