import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing

@testable import ChatAPI

/// A clock the test moves by hand: time passes only when the test says so.
final class ManualClock: Clock, @unchecked Sendable {
    struct Instant: InstantProtocol {
        var offset: Duration
        func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        func duration(to other: Instant) -> Duration { other.offset - offset }
        static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
    }

    private let current = Mutex(Instant(offset: .zero))
    var now: Instant { current.withLock { $0 } }
    var minimumResolution: Duration { .nanoseconds(1) }
    func advance(by duration: Duration) { current.withLock { $0 = $0.advanced(by: duration) } }
    func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        while now < deadline { try await Task.sleep(for: .milliseconds(1)) }
    }
}

@Suite struct RateLimiterTests {
    @Test("a fixed window: the limit's hits pass, the next waits the rest of the window, the next window starts fresh")
    func window() async {
        let clock = ManualClock()
        let limiter = RateLimiter(limit: 3, window: .seconds(60), clock: clock)
        for _ in 1...3 { #expect(await limiter.hit("a") == nil) }
        #expect(await limiter.hit("a") == 60)
        #expect(await limiter.hit("b") == nil, "another client has its own window")
        clock.advance(by: .milliseconds(59_500))
        #expect(await limiter.isBlocked("a") == 1, "half a second left rounds up to 1")
        #expect(await limiter.hit("a") == 1)
        clock.advance(by: .milliseconds(500))
        #expect(await limiter.isBlocked("a") == nil)
        #expect(await limiter.hit("a") == nil, "a new window")
    }
}

/// chat-api's routes in-process, through Hummingbird's router test client: no process, no port.
@Suite struct RouterTests {
    static func withRouter(
        _ environment: [String: String], _ body: @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("chat-api-router-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let configuration = try ChatConfiguration(
            environment: ["DATABASE_URL": "sqlite:\(dir.path)/messages.db"].merging(environment) { $1 })
        let logger = Logger(label: "router-test")
        let store = try ChatStores.open(configuration, logger: logger)
        _ = try await store.migrate()
        let app = Application(
            router: ChatService.buildRouter(ChatServices(configuration: configuration, store: store, logger: logger)))
        try await app.test(.router, body)
    }

    @Test("/health answers JSON with the security headers; an unknown route a JSON 404; /api needs a token")
    func routes() async throws {
        try await Self.withRouter([:]) { client in
            try await client.execute(uri: "/health", method: .get) { response in
                #expect(response.status == .ok)
                let json = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                #expect(json?["status"] as? String == "ok" && json?["database"] as? String == "ok")
                #expect(response.headers[.init("X-Content-Type-Options")!] == "nosniff")
            }
            try await client.execute(uri: "/nowhere", method: .get) { response in
                #expect(response.status == .notFound)
                let json = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                #expect((json?["error"] as? [String: Any])?["message"] as? String == "no route GET /nowhere")
            }
            try await client.execute(uri: "/api/sessions", method: .get) { response in
                #expect(response.status == .unauthorized)
            }
        }
    }

    @Test("the API rate limit answers 429 with Retry-After past its count; CORS names an allowed origin only")
    func limitsAndCORS() async throws {
        let environment = ["RATE_LIMIT_MAX_REQUESTS": "3", "CORS_ORIGINS": "https://chat.example.com"]
        try await Self.withRouter(environment) { client in
            for _ in 1...3 {
                try await client.execute(uri: "/api/sessions", method: .get) { #expect($0.status == .unauthorized) }
            }
            try await client.execute(uri: "/api/sessions", method: .get) { response in
                #expect(response.status == .tooManyRequests)
                #expect(response.headers[.retryAfter].flatMap { Int($0) }.map { $0 >= 1 } == true)
            }
            try await client.execute(uri: "/health", method: .get, headers: [.origin: "https://chat.example.com"]) {
                #expect($0.headers[.accessControlAllowOrigin] == "https://chat.example.com")
            }
            try await client.execute(uri: "/health", method: .get, headers: [.origin: "https://evil.example"]) {
                #expect($0.headers[.accessControlAllowOrigin] == nil)
            }
        }
    }
}

@Suite struct DuplicateKeyTests {
    @Test("a key twice in one object is found, escaped or not; the same key in two objects or inside a string is not")
    func scan() {
        #expect(DuplicateKeys.first(in: Array(#"{"a": 1, "a": 2}"#.utf8)) == "a")
        #expect(DuplicateKeys.first(in: Array(#"{"user": 1, "\u0075ser": 2}"#.utf8)) == "user")
        #expect(DuplicateKeys.first(in: Array(#"[{"k": 1}, {"k": 2, "k": 3}]"#.utf8)) == "k")
        #expect(DuplicateKeys.first(in: Array(#"{"a": {"k": 1}, "b": {"k": 2}}"#.utf8)) == nil)
        #expect(DuplicateKeys.first(in: Array(#"{"k": "a,\"k\": 1"}"#.utf8)) == nil)
        #expect(DuplicateKeys.first(in: Array(#"{"k": ["k", "k"]}"#.utf8)) == nil)
        #expect(DuplicateKeys.first(in: Array(#"{"a": 1, "b": {"c": 1}, "a": 2}"#.utf8)) == "a")
        // Deep nesting is a loop, not recursion: 100,000 levels cost a list, not the stack.
        let deep = String(repeating: #"{"a":"#, count: 100_000) + "1" + String(repeating: "}", count: 100_000)
        #expect(DuplicateKeys.first(in: Array(deep.utf8)) == nil)
    }
}
