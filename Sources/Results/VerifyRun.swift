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
    /// from a check's verdict (pass, fail, warn; groups included, when a child's did), those whose check could not
    /// decide (error), those that await a person, and those a person attested. An error is never counted as checked.
    public var coverage: (applicable: Int, checked: Int, awaiting: Int, skipped: Int, errored: Int, attested: Int) {
        enum Decided { case checked, errored, awaiting, attested }
        // Children come after their parent in file order: walk backwards so a group sees its children decided.
        var decided: [String: Decided] = [:]
        var children: [String: (checked: Bool, errored: Bool, attested: Bool)] = [:]
        for r in results.reversed() where r.status != .skip {
            let state: Decided
            if r.planned.kind == .group {
                let seen = children[r.id]
                state =
                    seen?.checked == true
                    ? .checked
                    : seen?.errored == true
                        ? .errored : r.status != .manual && seen?.attested == true ? .attested : .awaiting
            } else if !r.planned.kind.family.isAutomated {
                // A person's attestation decided it (passed or failed), else it still awaits one.
                state = r.status == .manual ? .awaiting : .attested
            } else {
                state = r.status == .error ? .errored : .checked
            }
            decided[r.id] = state
            if let parent = r.planned.parentID {
                var seen = children[parent] ?? (false, false, false)
                seen.checked = seen.checked || state == .checked
                seen.errored = seen.errored || state == .errored
                seen.attested = seen.attested || state == .attested
                children[parent] = seen
            }
        }
        let count = { (wanted: Decided) in decided.values.filter { $0 == wanted }.count }
        return (
            decided.count, count(.checked), count(.awaiting), results.count - decided.count, count(.errored),
            count(.attested)
        )
    }

    public var summary: [Status: Int] {
        var counts: [Status: Int] = [:]
        for r in results { counts[r.status, default: 0] += 1 }
        return counts
    }

    /// "79 pass · 76 skip · 39 manual": the counts by status, the same words in every format.
    public var countsLine: String {
        let counts = summary
        return Status.allCases.compactMap { s in counts[s].map { "\($0) \(s.rawValue)" } }.joined(separator: " · ")
    }

    /// "Checked automatically: 79 of the 118 items that apply (67%); 2 could not be checked (error); 39 await a
    /// person; 76 skipped (not applicable or not selected)": from ``coverage``, the same sentence in every format.
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
