import Catalog
import Checklist
import Foundation
import Probes
import Results

/// Runs a plan: overrides and not-applicable sections first, then every automated item concurrently, each within its
/// own timeout and the whole within the run's; groups take the worst of their children; results in file order.
public enum Verifier {
    /// The probes by family (``ProbeTable``). Families without one report `error` for their items, never `pass`.
    public static let probes: [Family: any Probe] = ProbeTable.byFamily

    /// Called as items finish: (finished so far, of how many, the result).
    /// Hears each check as it ends: how many ended, of how many, and the item with the status it is reported with
    /// (an advisory failure a warning, a waived one waived).
    public typealias Progress = @Sendable (Int, Int, ItemResult) -> Void
    /// Hears each check as it starts, with how long it will take at least when that is known (a latency item's
    /// warm-up and sampling), so a terminal can show what runs and the time left.
    public typealias Started = @Sendable (PlannedItem, Duration?, _ total: Int) -> Void

    public static func run(
        plan: Plan, options: VerifyOptions, environment: Environment, scoped: [String: Environment] = [:],
        probes: [Family: any Probe] = probes, progress: Progress? = nil, started onStart: Started? = nil
    ) async -> VerifyRun {
        let started = Date()
        let origin = ContinuousClock.now
        let deadline = ContinuousClock.now.advanced(by: options.timeout)
        var items = plan.items
        for i in items.indices { apply(options.overrides, to: &items[i]) }
        // Variables an item marks secret (`secret=true`, in the checklist or the config) are masked like the others.
        let marked = items.filter { $0.params["secret"].map { $0 != .bool(false) } ?? false }
        let context = ProbeContext(
            settings: options.probe, environment: environment, scoped: scoped,
            secretNames: Set(marked.compactMap { $0.params.string("name") }))

        var outcomes = items.map { decide($0, options, probes) }
        let pending = items.indices.filter { outcomes[$0] == nil && items[$0].kind != .group }
        let ran = await execute(
            pending, items: items, probes: probes, context: context, options: options, deadline: deadline,
            origin: origin, progress: progress, started: onStart)
        for (i, done) in ran { outcomes[i] = done.outcome }

        var results = items.indices.map { i in
            var result = reported(
                items[i], outcomes[i] ?? Outcome(.skip, message: ""), ms: ran[i]?.ms ?? 0, context: context)
            result.startMs = ran[i]?.start
            return result
        }
        // What people said: attestations for manual items, waivers for failing ones, sign-offs for roles.
        let roles = options.signoffRoles(of: plan.document)
        let signoff = options.signoff.apply(to: &results, roles: roles, checklistSHA256: plan.document.sha256)
        decideGroups(&results, undecided: Set(items.indices.filter { outcomes[$0] == nil }))
        let verdict = Verdict.decide(
            results, roles: roles, signedRoles: signoff.signedRoles, gate: options.gate,
            failOnWarn: options.failOnWarn)
        var planned = plan
        planned.items = items
        return VerifyRun(
            plan: planned, gate: options.gate, failOnWarn: options.failOnWarn,
            results: results, startedAt: started,
            durationMs: Int(started.distance(to: Date()) * 1000), verdict: verdict, signoff: signoff)
    }

    /// The outcome of an item that needs no probe (not selected, not applicable, manual, a command without
    /// `--allow-commands`, a family without a probe); nil for one that runs, and for a group (after its children).
    static func decide(_ item: PlannedItem, _ options: VerifyOptions, _ probes: [Family: any Probe]) -> Outcome? {
        if !options.only.isEmpty, !options.only.contains(where: { IDGlob.matches($0, item.id) }) {
            return .skip("not selected by --only")
        } else if let glob = options.skip.first(where: { IDGlob.matches($0, item.id) }) {
            return .skip("skipped by --skip \(glob)")
        } else if let reason = skipReason(item, options) {
            return .skip(reason)
        } else if item.kind == .group {
            return nil
        } else if item.kind == .manual {
            return Outcome(.manual, message: "needs a person's attestation (gonogo attest --item \(item.id))")
        } else if item.kind.family == .command, !options.allowCommands {
            return .skip("commands run only with --allow-commands (a checklist may come from a pull request)")
        } else if probes[item.kind.family] == nil {
            return .unsupported(item.kind)
        }
        return nil
    }

    /// Runs the `pending` items: concurrently up to the run's concurrency, then those that asked to run alone, one
    /// at a time; each bounded by its timeout and the run's deadline. Outcomes and milliseconds by item index.
    static func execute(
        _ pending: [Int], items: [PlannedItem], probes: [Family: any Probe], context: ProbeContext,
        options: VerifyOptions, deadline: ContinuousClock.Instant, origin: ContinuousClock.Instant, progress: Progress?,
        started: Started? = nil
    ) async -> [Int: (outcome: Outcome, ms: Int, start: Int)] {
        // Checks that spend a shared budget (a rate limit's allowance) run after everything else, one at a time.
        var together: [Int] = []
        var alone: [(order: Int, index: Int)] = []
        for i in pending {
            switch probes[items[i].kind.family]!.scheduling(of: items[i], in: context) {
            case .concurrent: together.append(i)
            case .alone(let order): alone.append((order, i))
            }
        }
        alone.sort { ($0.order, $0.index) < ($1.order, $1.index) }
        /// One check, bounded by its timeout and the run's: (index, outcome, milliseconds, start after the origin).
        @Sendable func check(_ i: Int) async -> (Int, Outcome, Int, Int) {
            let item = items[i]
            let probe = probes[item.kind.family]!
            let began = ContinuousClock.now
            if let started {
                let latency = options.probe.http.latency
                started(
                    item, item.kind == Kind(.latency, "request") ? latency.warmup + latency.duration : nil,
                    pending.count)
            }
            let outcome = await bounded(by: deadline, options.itemTimeout) { await probe.check(item, in: context) }
            return (
                i, outcome, Int(began.duration(to: .now).wholeMilliseconds),
                Int(origin.duration(to: began).wholeMilliseconds)
            )
        }
        var done: [Int: (outcome: Outcome, ms: Int, start: Int)] = [:]
        func record(_ i: Int, _ outcome: Outcome, _ ms: Int, _ start: Int) {
            done[i] = (outcome, ms, start)
            guard let progress else { return }
            var shown = outcome
            if items[i].severity == .advisory, shown.status == .fail { shown.status = .warn }
            shown.status = options.signoff.finalStatus(of: items[i].id, shown.status)
            progress(done.count, pending.count, ItemResult(planned: items[i], outcome: shown, durationMs: ms))
        }
        await withTaskGroup(of: (Int, Outcome, Int, Int).self) { group in
            var next = together.makeIterator()
            for _ in 0..<options.concurrency {
                guard let i = next.next() else { break }
                group.addTask { await check(i) }
            }
            while let (i, outcome, ms, start) = await group.next() {
                if let n = next.next() { group.addTask { await check(n) } }
                record(i, outcome, ms, start)
            }
        }
        for (_, i) in alone {
            let (_, outcome, ms, start) = await check(i)
            record(i, outcome, ms, start)
        }
        return done
    }

    /// An item as reports show it: every text masked (the last step for every outcome), an advisory failure a
    /// warning, params masked too (they may hold what the config expanded from `${VAR}`s).
    static func reported(_ item: PlannedItem, _ outcome: Outcome, ms: Int, context: ProbeContext) -> ItemResult {
        var outcome = outcome
        outcome.message = context.masked(outcome.message)
        outcome.expected = outcome.expected.map(context.masked)
        outcome.observed = outcome.observed.map(context.masked)
        if item.severity == .advisory, outcome.status == .fail {
            outcome.status = .warn
            outcome.message += " (advisory)"
        }
        var shown = item
        shown.params = item.params.mappingStrings { Redaction.redacting(context.masked($0)) }
        // A param its kind declares secret is never shown: a URL keeps its host, without its credentials.
        for spec in Kind.spec(of: item.kind)?.params ?? [] where spec.secret {
            guard case .string(let value) = shown.params[spec.name] else { continue }
            shown.params[spec.name] = .string(Self.withoutCredentials(value))
        }
        return ItemResult(planned: shown, outcome: outcome, durationMs: ms)
    }

    /// `value` with a URL's user and password removed; anything that is not such a URL, masked whole.
    static func withoutCredentials(_ value: String) -> String {
        guard var url = URLComponents(string: value), url.scheme != nil, url.host != nil else { return Redaction.mask }
        if url.user != nil || url.password != nil {
            url.user = nil
            url.password = nil
        }
        return url.string ?? Redaction.mask
    }

    /// Groups, deepest first: the worst of their children. Children are indexed once, so deep nesting stays linear.
    static func decideGroups(_ results: inout [ItemResult], undecided: Set<Int>) {
        var children: [String: [Int]] = [:]
        for (i, r) in results.enumerated() {
            if let parent = r.planned.parentID { children[parent, default: []].append(i) }
        }
        for i in results.indices.reversed() where results[i].planned.kind == .group && undecided.contains(i) {
            results[i].outcome = Outcome.group((children[results[i].id] ?? []).map { results[$0] })
        }
    }

    /// Config overrides: the first entry whose glob matches the id sets the kind and params.
    /// The config's `items:` entry for `item`, if any: its kind and params, once. An annotation in the checklist
    /// wins over the config (the file is where the team wrote what the item checks): on an annotated item, the config
    /// may only add params the annotation does not set; `checkOverrides` warns of the rest.
    public static func apply(_ overrides: [VerifyConfig.ItemOverride], to item: inout PlannedItem) {
        guard item.overriddenAt == nil, let override = overrides.first(where: { IDGlob.matches($0.pattern, item.id) })
        else { return }
        let annotated = item.source == .annotation
        var changed = false
        if let kind = override.kind, !annotated {
            item.kind = kind
            item.params = Params()
            item.evidence = []
            item.rule = "config, line \(override.line)"
            changed = true
        }
        if let params = override.params {
            for (k, v) in params.pairs where !(annotated && item.params[k] != nil) {
                item.params[k] = v
                changed = true
            }
            if changed && override.kind == nil { item.rule += " + params from config, line \(override.line)" }
        }
        if changed { item.overriddenAt = override.line }
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
