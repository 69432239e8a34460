import Catalog
import Checklist
import Foundation
import Results

/// The checklist itself, re-rendered as evidence: every task item's box ticked when it passed (or was attested or
/// waived) and cleared otherwise, followed by its status and what was found; the sign-off table filled in from the
/// sign-offs that count; a verdict block at the top and the notes at the end. Everything else is the file as written.
public enum ReportMarkdown {
    static let marks: [Status: String] = [
        .pass: "✅ pass", .fail: "❌ FAIL", .warn: "⚠️ warn", .skip: "⏭️ skip", .error: "💥 ERROR",
        .manual: "✋ awaiting attestation", .attested: "✍️ attested", .waived: "🏳️ waived",
    ]

    public static func render(_ run: VerifyRun, source: String) -> String {
        let document = run.plan.document
        // The file as written, with the secrets the parser masks (URL passwords, `PASSWORD=…`, tokens) masked again.
        var lines = source.components(separatedBy: "\n").map(Redaction.redacting)
        let byLine = Dictionary(run.results.map { ($0.planned.item.line, $0) }, uniquingKeysWith: { a, _ in a })
        var signoffRoles = Dictionary(run.signoff.roles.map { ($0.role, $0) }, uniquingKeysWith: { a, _ in a })
        var tableColumns: [String]? = nil
        for i in lines.indices {
            let line = lines[i]
            if let r = byLine[i + 1] { lines[i] = annotate(line, r, run.signoff.items[r.id]) }
            // The sign-off table: a header row with a Role column, then rows whose first cell is a role.
            let cells = tableCells(line)
            if let cells, cells.contains(where: { $0.caseInsensitiveCompare("Role") == .orderedSame }) {
                tableColumns = cells.map { $0.lowercased() }
                continue
            }
            guard let columns = tableColumns else { continue }
            guard let cells else {
                tableColumns = nil
                continue
            }
            guard let roleIndex = columns.firstIndex(of: "role"), roleIndex < cells.count,
                let role = signoffRoles.removeValue(forKey: cells[roleIndex])
            else { continue }
            var filled = cells
            for (c, name) in columns.enumerated() where c < filled.count {
                switch name {
                case "name": filled[c] = role.entry?.name ?? "—"
                case "date": filled[c] = role.entry?.date ?? "—"
                case "status", "signature", "signed":
                    filled[c] = role.signed ? "✍️ signed" : "✋ missing" + (role.rejected.map { " (\($0))" } ?? "")
                default: break
                }
            }
            lines[i] =
                "| " + filled.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |"
        }

        var header = "> **gonogo verdict: \(run.verdict.go ? "GO ✅" : "NO-GO ❌")** (gate `\(run.gate.rawValue)`)"
        if !run.verdict.reasons.isEmpty { header += "  \n> " + run.verdict.reasons.joined(separator: "; ") }
        if let line = run.identity.line { header += "  \n> Deployment: " + line }
        for caution in run.cautions { header += "  \n> **Caution:** \(caution)" }
        header += "  \n> " + run.countsLine
        if let line = run.coverageLine { header += "  \n> " + line }
        if !run.targets.isEmpty {
            header += "  \n> Targets from the checklist: " + run.targetLines.joined(separator: "; ")
        }
        header +=
            "  \n> Verified \(VerifyRun.timestamp(run.startedAt)) · `\(document.path)` sha256 `\(document.sha256.prefix(16))…`\n"
        var out = header + "\n" + lines.joined(separator: "\n")
        if !out.hasSuffix("\n") { out += "\n" }
        if !signoffRoles.isEmpty {
            out += "\n## Sign-off (gonogo)\n\n| Role | Name | Date | Status |\n|---|---|---|---|\n"
            for role in run.signoff.roles where signoffRoles[role.role] != nil {
                out +=
                    "| \(role.role) | \(role.entry?.name ?? "—") | \(role.entry?.date ?? "—") | "
                    + (role.signed ? "✍️ signed" : "✋ missing") + " |\n"
            }
        }
        if !run.signoff.notices.isEmpty {
            out += "\n## Notes (gonogo)\n\n"
            for notice in run.signoff.notices { out += "- \(inline(notice))\n" }
        }
        return out
    }

    /// `- [ ] text` becomes `- [x] text — ✅ pass: message` (box ticked only for a pass, an attestation or a waiver).
    static func annotate(_ line: String, _ r: ItemResult, _ signoff: ItemSignoff?) -> String {
        guard let open = line.range(of: "["), line.index(open.upperBound, offsetBy: 2, limitedBy: line.endIndex) != nil
        else { return line }
        let boxEnd = line.index(open.upperBound, offsetBy: 1)
        guard line[boxEnd] == "]" else { return line }
        let done = [.pass, .attested, .waived].contains(r.status)
        var rewritten = line
        rewritten.replaceSubrange(open.upperBound..<boxEnd, with: done ? "x" : " ")
        var evidence = r.outcome.message
        if let e = r.outcome.expected, let o = r.outcome.observed, ![.attested, .waived].contains(r.status) {
            evidence += " (expected \(e); observed \(o))"
        }
        if let why = signoff?.waiverNotApplied { evidence += "; waiver not applied: \(why)" }
        return rewritten + " — **\(marks[r.status] ?? r.status.rawValue)**: \(inline(evidence))"
    }

    /// The cells of a Markdown table row, or nil when the line is not one. A separator row gives no cells of text.
    static func tableCells(_ line: String) -> [String]? {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("|"), trimmed.count > 1 else { return nil }
        var body = trimmed.dropFirst()
        if body.hasSuffix("|") { body = body.dropLast() }
        let cells = body.split(separator: "|", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        if cells.allSatisfy({ $0.allSatisfy { "-: ".contains($0) } }) { return [] }
        return cells
    }

    /// Text safe inside a Markdown line: no line breaks, no HTML, pipes escaped.
    static func inline(_ text: String) -> String {
        text.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: "|", with: "\\|")
    }
}
