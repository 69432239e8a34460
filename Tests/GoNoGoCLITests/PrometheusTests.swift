import Foundation
import GRDB
import TestSupport
import Testing

/// `--format prometheus` read by the programs that read it in the field (promtool, prometheus_client's parsers), and
/// `--push` to Debian's Prometheus Pushgateway on loopback, scraped back.
@Suite("gonogo verify: Prometheus metrics and the Pushgateway")
struct PrometheusTests {
    static let only = ["--only", "database-preparation/sqlite-development/*", "--gate", "ci"]

    /// The Pushgateway on a port the kernel picks (it logs `msg="Listening on" address=127.0.0.1:PORT`), keeping
    /// nothing on disk.
    static func pushgateway() throws -> (server: ServerProcess, port: Int) {
        let server = ServerProcess(
            path: "/bin/sh",
            ["-c", "exec prometheus-pushgateway --web.listen-address=127.0.0.1:0 --persistence.file= 2>&1"],
            environment: [:], directory: FileManager.default.temporaryDirectory.path,
            ready: { output in
                guard let r = output.range(of: "msg=\"Listening on\" address=127.0.0.1:") else { return nil }
                let digits = output[r.upperBound...].prefix { $0.isNumber }
                // The whole number: the line has ended.
                guard output[r.upperBound...].dropFirst(digits.count).first?.isNewline == true else { return nil }
                return Int(digits)
            })
        return (server, try server.start())
    }

    /// Runs `script` with the test virtualenv's Python (prometheus_client, installed by scripts/test).
    static func python(_ script: String, _ arguments: [String]) throws -> Run {
        let python = try #require(
            ProcessInfo.processInfo.environment["GONOGO_TEST_PYTHON"],
            "GONOGO_TEST_PYTHON is not set: run the tests through scripts/test, which installs prometheus_client")
        return try Executables.run(path: python, ["-c", script] + arguments)
    }

    /// Each `gonogo_*` sample of `text` (Prometheus text format) as `name{label=value,…} value`, sorted, as
    /// prometheus_client's parser reads it.
    static func samples(_ text: String, openMetrics: Bool = false) throws -> [String] {
        let script = """
            import sys
            from prometheus_client.parser import text_string_to_metric_families as text
            from prometheus_client.openmetrics.parser import text_string_to_metric_families as om
            parse = om if sys.argv[2] == "om" else text
            for family in parse(open(sys.argv[1]).read()):
                for s in family.samples:
                    if s.name.startswith("gonogo_"):
                        labels = ",".join(f"{k}={v}" for k, v in sorted(s.labels.items()))
                        print(f"{s.name}{{{labels}}} {s.value:g}")
            """
        let file = try Executables.temporaryDirectory("prom").appendingPathComponent("metrics.prom")
        try Data(text.utf8).write(to: file)
        let run = try python(script, [file.path, openMetrics ? "om" : "text"])
        try #require(run.status == 0, "\(run.stderr)")
        return run.stdout.split(separator: "\n").map(String.init).sorted()
    }

    @Test("deploy/'s alert rules pass promtool and name only metrics chat-api serves (or node_exporter's, or up)")
    func alertRules() async throws {
        let rules = Executables.repositoryRoot + "/deploy/prometheus/chat-api-alerts.yml"
        let check = try await Executables.run(path: "/usr/bin/promtool", ["check", "rules", rules])
        #expect(check.status == 0 && check.stdout.contains("SUCCESS: 5 rules found"), "\(check.stdout) \(check.stderr)")
        // Every chat-api metric a rule reads is one chat-api documents for /metrics.
        let text = try String(contentsOfFile: rules, encoding: .utf8)
        let docs = try String(contentsOfFile: Executables.repositoryRoot + "/docs/chat-api.md", encoding: .utf8)
        for metric in ["hb_requests", "http_server_request_duration", "chat_database_duration_seconds"] {
            #expect(text.contains(metric) && docs.contains(metric), "\(metric)")
        }
    }

    @Test("report.prom: promtool accepts it, OpenMetrics' parser too; the counts are report.json's, item by item")
    func textfile() async throws {
        try await Blocking.run { try Self.checkTextfile() }
    }

    static func checkTextfile() throws {
        let dir = try VerifyFixture.make()
        let out = dir.path + "/out"
        let run = try gonogo(
            ["verify", VerifyFixture.checklist, "--config", dir.path + "/gonogo.yml", "--out", out]
                + Self.only + ["--format", "prometheus", "--env-name", "staging"])
        #expect(run.status == 0, "\(run.stdout.prefix(1500)) \(run.stderr)")
        let text = try String(contentsOfFile: out + "/report.prom", encoding: .utf8)
        // promtool reads the text format and lints it (names, units, help): silent and 0 when all is well.
        let promtool = try Executables.run(path: "/usr/bin/promtool", ["check", "metrics"], stdin: text)
        #expect(promtool.status == 0 && promtool.stdout.isEmpty, "\(promtool.stdout) \(promtool.stderr)")

        let report =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/report.json")))
            as? [String: Any] ?? [:]
        let samples = try Self.samples(text)
        #expect(try Self.samples(text, openMetrics: true) == samples)
        let checklist = "checklist=\(VerifyFixture.checklist)"
        #expect(samples.contains("gonogo_go{\(checklist)} 1"))
        for (status, count) in report["summary"] as? [String: Int] ?? [:] {
            #expect(samples.contains("gonogo_items{\(checklist),status=\(status)} \(count)"), "\(status)")
        }
        let items = (report["items"] as? [[String: Any]] ?? []).filter { $0["kind"] as? String != "group" }
        let statuses = samples.filter { $0.hasPrefix("gonogo_item_status{") }
        #expect(statuses.count == items.count)
        let wal = items.first { ($0["id"] as? String ?? "").hasSuffix("/wal-mode-enabled") }
        #expect(
            statuses.contains(
                "gonogo_item_status{\(checklist),id=\(wal?["id"] as? String ?? "-"),kind=sqlite.journal_mode,"
                    + "severity=blocker,status=pass} 1"), "\(statuses.prefix(3))")
        let info = try #require(samples.first { $0.hasPrefix("gonogo_run_info{") })
        #expect(info.contains("environment=staging") && info.contains("gate=ci"), "\(info)")
    }

    @Test("--push: the Pushgateway holds the run, the next run replaces it; refused or unreachable, exit 2 saying so")
    func push() async throws {
        let dir = try await VerifyFixture.make()
        let (gateway, port) = try await Blocking.run { try Self.pushgateway() }
        defer { gateway.kill() }
        let base = "http://127.0.0.1:\(port)"
        let verify =
            ["verify", VerifyFixture.checklist, "--config", dir.path + "/gonogo.yml", "--push", base]
            + Self.only + ["--env-name", "staging"]
        @Sendable func scraped() throws -> [String] {
            let scrape = try Executables.run(path: "/usr/bin/curl", ["-sS", "--max-time", "20", base + "/metrics"])
            try #require(scrape.status == 0, "\(scrape.stderr)")
            return try Self.samples(scrape.stdout).filter { $0.hasPrefix("gonogo_go{") || $0.contains("wal-mode") }
        }
        let group = "checklist=\(VerifyFixture.checklist),environment=staging,instance=,job=gonogo"
        let first = try await Blocking.run { try gonogo(verify) }
        #expect(first.status == 0, "\(first.stderr)")
        var metrics = try await Blocking.run { try scraped() }
        #expect(metrics.contains("gonogo_go{\(group)} 1"), "\(metrics)")
        #expect(metrics.contains { $0.hasPrefix("gonogo_item_status{") && $0.contains("status=pass") })

        // WAL off: NO-GO; the group now holds this run only (no series of the last run's pass is left).
        let queue = try DatabaseQueue(path: dir.path + "/data/messages.db")
        try await queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = DELETE") }
        let second = try await Blocking.run { try gonogo(verify) }
        #expect(second.status == 1, "\(second.stderr)")
        metrics = try await Blocking.run { try scraped() }
        #expect(metrics.contains("gonogo_go{\(group)} 0"), "\(metrics)")
        let wal = metrics.filter { $0.hasPrefix("gonogo_item_status{") && $0.contains("wal-mode-enabled") }
        #expect(wal.count == 1 && wal[0].contains("status=fail"), "\(wal)")

        // A path the Pushgateway does not serve (a prefix it was not given): exit 2 with its status.
        let refused = try await Blocking.run {
            try gonogo(
                ["verify", VerifyFixture.checklist, "--config", dir.path + "/gonogo.yml"] + Self.only
                    + ["--push", base + "/pushgateway"])
        }
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("refused the metrics: HTTP 404"), "\(refused.stderr)")
        // Nothing listening any more: exit 2 naming the address, within the push's own time.
        gateway.kill()
        let gone = try await Blocking.run { try gonogo(verify) }
        #expect(gone.status == 2)
        #expect(gone.stderr.contains("could not push the metrics to \(base)/metrics/job/gonogo/"), "\(gone.stderr)")
    }
}
