import Catalog
import Checklist
import Foundation
import Probes
import Reports
import Results
import Testing

@testable import Verify

/// A probe whose answers, delays and scheduling the test sets: the runner's ordering, deadlines, cancellation,
/// groups and gates, in-process.
struct StubProbe: Probe {
    /// Per item text: the status to answer and how long to take first.
    var answers: [String: (Status, Duration)]
    var alone: Set<String> = []
    /// Item texts that end only after another item has ended (text -> the one to wait for): a finishing order the
    /// test sets, not one a busy machine decides.
    var after: [String: String] = [:]
    let log = LockedBox<[String]>([])
    let cancelled = LockedBox<Set<String>>([])
    let kinds = [Kind(.env, "set"), Kind(.env, "equals")]

    func run(_ item: PlannedItem, in context: ProbeContext) async -> Outcome {
        let (status, delay) = answers[item.item.text] ?? (.pass, .zero)
        log.withLock { $0.append("start \(item.item.text)") }
        do {
            try await Task.sleep(for: delay)
            if let other = after[item.item.text] {
                while !log.withLock({ $0.contains("end \(other)") }) { try await Task.sleep(for: .milliseconds(5)) }
            }
        } catch {
            cancelled.withLock { _ = $0.insert(item.item.text) }
            return .error("cancelled")
        }
        log.withLock { $0.append("end \(item.item.text)") }
        return Outcome(status, message: "stub \(status.rawValue)")
    }

    func scheduling(of item: PlannedItem, in context: ProbeContext) -> Scheduling {
        alone.contains(item.item.text) ? .alone(order: 0) : .concurrent
    }
}

@Suite struct RunnerTests {
    static func run(
        _ markdown: String, _ probe: StubProbe, gate: Gate = .ci, timeout: Duration = .seconds(20),
        failOnWarn: Bool = false
    ) async throws
        -> VerifyRun
    {
        let plan = try Planner.plan(ChecklistParser.parse(markdown, path: "runner.md"))
        var options = VerifyOptions()
        options.gate = gate
        options.failOnWarn = failOnWarn
        options.itemTimeout = timeout
        return await Verifier.run(
            plan: plan, options: options, environment: Environment(files: [], process: [:]),
            probes: [.env: probe])
    }

    static let three = """
        # Release
        - [ ] slow <!-- gonogo: env.set name=A -->
        - [ ] medium <!-- gonogo: env.set name=B -->
        - [ ] fast <!-- gonogo: env.set name=C -->
        """

    @Test("results come in file order whatever order the checks finish in")
    func fileOrder() async throws {
        var probe = StubProbe(answers: ["medium": (.fail, .zero)])
        probe.after = ["slow": "medium", "medium": "fast"]
        let run = try await Self.run(Self.three, probe)
        #expect(run.results.map(\.planned.item.text) == ["slow", "medium", "fast"])
        #expect(run.results.map(\.status) == [.pass, .fail, .pass])
        // They did finish in the reverse order.
        #expect(probe.log.withLock { $0.filter { $0.hasPrefix("end") } } == ["end fast", "end medium", "end slow"])
        #expect(!run.verdict.go && run.verdict.reasons == ["1 blocker item failed"])
    }

    @Test("a check past its timeout is cancelled (it sees the cancellation) and reported as an error naming the limit")
    func deadline() async throws {
        // Two minutes: a check the runner failed to cancel would end then, uncancelled, and the test would fail.
        let probe = StubProbe(answers: ["slow": (.pass, .seconds(120))])
        let run = try await Self.run(Self.three, probe, timeout: .milliseconds(500))
        #expect(run.results[0].status == .error)
        #expect(run.results[0].outcome.message == "no answer within 0.5 s (the check's timeout)")
        #expect(probe.cancelled.withLock { $0 } == ["slow"])
        #expect(run.results[1].status == .pass && run.results[2].status == .pass)
    }

    @Test("a check that asks to run alone starts after every other check has ended")
    func alone() async throws {
        var probe = StubProbe(answers: ["slow": (.pass, .milliseconds(200)), "medium": (.pass, .milliseconds(100))])
        probe.alone = ["fast"]
        _ = try await Self.run(Self.three, probe)
        let log = probe.log.withLock { $0 }
        let start = try #require(log.firstIndex(of: "start fast"))
        #expect(log.firstIndex(of: "end slow")! < start && log.firstIndex(of: "end medium")! < start, "\(log)")
    }

    @Test("a group is the worst of its children; under release a manual blocker blocks, under ci it does not")
    func groupsAndGates() async throws {
        let markdown = """
            # Release
            - [ ] Everything set:
              - [ ] first <!-- gonogo: env.set name=A -->
              - [ ] second <!-- gonogo: env.set name=B -->
            - [ ] Somebody looked at it <!-- gonogo: manual -->
            """
        let probe = StubProbe(answers: ["second": (.fail, .zero)])
        let ci = try await Self.run(markdown, probe, gate: .ci)
        #expect(ci.results.map(\.status) == [.fail, .pass, .fail, .manual])
        #expect(ci.results[0].outcome.message.contains("worst child"))
        #expect(ci.verdict.reasons == ["1 blocker item failed"])
        let passing = StubProbe(answers: [:])
        #expect(try await Self.run(markdown, passing, gate: .ci).verdict.go)
        let release = try await Self.run(markdown, passing, gate: .release)
        #expect(!release.verdict.go)
        #expect(release.verdict.reasons.first?.hasPrefix("1 manual item awaits attestation") == true)
    }

    @Test("the reports tell the run's story: JSON counts, JUnit failures, the text verdict")
    func reports() async throws {
        let probe = StubProbe(answers: ["medium": (.fail, .zero)])
        let run = try await Self.run(Self.three, probe)
        let json = try #require(
            JSONSerialization.jsonObject(with: ReportFormat.json(run, toolVersion: "9.9.9")) as? [String: Any])
        #expect(json["verdict"] as? String == "NO-GO")
        #expect((json["summary"] as? [String: Int])?["fail"] == 1)
        #expect((json["tool"] as? [String: Any])?["version"] as? String == "9.9.9")
        let junit = ReportJUnit.render(run)
        #expect(junit.contains("failures=\"1\""), "\(junit)")
        #expect(VerifyText.render(run).contains("Verdict: NO-GO"))
    }
}

@Suite struct SecretParamTests {
    @Test("a param its kind declares secret reaches the report without credentials")
    func secretParam() async throws {
        let plan = try Planner.plan(
            ChecklistParser.parse(
                "- [ ] db <!-- gonogo: postgres.connect url=postgresql://app:pw@127.0.0.1:1/chat -->\n",
                path: "s.md"))
        #expect(Kind.spec(of: Kind(.postgres, "connect"))?.param("url")?.secret == true)
        var options = VerifyOptions()
        options.gate = .ci
        let probe = StubProbe(answers: [:])
        let run = await Verifier.run(
            plan: plan, options: options, environment: Environment(files: [], process: [:]),
            probes: [.postgres: ClaimingAll(base: probe, kinds: [Kind(.postgres, "connect")])])
        #expect(run.results[0].planned.params.string("url") == "postgresql://127.0.0.1:1/chat")
        #expect(Verifier.withoutCredentials("not a url with secret") == "***")
    }
}

/// `base`, answering for other kinds.
struct ClaimingAll: Probe {
    let base: StubProbe
    let kinds: [Kind]
    func run(_ item: PlannedItem, in context: ProbeContext) async -> Outcome { await base.run(item, in: context) }
}

@Suite struct CoverageTests {
    @Test("checked automatically counts verdicts only: an error is neither checked nor awaiting a person")
    func honestSummary() async throws {
        let markdown = """
            # Release
            - [ ] Set up:
              - [ ] first <!-- gonogo: env.set name=A -->
              - [ ] second <!-- gonogo: env.set name=B -->
            - [ ] broken <!-- gonogo: env.set name=C -->
            - [ ] Somebody looked at it <!-- gonogo: manual -->
            """
        let probe = StubProbe(answers: ["second": (.fail, .zero), "broken": (.error, .zero)])
        let run = try await RunnerTests.run(markdown, probe)
        let c = run.coverage
        // The group "Set up:" is its children's status: counted once, in them.
        #expect(c.applicable == 4 && c.checked == 2 && c.errored == 1 && c.awaiting == 1 && c.skipped == 0, "\(c)")
        let text = VerifyText.render(run)
        #expect(
            text.contains(
                "Checked automatically: 2 of the 4 items that apply (50%); 1 could not be checked (error); 1 awaits a person"
            ), "\(text)")
        let json = try #require(
            JSONSerialization.jsonObject(with: ReportFormat.json(run, toolVersion: "0")) as? [String: Any])
        #expect((json["coverage"] as? [String: Int])?["errored"] == 1)
    }
}

/// Every format reads an item as the verdict does: under `--fail-on warn` an advisory item's warning blocks, and JUnit,
/// SARIF, GitHub's annotations and the in-toto predicate all say so; without it, none does.
@Suite struct StandingTests {
    @Test("--fail-on warn: an advisory warning is a JUnit failure, a SARIF error, an ::error and a failed test")
    func failOnWarn() async throws {
        let markdown = """
            # Release
            - [ ] Replica lag measured (if applicable) <!-- gonogo: env.set name=R -->
            - [ ] Other <!-- gonogo: env.set name=O -->
            """
        let probe = StubProbe(answers: ["Replica lag measured (if applicable)": (.warn, .zero)])
        for failOnWarn in [true, false] {
            let run = try await RunnerTests.run(markdown, probe, failOnWarn: failOnWarn)
            let item = try #require(run.results.first { $0.planned.item.text.hasPrefix("Replica") })
            #expect(item.planned.severity == .advisory && item.status == .warn)
            #expect(run.verdict.go == !failOnWarn)
            let junit = ReportJUnit.render(run)
            #expect(junit.contains("<failure message=\"stub warn\"") == failOnWarn, "\(junit)")
            let sarif =
                try JSONSerialization.jsonObject(with: Data(ReportSARIF.render(run, toolVersion: "0").utf8))
                as? [String: Any]
            let results = (sarif?["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]] ?? []
            let level = results.first { ($0["properties"] as? [String: Any])?["id"] as? String == item.id }?["level"]
            #expect(level as? String == (failOnWarn ? "error" : "warning"), "\(results)")
            #expect(GitHubAnnotations.render(run).hasPrefix(failOnWarn ? "::error" : "::warning"))
            let statement = SignedReport.statement(run, report: Data())
            let predicate =
                (try JSONSerialization.jsonObject(with: statement) as? [String: Any])?["predicate"] as? [String: Any]
            let failed = predicate?["failedTests"] as? [String] ?? []
            #expect(failed == (failOnWarn ? [item.id] : []), "\(failed)")
            #expect(predicate?["result"] as? String == (failOnWarn ? "FAILED" : "WARNED"))
        }
    }
}
