import Catalog
import Checklist
import Foundation

/// The release gate: `release` (the default) needs attestations for manual blockers and every role's sign-off;
/// `ci` lets them wait.
public enum Gate: String, Sendable, CaseIterable {
    case release, ci
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
    /// Targets the run took from the checklist itself (not from a flag or the config), and where each came from.
    public var targets: [Target] = []
    /// What a reader must know before trusting the verdict, shown first in every format ("TLS verification off").
    public var cautions: [String] = []
    /// What was verified: environment, URLs, databases, the root's git commit (`target` in report.json).
    public var identity = RunIdentity()

    public init(
        plan: Plan, gate: Gate, failOnWarn: Bool, results: [ItemResult], startedAt: Date, durationMs: Int,
        verdict: Verdict, signoff: SignoffResult = SignoffResult()
    ) {
        self.plan = plan
        self.gate = gate
        self.failOnWarn = failOnWarn
        self.results = results
        self.startedAt = startedAt
        self.durationMs = durationMs
        self.verdict = verdict
        self.signoff = signoff
    }

    /// How much of the checklist a check decided: of the items that apply (not skipped), those whose status came
    /// from a check's verdict (pass, fail, warn), those whose check could not decide (error), those that await a
    /// person, and those a person attested. An error is never counted as checked. Groups are not counted: their
    /// status is their children's, counted once, as every format counts (``summary``).
    public var coverage: (applicable: Int, checked: Int, awaiting: Int, skipped: Int, errored: Int, attested: Int) {
        let items = results.filter { $0.planned.kind != .group }
        let applicable = items.filter { $0.status != .skip }
        var checked = 0
        var awaiting = 0
        var errored = 0
        var attested = 0
        for r in applicable {
            if !r.planned.kind.family.isAutomated || r.status == .manual || r.status == .attested {
                if r.status == .manual { awaiting += 1 } else { attested += 1 }
            } else if r.status == .error {
                errored += 1
            } else {
                checked += 1
            }
        }
        return (applicable.count, checked, awaiting, items.count - applicable.count, errored, attested)
    }

    /// The items by status, groups left out (a group's status is its children's): the one set of counts the text,
    /// JSON, JUnit, SARIF, HTML, Markdown and in-toto reports all give.
    public var summary: [Status: Int] {
        var counts: [Status: Int] = [:]
        for r in results where r.planned.kind != .group { counts[r.status, default: 0] += 1 }
        return counts
    }

    /// How an item stands for the verdict, the one reading JUnit, SARIF and the in-toto predicate share: it blocks
    /// (a failure or an error; a warning under --fail-on-warn; a blocker awaiting a person under the release gate),
    /// it warns (a warning, a waived failure, an advisory item that failed, an item awaiting a person that does not
    /// block), it passed (passed or attested), or it was skipped.
    public enum Standing: Sendable { case blocks, warns, passed, skipped }

    public func standing(of r: ItemResult) -> Standing {
        switch r.status {
        case .pass, .attested: return .passed
        case .skip: return .skipped
        case .waived: return .warns
        // --fail-on warn blocks on every warning, an advisory item's too (the verdict counts them all).
        case .warn: return failOnWarn ? .blocks : .warns
        case _ where r.planned.severity == .advisory: return .warns
        case .fail, .error: return .blocks
        case .manual: return gate == .release && r.planned.severity == .blocker ? .blocks : .warns
        }
    }

    /// "75 pass · 72 skip · 35 manual": the counts by status (groups left out), the same words in every format.
    public var countsLine: String {
        let counts = summary
        return Status.allCases.compactMap { s in counts[s].map { "\($0) \(s.rawValue)" } }.joined(separator: " · ")
    }

    /// "Checked automatically: 75 of the 111 items that apply (68%); 2 could not be checked (error); 36 await a
    /// person; 71 skipped (not applicable or not selected)": from ``coverage``, the same sentence in every format.
    /// Nil when no item applies.
    public var coverageLine: String? {
        let c = coverage
        guard c.applicable > 0 else { return nil }
        return "Checked automatically: \(c.checked) of the \(c.applicable) items that apply "
            + "(\(Int((Double(c.checked) * 100 / Double(c.applicable)).rounded()))%); "
            + (c.errored > 0 ? "\(c.errored) could not be checked (error); " : "")
            + (c.attested > 0 ? "\(c.attested) decided by a person's attestation; " : "")
            + "\(c.awaiting) \(c.awaiting == 1 ? "awaits" : "await") a person; "
            + "\(c.skipped) skipped (not applicable or not selected)"
    }

    /// "sqlite data/messages.db (the checklist, line 42; 7 items)": each target taken from the checklist.
    public var targetLines: [String] {
        targets.map { "\($0.name) \($0.value) (from \($0.source); \($0.items) item\($0.items == 1 ? "" : "s"))" }
    }
}

/// A target the run took from the checklist: `sqlite` `data/messages.db` from "the checklist, line 42", for 7 items.
/// A URL's password is never in `value`.
public struct Target: Sendable, Equatable {
    public var name: String
    public var value: String
    public var source: String
    public var items: Int

    public init(name: String, value: String, source: String, items: Int) {
        self.name = name
        self.value = value
        self.source = source
        self.items = items
    }
}

/// GO or NO-GO, with the reasons a person reads first.
public struct Verdict: Sendable {
    public var go: Bool
    public var reasons: [String]
    public var text: String { go ? "GO" : "NO-GO" }

    /// The gates (docs/verify.md) over the results: a blocker that failed or errored (or warned, with `--fail-on
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

extension Outcome {
    /// A group's outcome: the worst of its children (attested and waived children count as passed).
    public static func group(_ children: [ItemResult]) -> Outcome {
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

}
