import Catalog
import Foundation
import Results

/// JUnit XML as Jenkins, GitLab and GitHub's test reporters read it (it validates against the common
/// `jenkins-junit.xsd`): a `testsuite` per top section, `classname` the section path, a `testcase` per item
/// (groups are left out: their children are the cases). A failing item is a `failure`, one that could not be checked
/// an `error`, one not run (not applicable, or a waiver's exception) `skipped`; under the release gate a manual
/// blocker without an attestation is a `failure` too, since it blocks. An advisory item that failed is no `failure`
/// (it does not block): its `system-out` says `advisory: failed, does not block the verdict`. A last suite, `gonogo
/// verdict`, has a case per sign-off role and one for the verdict, failing when gonogo exits 1: a CI view is red
/// exactly when the gate is.
public enum ReportJUnit {
    /// A suite's wall time: how long any of its checks was running, overlapping spans counted once (checks run
    /// concurrently, so the sum of their times would overstate it, and from first start to last end would count
    /// the time others' checks ran between them); items no check ran take no time.
    static func wallTime(_ results: [ItemResult]) -> Int {
        let spans = results.compactMap { r in r.startMs.map { ($0, $0 + r.durationMs) } }.sorted { $0.0 < $1.0 }
        var total = 0
        var current: (Int, Int)?
        for span in spans {
            if let c = current, span.0 <= c.1 {
                current = (c.0, max(c.1, span.1))
            } else {
                if let c = current { total += c.1 - c.0 }
                current = span
            }
        }
        if let c = current { total += c.1 - c.0 }
        return total
    }

    public static func render(_ run: VerifyRun) -> String {
        let document = run.plan.document
        let cases = run.results.filter { $0.planned.kind != .group }
        var order: [String] = []
        var suites: [String: [ItemResult]] = [:]
        for r in cases {
            let top = r.planned.item.section.first ?? (document.title ?? "checklist")
            if suites[top] == nil { order.append(top) }
            suites[top, default: []].append(r)
        }
        // As the verdict reads each item (VerifyRun.standing): what blocks is a failure (an error, an `error`); a
        // waived failure, an item awaiting a person that does not block and a skipped one are skipped; a warning and
        // an advisory failure pass (their system-out says so).
        func outcome(_ r: ItemResult) -> (kind: String, text: String)? {
            switch run.standing(of: r) {
            case .blocks:
                if r.status == .error { return ("error", r.outcome.message) }
                return ("failure", (r.status == .manual ? "awaiting attestation: " : "") + r.outcome.message)
            case .skipped: return ("skipped", r.outcome.message)
            case .warns where r.status == .waived: return ("skipped", r.outcome.message)
            case .warns where r.status == .manual:
                return ("skipped", "awaiting attestation (gate \(run.gate.rawValue) does not block on it)")
            case .warns, .passed: return nil
            }
        }
        func count(_ rs: [ItemResult], _ kind: String) -> Int { rs.filter { outcome($0)?.kind == kind }.count }
        func seconds(_ ms: Int) -> String { String(format: "%.3f", Double(ms) / 1000) }
        let verdict = verdictCases(run)
        let verdictFailures = verdict.filter { $0.failure != nil }.count

        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out +=
            "<testsuites name=\"\(xml(document.title ?? document.path))\" tests=\"\(cases.count + verdict.count)\" "
            + "failures=\"\(count(cases, "failure") + verdictFailures)\" errors=\"\(count(cases, "error"))\" "
            + "time=\"\(seconds(run.durationMs))\">\n"
        for (n, name) in order.enumerated() {
            let rs = suites[name] ?? []
            out +=
                "  <testsuite name=\"\(xml(name))\" tests=\"\(rs.count)\" failures=\"\(count(rs, "failure"))\" "
                + "errors=\"\(count(rs, "error"))\" skipped=\"\(count(rs, "skipped"))\" "
                + "time=\"\(seconds(wallTime(rs)))\" id=\"\(n)\" "
                + "timestamp=\"\(timestamp(run.startedAt))\">\n"
            if n == 0 {
                out += "    <properties>\n"
                var properties = [
                    ("verdict", run.verdict.text), ("gate", run.gate.rawValue), ("checklist", document.path),
                    ("checklist.sha256", document.sha256), ("summary", run.countsLine),
                ]
                if let line = run.coverageLine { properties.append(("coverage", line)) }
                if let line = run.identity.line { properties.append(("deployment", line)) }
                if let name = run.identity.environment { properties.append(("environment", name)) }
                if let git = run.identity.git { properties.append(("git.commit", git.commit)) }
                properties += run.cautions.map { ("caution", $0) } + run.targetLines.map { ("target", $0) }
                for (k, v) in properties {
                    out += "      <property name=\"\(xml(k))\" value=\"\(xml(v))\"/>\n"
                }
                out += "    </properties>\n"
            }
            for r in rs {
                let classname = r.planned.item.section.joined(separator: " / ")
                out +=
                    "    <testcase name=\"\(xml(r.planned.item.text))\" classname=\"\(xml(classname))\" "
                    + "time=\"\(seconds(r.durationMs))\">\n"
                if let (kind, text) = outcome(r) {
                    if kind == "skipped" {
                        out += "      <skipped>\(xml(text))</skipped>\n"
                    } else {
                        var body = ""
                        if let e = r.outcome.expected { body += "expected: \(e)\n" }
                        if let o = r.outcome.observed { body += "observed: \(o)\n" }
                        out +=
                            "      <\(kind) message=\"\(xml(text))\" type=\"\(xml(r.planned.kind.description))\">"
                            + "\(xml(body))</\(kind)>\n"
                    }
                }
                var system = "id: \(r.id)\nkind: \(r.planned.kind)\nstatus: \(r.status.rawValue)\n"
                system += "location: \(document.path):\(r.planned.item.line)\n"
                if outcome(r) == nil { system += "message: \(r.outcome.message)\n" }
                // A warning that does not block passes, and says so on a line of its own (docs/verify.md).
                if r.status == .warn, run.standing(of: r) != .blocks { system += "warning: \(r.outcome.message)\n" }
                if r.planned.severity == .advisory, [.fail, .error, .warn].contains(r.status),
                    run.standing(of: r) != .blocks
                {
                    system += "advisory: \(r.status == .warn ? "warned" : "failed"), does not block the verdict\n"
                }
                out += "      <system-out>\(xml(system))</system-out>\n"
                out += "    </testcase>\n"
            }
            out += "  </testsuite>\n"
        }
        out +=
            "  <testsuite name=\"gonogo verdict\" tests=\"\(verdict.count)\" failures=\"\(verdictFailures)\" "
            + "errors=\"0\" skipped=\"0\" time=\"0.000\" id=\"\(order.count)\" "
            + "timestamp=\"\(timestamp(run.startedAt))\">\n"
        for c in verdict {
            out += "    <testcase name=\"\(xml(c.name))\" classname=\"gonogo.verdict\" time=\"0.000\">\n"
            if let failure = c.failure {
                out += "      <failure message=\"\(xml(failure))\" type=\"gonogo.verdict\">\(xml(failure))</failure>\n"
            }
            out += "      <system-out>\(xml(c.detail))</system-out>\n"
            out += "    </testcase>\n"
        }
        out += "  </testsuite>\n"
        out += "</testsuites>\n"
        return out
    }

    /// The verdict as cases: one per sign-off role (failing when the release gate needs it and it is missing), and
    /// the verdict (failing on NO-GO, its reasons as the message).
    static func verdictCases(_ run: VerifyRun) -> [(name: String, failure: String?, detail: String)] {
        var cases: [(name: String, failure: String?, detail: String)] = []
        for role in run.signoff.roles {
            let missing = !role.signed && run.gate == .release
            let detail =
                role.signed
                ? "signed by \(role.entry?.name ?? "?")"
                : run.gate == .release
                    ? "no sign-off" + (role.rejected.map { " (\($0))" } ?? "")
                    : "no sign-off; the \(run.gate.rawValue) gate does not require one"
            cases.append(("sign-off: \(role.role)", missing ? "sign-off missing: \(role.role)" : nil, detail))
        }
        let reasons = run.verdict.reasons.joined(separator: "; ")
        cases.append(
            (
                "verdict", run.verdict.go ? nil : "NO-GO: \(reasons)",
                "\(run.verdict.text) under the \(run.gate.rawValue) gate" + (run.verdict.go ? "" : ": \(reasons)")
            ))
        return cases
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return String(formatter.string(from: date).prefix(19))
    }
}

/// Text for XML content and attribute values: markup escaped, and the characters XML 1.0 forbids replaced.
func xml(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
        switch scalar {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        case "\n", "\t": out.unicodeScalars.append(scalar)
        case "\r": out += "&#13;"
        default:
            let v = scalar.value
            if v < 0x20 || (0xFFFE...0xFFFF).contains(v) || (0xD800...0xDFFF).contains(v) {
                out += "\u{FFFD}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }
    return out
}
