import Catalog
import Checklist
import Foundation
import HTTPTypes
import Hummingbird
import Probes
import Results
import Testing

@testable import Verify

/// CORS judged on what a browser gets: the preflight and a simple GET, from a foreign origin and from `null`, against
/// a real server on loopback whose paths misbehave in different ways.
@Suite struct CORSTests {
    static let origin = "https://app.example.com"

    /// `/good`: only the allowed origin, on both. `/reflect`: a right preflight, but GET echoes any origin with
    /// credentials. `/null`: the preflight allows the `null` origin.
    static func start() async throws -> (Task<Void, any Error>, Int) {
        let router = Router()
        @Sendable func answer(_ request: Request, preflight: Bool) -> Response {
            let origin = request.headers[.origin] ?? ""
            let path = request.uri.path
            var headers = HTTPFields()
            let allowed =
                origin == Self.origin || path.hasPrefix("/reflect") && !preflight
                || path.hasPrefix("/null") && preflight && origin == "null"
            if allowed {
                headers[.accessControlAllowOrigin] = origin
                headers[.accessControlAllowCredentials] = "true"
            }
            return Response(status: preflight ? .noContent : .ok, headers: headers)
        }
        router.on("**", method: .options) { request, _ in answer(request, preflight: true) }
        router.get("**") { request, _ in
            // `/csp…`: a Content-Security-Policy, with 'unsafe-inline' in script-src under `/csp-inline`.
            guard request.uri.path.hasPrefix("/csp") else { return answer(request, preflight: false) }
            var headers = HTTPFields()
            headers[.contentSecurityPolicy] =
                request.uri.path == "/csp-inline"
                ? "default-src 'self'; script-src 'self' 'unsafe-inline'" : "default-src 'self'; img-src 'self' data:"
            return Response(status: .ok, headers: headers)
        }
        return await LoopbackApp.serve(router)
    }

    /// `plan` verified against the server on `port`, under the ci gate, with no env files.
    static func verify(_ plan: Plan, port: Int) async -> VerifyRun {
        var options = VerifyOptions()
        options.apiURL = "http://127.0.0.1:\(port)"
        options.gate = .ci
        return await Verifier.run(plan: plan, options: options, environment: Environment(files: [], process: [:]))
    }

    @Test("a GET that echoes any origin fails though the preflight is right; null is no allowed origin; good passes")
    func realAnswers() async throws {
        let (server, port) = try await Self.start()
        defer { server.cancel() }
        let plan = try Planner.plan(
            ChecklistParser.parse(
                """
                # CORS
                - [ ] CORS allows only https://app.example.com <!-- gonogo: http.cors origin=https://app.example.com path=/good -->
                - [ ] CORS on the reflecting route <!-- gonogo: http.cors origin=https://app.example.com path=/reflect -->
                - [ ] CORS on the null route <!-- gonogo: http.cors origin=https://app.example.com path=/null -->
                - [ ] CORS for another origin <!-- gonogo: http.cors origin=https://other.example.com path=/good -->
                """, path: "cors.md"))
        let run = await Self.verify(plan, port: port)
        let results = run.results.map { ($0.status, $0.outcome.message, $0.outcome.observed ?? "") }
        try #require(results.count == 4)
        #expect(results[0].0 == .pass, "\(results[0])")
        #expect(results[1].0 == .fail, "\(results[1])")
        #expect(results[1].1.contains("a foreign origin is echoed back on the GET, with credentials"), "\(results[1])")
        #expect(!results[1].1.contains("preflight"), "\(results[1])")
        #expect(results[2].0 == .fail, "\(results[2])")
        #expect(results[2].1.contains("the null origin is echoed back on the preflight"), "\(results[2])")
        #expect(results[3].0 == .fail, "\(results[3])")
        #expect(results[3].1.contains("the origin https://other.example.com is not allowed"), "\(results[3])")
    }

    @Test("the origin a sentence names is the one checked")
    func originFromWords() throws {
        let plan = try Planner.plan(
            ChecklistParser.parse("# Edge\n- [ ] CORS allows only https://app.example.com\n", path: "c.md"))
        #expect(plan.items[0].kind == Kind(.http, "cors"))
        #expect(plan.items[0].params.string("origin") == "https://app.example.com")
    }

    @Test("a header without a source: passes when the policy lacks it, fails naming it when present")
    func excludes() async throws {
        let (server, port) = try await Self.start()
        defer { server.cancel() }
        let plan = try Planner.plan(
            ChecklistParser.parse(
                """
                # CSP
                - [ ] CSP without unsafe-inline <!-- gonogo: http.header name=Content-Security-Policy excludes=unsafe-inline path=/csp -->
                - [ ] CSP without unsafe-inline there <!-- gonogo: http.header name=Content-Security-Policy excludes=unsafe-inline path=/csp-inline -->
                """, path: "csp.md"))
        let run = await Self.verify(plan, port: port)
        let results = run.results.map { ($0.status, $0.outcome.message) }
        try #require(results.count == 2)
        #expect(results[0].0 == .pass, "\(results[0])")
        #expect(results[1].0 == .fail, "\(results[1])")
        #expect(results[1].1.contains("Content-Security-Policy has unsafe-inline"), "\(results[1])")
    }
}
