import Foundation
import TestSupport
import Testing

/// Rate-limit items about the same route: one burst, on which each is judged against its own limit and window (the
/// later ones say whose burst it was), so no item meets the 429s an earlier one caused.
@Suite("gonogo verify: rate limits share one burst per route")
struct RateLimitTests {
    @Test("the second item about the same route reuses the first's burst and says so")
    func oneBurst() async throws {
        let dir = try await VerifyFixture.make()
        let env = ["DATABASE_URL": "sqlite:data/messages.db", "PORT": "0", "RATE_LIMIT_MAX_REQUESTS": "20"]
        let (server, port) = try await VerifyFixture.serveChatAPI(in: dir, env: env, password: { "rl-\($0)-pw" })
        defer { server.stop() }
        try Data("root: .\napi_url: http://127.0.0.1:\(port)\n".utf8).write(
            to: dir.appendingPathComponent("gonogo.yml"))
        let checklist = dir.appendingPathComponent("rates.md")
        try Data(
            """
            # Rates
            - [ ] Rate limiting configured <!-- gonogo: http.rate_limit max=20 -->
            - [ ] API throttled at 20 requests a minute <!-- gonogo: http.rate_limit max=20 window=60 -->
            - [ ] API throttled at 10 requests <!-- gonogo: http.rate_limit max=10 -->

            """.utf8
        ).write(to: checklist)
        let report = Report(
            try await Blocking.run {
                try gonogo([
                    "verify", checklist.path, "--config", dir.path + "/gonogo.yml", "--gate", "ci", "--format", "json",
                ])
            })
        let first = report.item("rate-limiting-configured")
        let second = report.item("api-throttled-at-20-requests-a-minute")
        let stricter = report.item("api-throttled-at-10-requests")
        #expect(first?["status"] as? String == "pass", "\(first ?? [:])")
        #expect((first?["observed"] as? String)?.hasPrefix("429 at request 21") == true, "\(first ?? [:])")
        #expect(second?["status"] as? String == "pass")
        #expect(second?["observed"] as? String == first?["observed"] as? String)
        #expect(
            (second?["message"] as? String)?.hasPrefix(
                "judged on the burst of rate-limiting-configured, on the same route") == true, "\(second ?? [:])")
        // Judged against its own limit: 20 requests served is more than 10.
        #expect(stricter?["status"] as? String == "fail", "\(stricter ?? [:])")
        #expect((stricter?["message"] as? String)?.contains("20 requests were served before the first 429") == true)
    }
}
