import Catalog
import Results

/// `gonogo verify` on a terminal: what went wrong first (each failing or erroring item with what was expected and
/// observed), then counts by top section, then the verdict and its reasons.
public enum VerifyText {
    public static func render(_ run: VerifyRun, color: Bool = false) -> String {
        func paint(_ text: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }
        func badge(_ status: Status) -> String {
            let label = status.rawValue.uppercased().padding(8)
            switch status {
            case .pass, .attested: return paint(label, "32")
            case .fail, .error: return paint(label, "31;1")
            case .warn, .manual: return paint(label, "33")
            case .skip, .waived: return paint(label, "2")
            }
        }
        var out = ""
        let document = run.plan.document
        out += "\(document.title ?? document.path)\n"
        out +=
            "\(document.path) · sha256 \(document.sha256.prefix(12)) · \(run.results.count) items · gate \(run.gate.rawValue)\n"
        if let line = run.identity.line { out += "Deployment: \(line)\n" }
        for caution in run.cautions { out += paint("Caution: \(caution)", "33;1") + "\n" }
        if !run.targets.isEmpty {
            out += "Targets from the checklist (no flag or config named them):\n"
            for line in run.targetLines { out += "  \(line)\n" }
        }

        let problems = run.results.filter { [.fail, .error, .warn].contains($0.status) && $0.planned.kind != .group }
        if !problems.isEmpty {
            out += "\nNeeds attention\n"
            for r in problems {
                out += "  \(badge(r.status)) \(document.path):\(r.planned.item.line)  \(r.id)\n"
                out += "           \(r.outcome.message)\n"
                if let expected = r.outcome.expected, let observed = r.outcome.observed {
                    out += "           expected \(expected); observed \(observed)\n"
                }
            }
        }

        out += "\nBy section\n"
        var order: [String] = []
        var counts: [String: [Status: Int]] = [:]
        for r in run.results where r.planned.kind != .group {
            let top = r.planned.item.section.first ?? "(no section)"
            if counts[top] == nil { order.append(top) }
            counts[top, default: [:]][r.status, default: 0] += 1
        }
        for section in order {
            let c = counts[section] ?? [:]
            let parts = Status.allCases.compactMap { s in c[s].map { "\($0) \(s.rawValue)" } }
            out += "  \(section.truncated(40).padding(40)) \(parts.joined(separator: " · "))\n"
        }
        let awaiting = run.results.filter { $0.status == .manual && $0.planned.kind != .group }
        if !awaiting.isEmpty {
            out += "\nAwaiting attestation (\(awaiting.count))\n"
            for r in awaiting.prefix(10) {
                out += "  \(badge(r.status)) \(document.path):\(r.planned.item.line)  \(r.id)\n"
            }
            if awaiting.count > 10 { out += "  … and \(awaiting.count - 10) more (report.json lists them all)\n" }
            let role = run.signoff.roles.first?.role ?? "ROLE"
            out +=
                "  Attest one: gonogo attest \(shellQuoted(document.path)) --item \(shellQuoted(awaiting[0].id)) "
                + "--role \(shellQuoted(role)) --name \"YOUR NAME\" --file attestations.yml\n"
        }
        if !run.signoff.roles.isEmpty {
            out += "\nSign-off\n"
            for role in run.signoff.roles {
                let state =
                    role.entry.map { "signed by \($0.name) on \($0.date)" }
                    ?? ("missing" + (role.rejected.map { ": \($0)" } ?? ""))
                out +=
                    "  \(role.role.truncated(24).padding(24)) \(role.signed ? paint(state, "32") : paint(state, "33"))\n"
            }
        }
        if !run.signoff.notices.isEmpty {
            out += "\nNotes\n"
            for notice in run.signoff.notices { out += "  \(notice)\n" }
        }
        out += "\nTotal: \(run.countsLine) · \(run.durationMs) ms\n"
        if let line = run.coverageLine { out += line + "\n" }
        out += "\n"
        let verdict = run.verdict.go ? paint("GO", "32;1") : paint("NO-GO", "31;1")
        out += "Verdict: \(verdict)"
        if !run.verdict.reasons.isEmpty { out += " (" + run.verdict.reasons.joined(separator: "; ") + ")" }
        out += "\n"
        return out
    }
}

/// `text` quoted for a POSIX shell when it needs it, so a printed command can be pasted as it is.
func shellQuoted(_ text: String) -> String {
    if !text.isEmpty, text.allSatisfy({ $0.isLetter || $0.isNumber || "-_./:@%+=,".contains($0) }) { return text }
    return "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
}
