import Catalog
import Checklist
import Foundation
import HTTPTypes
import Hummingbird
import Probes
import Results
import Testing

@testable import Verify

/// `http.status` with a JSON field: a dotted field is a path into nested objects, and a field the answer lacks fails
/// (with or without `equals`), against a real server on loopback.
@Suite struct JSONFieldTests {
    @Test("a nested field is followed; a missing one fails; a value compares as text")
    func fields() async throws {
        let router = Router()
        router.get("/health") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: #"{"status":"ok","db":{"status":"up"}}"#)))
        }
        let (server, port) = await LoopbackApp.serve(router)
        defer { server.cancel() }
        let plan = try Planner.plan(
            ChecklistParser.parse(
                """
                # Health
                - [ ] nested up <!-- gonogo: http.status path=/health field=db.status equals=up -->
                - [ ] nested down <!-- gonogo: http.status path=/health field=db.status equals=down -->
                - [ ] present <!-- gonogo: http.status path=/health field=status -->
                - [ ] absent <!-- gonogo: http.status path=/health field=cache -->
                - [ ] absent nested <!-- gonogo: http.status path=/health field=db.latency -->
                """, path: "fields.md"))
        var options = VerifyOptions()
        options.apiURL = "http://127.0.0.1:\(port)"
        options.gate = .ci
        let run = await Verifier.run(
            plan: plan, options: options, environment: Probes.Environment(files: [], process: [:]))
        let results = run.results.map { ($0.status, $0.outcome.observed ?? "") }
        try #require(results.count == 5)
        #expect(results.map(\.0) == [.pass, .fail, .pass, .fail, .fail], "\(results)")
        #expect(results[0].1.contains("db.status=up"), "\(results[0])")
        #expect(results[3].1.contains("cache=absent"), "\(results[3])")
    }
}
