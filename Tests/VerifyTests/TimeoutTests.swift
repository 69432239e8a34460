import Catalog
import Checklist
import Foundation
import Probes
import Results
import TestSupport
import Testing

@testable import Verify

/// A check that runs out of time is stopped, not abandoned: nothing of it reaches the server afterwards, and the
/// checks after it get real verdicts.
@Suite struct TimeoutTests {
    /// A checklist of annotated items, planned as `gonogo plan` would.
    static func plan(_ markdown: String) throws -> Plan {
        try Planner.plan(try ChecklistParser.parse(markdown, path: "timeout.md"))
    }

    @Test("a latency check cut by its timeout sends nothing more; the rate-limit check after it gets a real verdict")
    func latencyStops() async throws {
        // /api/limited answers 429 from its sixth request on; everything else 200.
        let server = try await LoopbackServer.start { path, before in
            path == "/api/limited" && before >= 5 ? (429, ["Retry-After": "30"]) : (200, [:])
        }
        defer { Task { await server.stop() } }
        let plan = try Self.plan(
            """
            # Release
            - [ ] Sampled <!-- gonogo: latency.request method=GET path=/api/sample threshold="p95 < 500ms" -->
            - [ ] Limited <!-- gonogo: http.rate_limit path=/api/limited max=5 -->
            """)
        var options = VerifyOptions()
        options.apiURL = server.baseURL
        options.gate = .ci
        // 20 requests a second for 75 s: five times longer than the check may take. Fifteen seconds per check leave
        // the rate-limit check's six requests room on a 2-core machine the other suites keep busy (five once did
        // not: the test ran 68 s there, against 6.5 s alone).
        options.http.latency = LatencySettings(rate: 20, duration: .seconds(75), warmup: .zero)
        options.itemTimeout = .seconds(15)
        let clock = ContinuousClock()
        let run = await Verifier.run(plan: plan, options: options, environment: Environment(files: [], process: [:]))
        let atReturn = server.count("/api/sample")

        let sampled = try #require(run.results.first { $0.planned.kind == Kind(.latency, "request") })
        #expect(sampled.status == .error)
        #expect(sampled.outcome.message.contains("no answer within 15 s"), "\(sampled.outcome.message)")
        // At 20/s, the check's own duration (fifteen seconds, longer only on a starved machine) allows that many
        // requests and a few more; the whole 75 seconds would be 1,500.
        let allowed = 20 * (sampled.durationMs / 1000 + 1) + 5
        #expect(atReturn > 0 && atReturn <= allowed, "\(atReturn) sampling requests in \(sampled.durationMs) ms")
        let limited = try #require(run.results.first { $0.planned.kind == Kind(.http, "rate_limit") })
        #expect(limited.status == .pass, "\(limited.outcome.message)")
        #expect(limited.outcome.observed?.contains("429 at request 6") == true, "\(limited.outcome.observed ?? "")")
        // Nothing of the cancelled check is sent later. A request already on the wire at the cancellation may still
        // be counted after the run returned on a starved machine: half a second for those, then the count holds.
        try await Task.sleep(for: .milliseconds(500))
        let settled = server.count("/api/sample")
        #expect(settled <= allowed)
        let deadline = clock.now.advanced(by: .seconds(1))
        while clock.now < deadline {
            #expect(server.count("/api/sample") == settled)
            try await Task.sleep(for: .milliseconds(100))
        }
    }
}

@Suite struct LatencyConfigTests {
    @Test("a latency sampling that cannot fit in the item's timeout is refused at its line")
    func samplingFitsTimeout() throws {
        let text =
            "api_url: http://127.0.0.1:1\nitem_timeout: 5\nhttp:\n  latency: {rate: 10, duration: 5, warmup: 1}\n"
        #expect(throws: ConfigError.self) { try VerifyConfig.parse(text, file: "g.yml", environment: [:]) }
        do {
            _ = try VerifyConfig.parse(text, file: "g.yml", environment: [:])
        } catch let error as ConfigError {
            #expect(error.description.hasPrefix("g.yml:4:"), "\(error.description)")
            #expect(error.description.contains("item_timeout"))
        }
        // The same sampling with room to spare is accepted; so is the default timeout (30 s) with the default sampling.
        let fits = text.replacingOccurrences(of: "item_timeout: 5", with: "item_timeout: 7")
        #expect(try VerifyConfig.parse(fits, file: "g.yml", environment: [:]).itemTimeout == 7)
        #expect(
            try VerifyConfig.parse("http: {latency: {rate: 5}}\n", file: "g.yml", environment: [:]).http.latency.rate
                == 5)
    }
}

@Suite struct ProbeErrorTests {
    @Test("a refused connection keeps libcurl's code; a cancelled request ends at once with CancellationError")
    func transport() async throws {
        let closed = try TestSupport.Ports.free()
        do {
            _ = try await CurlClient.shared.send(HTTPProbeRequest("GET", "http://127.0.0.1:\(closed)/"))
            Issue.record("a closed port answered")
        } catch let error as ProbeError {
            #expect(error.curlCode == 7, "\(error)")  // CURLE_COULDNT_CONNECT
            #expect(error.status == nil && error.failedOption == nil)
            #expect(error.description.contains("Couldn't connect"), "\(error.description)")
        }
        // A request in flight to a server that never answers: removed when its task is cancelled, at once.
        let server = try await LoopbackServer.start { _, _ in (200, [:]) }
        defer { Task { await server.stop() } }
        let task = Task {
            var request = HTTPProbeRequest("GET", server.baseURL + "/hang")
            request.timeout = .seconds(60)
            return try await CurlClient.shared.send(request)
        }
        let arrival = ContinuousClock.now.advanced(by: .seconds(30))
        while server.count("/hang") == 0, ContinuousClock.now < arrival { try await Task.sleep(for: .milliseconds(10)) }
        #expect(server.count("/hang") == 1, "the request never reached the server")
        task.cancel()
        // Cancelled, it ends with CancellationError; a transfer left running would end at its 60 s timeout with a
        // ProbeError instead.
        await #expect(throws: CancellationError.self) { _ = try await task.value }
    }
}

@Suite struct ConfigSectionTests {
    @Test("an unknown key at any level names its line, the section's keys and the nearest one")
    func didYouMean() throws {
        let cases: [(String, String)] = [
            ("concurency: 4\n", "c.yml:1: unknown key `concurency` (known: root, env_files"),
            ("http:\n  latancy: {rate: 5}\n", "c.yml:2: unknown key `latancy` (known: ca_file"),
            (
                "http:\n  latency: {rat: 5}\n",
                "c.yml:2: unknown key `rat` (known: rate, duration, warmup); did you mean `rate`?"
            ),
            ("http:\n  flows:\n    f:\n      - {methd: GET}\n", "c.yml:4: unknown key `methd`"),
            (
                "items:\n  x:\n    knd: manual\n",
                "c.yml:3: unknown key `knd` (known: kind, params, skip); did you mean `kind`?"
            ),
            ("items:\n  x:\n    kind: sqlite.journal_mod\n", "did you mean `sqlite.journal_mode`?"),
            (
                "artifacts:\n  juint: [a.xml]\n",
                "c.yml:2: unknown artifact `juint` (known: junit, coverage, lighthouse); did you mean `junit`?"
            ),
        ]
        for (text, expected) in cases {
            do {
                _ = try VerifyConfig.parse(text, file: "c.yml", environment: [:])
                Issue.record("accepted: \(text)")
            } catch let error as ConfigError {
                #expect(error.description.contains(expected), "\(error.description)")
            }
        }
        // Every key the table reads is accepted.
        let config = try VerifyConfig.parse(
            "concurrency: 4\nhttp:\n  latency: {rate: 5}\nitems:\n  x: {kind: manual}\n", file: "c.yml",
            environment: [:])
        #expect(config.concurrency == 4 && config.http.latency.rate == 5 && config.items.first?.kind == .manual)
    }
}

@Suite struct ConnectionsTests {
    @Test("connections: in the config reach every probe by name, and a password in any of them is masked")
    func connections() throws {
        let config = try VerifyConfig.parse(
            "connections:\n  redis_url: redis://app:hunter2-canary@127.0.0.1:6379/0\n", file: "c.yml", environment: [:])
        let options = VerifyOptions(config: config)
        #expect(options.probe.connections["redis_url"] == "redis://app:hunter2-canary@127.0.0.1:6379/0")
        let context = ProbeContext(settings: options.probe, environment: Environment(files: [], process: [:]))
        #expect(context.masked("AUTH hunter2-canary failed") == "AUTH *** failed")
    }
}

@Suite struct HTTPFlagsTests {
    @Test("--ca-file, --insecure and --plain-url reach the http settings, over the config's")
    func flags() throws {
        let dir = try TestSupport.Executables.temporaryDirectory("gonogo-flags")
        try "- [ ] HTTPS redirect enabled\n".write(
            to: dir.appendingPathComponent("c.md"), atomically: true, encoding: .utf8)
        try "http: {ca_file: from-config.pem, plain_url: http://config.example}\n".write(
            to: dir.appendingPathComponent("gonogo.yml"), atomically: true, encoding: .utf8)
        var inputs = VerifySession.Inputs(checklist: dir.path + "/c.md")
        inputs.workingDirectory = dir.path
        inputs.caFile = "ca.pem"
        inputs.insecure = true
        inputs.plainURL = "http://127.0.0.1:8080"
        let session = try VerifySession.prepare(inputs)
        #expect(session.options.http.caFile == dir.path + "/ca.pem")
        #expect(session.options.http.insecure)
        #expect(session.options.http.plainURL == "http://127.0.0.1:8080")
    }

    @Test("a redirect check on a guessed plain-HTTP address that refuses says how to name the address")
    func redirectHint() async throws {
        let plan = try Planner.plan(
            ChecklistParser.parse("- [ ] Plain HTTP redirects <!-- gonogo: http.redirect_https -->\n", path: "r.md"))
        var settings = ProbeSettings()
        // The guess is the API's host on port 80: a name that never resolves (RFC 2606), so the guessed address
        // fails whatever this machine serves on port 80, as the existing fault tests' `.invalid` host does.
        settings.apiURL = "https://gonogo-test.invalid:8443"
        settings.http.timeout = .seconds(5)
        let context = ProbeContext(settings: settings, environment: Environment(files: [], process: [:]))
        let outcome = await ProbeTable.byFamily[.http]!.check(try #require(plan.items.first), in: context)
        #expect(outcome.status == .error)
        #expect(outcome.message.contains("--plain-url"), "\(outcome.message)")
    }
}
