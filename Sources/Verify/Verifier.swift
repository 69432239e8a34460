import Catalog
import Checklist
import Foundation

/// A family's runner: one item in, an outcome out. It must stop when its task is cancelled (the item's timeout or the
/// run's has passed: ``CurlClient`` removes its transfers, ``Blocking`` returns at once, a child process is killed)
/// and must never put a secret's value in its outcome.
public protocol Probe: Sendable {
    func run(_ item: PlannedItem, in context: ProbeContext) async -> Outcome
    /// When the run may start `item`: beside the others (the default), or after all of them, alone.
    func scheduling(of item: PlannedItem, in context: ProbeContext) -> Scheduling
}

extension Probe {
    public func scheduling(of item: PlannedItem, in context: ProbeContext) -> Scheduling { .concurrent }
}

/// How a check shares the run with the others.
public enum Scheduling: Sendable, Equatable {
    /// Beside every other check, up to the run's concurrency.
    case concurrent
    /// After every concurrent check has finished, one at a time, in ascending `order` (then file order): for checks
    /// that spend a budget the others share (a rate limit's allowance).
    case alone(order: Int)
}

/// The result of `gonogo verify`: every item's outcome in file order, the verdict and why.
public struct VerifyRun: Sendable {
    public var plan: Plan
    public var gate: Gate
    public var failOnWarn: Bool
    public var results: [ItemResult]
    public var startedAt: Date
    public var durationMs: Int
    public var verdict: Verdict
    /// Attestations, sign-offs and waivers as they were judged.
    public var signoff = SignoffResult()

    /// How much of the checklist a check decided: of the items that apply (not skipped), those whose status came
    /// from a check (groups included, when their children were checked) and those that await a person.
    public var coverage: (applicable: Int, checked: Int, awaiting: Int, skipped: Int) {
        // Children come after their parent in file order: walk backwards so a group sees its children decided.
        var checked: [String: Bool] = [:]
        for r in results.reversed() where r.status != .skip {
            if r.planned.kind == .group {
                checked[r.id] = results.contains { $0.planned.parentID == r.id && checked[$0.id] == true }
            } else {
                checked[r.id] = r.planned.kind.family.isAutomated
            }
        }
        let skipped = results.count - checked.count
        let yes = checked.values.filter { $0 }.count
        return (checked.count, yes, checked.count - yes, skipped)
    }

    public var summary: [Status: Int] {
        var counts: [Status: Int] = [:]
        for r in results { counts[r.status, default: 0] += 1 }
        return counts
    }
}

/// GO or NO-GO, with the reasons a person reads first.
public struct Verdict: Sendable {
    public var go: Bool
    public var reasons: [String]
    public var text: String { go ? "GO" : "NO-GO" }

    /// The gates of CONTRACT.md over the results: a blocker that failed or errored (or warned, with `--fail-on
    /// warn`) blocks; under `release`, so does a manual blocker without an attestation and a role without a sign-off.
    public static func decide(
        _ results: [ItemResult], roles: [String], signedRoles: Set<String>, gate: Gate, failOnWarn: Bool
    ) -> Verdict {
        var reasons: [String] = []
        let checks = results.filter { $0.planned.kind != .group && $0.planned.severity == .blocker }
        func count(_ statuses: Set<Status>) -> [ItemResult] { checks.filter { statuses.contains($0.status) } }
        let failed = count([.fail])
        let errored = count([.error])
        if !failed.isEmpty { reasons.append("\(failed.count) blocker item\(failed.count == 1 ? "" : "s") failed") }
        if !errored.isEmpty {
            reasons.append("\(errored.count) blocker item\(errored.count == 1 ? "" : "s") could not be checked")
        }
        if failOnWarn {
            let warned = results.filter { $0.planned.kind != .group && $0.status == .warn }
            if !warned.isEmpty {
                reasons.append("\(warned.count) item\(warned.count == 1 ? "" : "s") warned (--fail-on warn)")
            }
        }
        if gate == .release {
            let manual = count([.manual])
            if !manual.isEmpty {
                let named = manual.prefix(5).map(\.id).joined(separator: ", ")
                let more = manual.count > 5 ? " and \(manual.count - 5) more" : ""
                reasons.append(
                    "\(manual.count) manual item\(manual.count == 1 ? " awaits" : "s await") attestation: \(named)\(more)"
                )
            }
            let missing = roles.filter { !signedRoles.contains($0) }
            if !missing.isEmpty { reasons.append("sign-off missing: \(missing.joined(separator: ", "))") }
        }
        return Verdict(go: reasons.isEmpty, reasons: reasons)
    }
}

/// Runs a plan: overrides and not-applicable sections first, then every automated item concurrently, each within its
/// own timeout and the whole within the run's; groups take the worst of their children; results in file order.
public enum Verifier {
    /// The probes by family. Families without one report `error` for their items, never `pass`.
    public static let probes: [Family: any Probe] = [
        .env: EnvProbe(), .file: FileProbe(), .git: GitProbe(), .sqlite: SQLiteProbe(), .command: CommandProbe(),
        .artifact: ArtifactProbe(), .postgres: PostgresProbe(), .http: HTTPProbe(),
        .tls: TLSProbe(), .latency: LatencyProbe(),
    ]

    /// Called as items finish: (finished so far, of how many, the result).
    public typealias Progress = @Sendable (Int, Int, ItemResult) -> Void

    public static func run(
        plan: Plan, options: VerifyOptions, environment: Environment, probes: [Family: any Probe] = probes,
        progress: Progress? = nil
    ) async -> VerifyRun {
        let started = Date()
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: options.timeout)
        var items = plan.items
        for i in items.indices { apply(options.overrides, to: &items[i]) }
        // Variables an item marks secret (`secret=true`, in the checklist or the config) are masked like the others.
        let marked = items.filter { $0.params["secret"].map { $0 != .bool(false) } ?? false }
        let context = ProbeContext(
            options: options, environment: environment, secretNames: Set(marked.compactMap { $0.params.string("name") })
        )

        // Decide what needs no probe; the rest runs.
        var outcomes: [Outcome?] = Array(repeating: nil, count: items.count)
        var pending: [Int] = []
        for (i, item) in items.enumerated() {
            if !options.only.isEmpty, !options.only.contains(where: { IDGlob.matches($0, item.id) }) {
                outcomes[i] = .skip("not selected by --only")
            } else if let glob = options.skip.first(where: { IDGlob.matches($0, item.id) }) {
                outcomes[i] = .skip("skipped by --skip \(glob)")
            } else if let reason = skipReason(item, options) {
                outcomes[i] = .skip(reason)
            } else if item.kind == .group {
                continue  // after its children
            } else if item.kind == .manual {
                outcomes[i] = Outcome(
                    .manual, message: "needs a person's attestation (gonogo attest --item \(item.id))")
            } else if item.kind.family == .command, !options.allowCommands {
                outcomes[i] = .skip(
                    "commands run only with --allow-commands (a checklist may come from a pull request)")
            } else if probes[item.kind.family] == nil {
                outcomes[i] = .error("gonogo cannot run \(item.kind) checks yet")
            } else {
                pending.append(i)
            }
        }

        // Checks that spend a shared budget (a rate limit's allowance) run after everything else, one at a time.
        var last: [(order: Int, index: Int)] = []
        pending.removeAll { i in
            guard case .alone(let order) = probes[items[i].kind.family]!.scheduling(of: items[i], in: context) else {
                return false
            }
            last.append((order, i))
            return true
        }
        last.sort { ($0.order, $0.index) < ($1.order, $1.index) }
        let total = pending.count + last.count
        let frozen = items
        var finished = 0
        var durations: [Int: Int] = [:]
        /// One check, bounded by its timeout and the run's: (index, outcome, milliseconds).
        @Sendable func check(_ i: Int) async -> (Int, Outcome, Int) {
            let item = frozen[i]
            let probe = probes[item.kind.family]!
            let began = clock.now
            let outcome = await bounded(by: deadline, options.itemTimeout) { await probe.run(item, in: context) }
            return (i, outcome, Int(began.duration(to: clock.now).wholeMilliseconds))
        }
        func record(_ i: Int, _ outcome: Outcome, _ ms: Int) {
            outcomes[i] = outcome
            durations[i] = ms
            finished += 1
            progress?(finished, total, ItemResult(planned: items[i], outcome: outcome, durationMs: ms))
        }
        await withTaskGroup(of: (Int, Outcome, Int).self) { group in
            var next = pending.makeIterator()
            for _ in 0..<options.concurrency {
                guard let i = next.next() else { break }
                group.addTask { await check(i) }
            }
            while let (i, outcome, ms) = await group.next() {
                if let n = next.next() { group.addTask { await check(n) } }
                record(i, outcome, ms)
            }
        }
        for (_, i) in last {
            let (_, outcome, ms) = await check(i)
            record(i, outcome, ms)
        }

        // Masking is the last step for every outcome, and advisory failures become warnings.
        var results: [ItemResult] = []
        results.reserveCapacity(items.count)
        for (i, item) in items.enumerated() {
            var outcome = outcomes[i] ?? Outcome(.skip, message: "")
            outcome.message = context.masked(outcome.message)
            outcome.expected = outcome.expected.map(context.masked)
            outcome.observed = outcome.observed.map(context.masked)
            if item.severity == .advisory, outcome.status == .fail {
                outcome.status = .warn
                outcome.message += " (advisory)"
            }
            // Params may hold what the config expanded from ${VAR}s: masked like everything else in a report.
            var shown = item
            shown.params = item.params.mappingStrings { Redaction.redacting(context.masked($0)) }
            results.append(ItemResult(planned: shown, outcome: outcome, durationMs: durations[i] ?? 0))
        }
        // What people said: attestations for manual items, waivers for failing ones, sign-offs for roles.
        let signoff = options.signoff.apply(
            to: &results, roles: plan.document.roles, checklistSHA256: plan.document.sha256)
        // Groups, deepest first: the worst of their children.
        for i in results.indices.reversed() where results[i].planned.kind == .group && outcomes[i] == nil {
            let children = results.filter { $0.planned.parentID == results[i].id }
            results[i].outcome = groupOutcome(children)
        }
        let verdict = Verdict.decide(
            results, roles: plan.document.roles, signedRoles: signoff.signedRoles, gate: options.gate,
            failOnWarn: options.failOnWarn)
        var planned = plan
        planned.items = items
        return VerifyRun(
            plan: planned, gate: options.gate, failOnWarn: options.failOnWarn,
            results: results, startedAt: started,
            durationMs: Int(started.distance(to: Date()) * 1000), verdict: verdict, signoff: signoff)
    }

    static func groupOutcome(_ children: [ItemResult]) -> Outcome {
        guard let worst = children.max(by: { $0.status.badness < $1.status.badness }) else {
            return Outcome(.manual, message: "a group without checked children needs a person's attestation")
        }
        let counts = Dictionary(grouping: children, by: \.status).map { "\($0.value.count) \($0.key.rawValue)" }
            .sorted()
        let status: Status = [.attested, .waived].contains(worst.status) ? .pass : worst.status
        return Outcome(
            status, observed: counts.joined(separator: ", "),
            message: status == .pass ? "every child passed" : "worst child: \(worst.id) (\(worst.status.rawValue))")
    }

    /// Config overrides: the first entry whose glob matches the id sets the kind and params.
    static func apply(_ overrides: [VerifyConfig.ItemOverride], to item: inout PlannedItem) {
        guard let override = overrides.first(where: { IDGlob.matches($0.pattern, item.id) }) else { return }
        if let kind = override.kind {
            item.kind = kind
            item.params = Params()
            item.rule = "config"
        }
        if let params = override.params {
            for (k, v) in params.pairs { item.params[k] = v }
            item.rule = "config"
        }
    }

    static func skipReason(_ item: PlannedItem, _ options: VerifyOptions) -> String? {
        if let override = options.overrides.first(where: { IDGlob.matches($0.pattern, item.id) }),
            let reason = override.skip
        {
            return "not applicable: \(reason)"
        }
        if let na = options.notApplicable.first(where: { $0.matches(item) }) { return "not applicable: \(na.reason)" }
        return nil
    }
}

/// Runs one check within its own timeout and what is left of the run's: an `error` that names the limit that ran
/// out when the check did not finish in time.
func bounded(
    by deadline: ContinuousClock.Instant, _ itemTimeout: Duration, _ check: @escaping @Sendable () async -> Outcome
) async -> Outcome {
    let remaining = ContinuousClock.now.duration(to: deadline)
    guard remaining > .zero else { return .error("the run's --timeout passed before this check could start") }
    let limit = min(itemTimeout, remaining)
    let which = limit < itemTimeout ? "the run's --timeout" : "the check's timeout"
    return await withTimeout(limit, check) ?? .error("no answer within \(seconds(limit)) (\(which))")
}

/// `body`'s result, or nil when `limit` passes first. Structured: the body is a child task, cancelled when the limit
/// passes and awaited before this returns, so nothing of it goes on running (probes stop when cancelled; see
/// ``Probe``).
func withTimeout<T: Sendable>(_ limit: Duration, _ body: @escaping @Sendable () async -> T) async -> T? {
    await withTaskGroup(of: T?.self) { group in
        group.addTask { await body() }
        group.addTask {
            try? await Task.sleep(for: limit)
            return nil
        }
        defer { group.cancelAll() }
        return await group.next()!
    }
}

/// `2 s`, `1.5 s`.
func seconds(_ duration: Duration) -> String {
    let ms = duration.wholeMilliseconds
    return ms % 1000 == 0 ? "\(ms / 1000) s" : String(format: "%.1f s", Double(ms) / 1000)
}

extension Duration {
    var wholeMicroseconds: Int {
        Int(components.seconds) * 1_000_000 + Int(components.attoseconds / 1_000_000_000_000)
    }

    var wholeMilliseconds: Int {
        Int(components.seconds) * 1000 + Int(components.attoseconds / 1_000_000_000_000_000)
    }
}
