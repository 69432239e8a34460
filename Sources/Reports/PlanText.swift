import Catalog

/// `gonogo plan --format text`: a table per section, then counts per family and the automated share.
public enum PlanText {
    /// Renders `plan` for a terminal of `width` columns. `color` adds ANSI colour to kinds; `explain` adds, under
    /// each item, why it has its kind (the rule and the words it matched, the annotation or the config's line);
    /// `notApplicable` (by id) marks items a config skips, with the reason.
    public static func render(
        _ plan: Plan, width: Int = 120, color: Bool = false, explain: Bool = false,
        notApplicable: [String: String] = [:]
    ) -> String {
        var out = ""
        let title = plan.document.title ?? plan.document.path
        out += "\(title)\n"
        out += "\(plan.document.path) · sha256 \(plan.document.sha256.prefix(12)) · \(plan.items.count) items\n"
        var currentSection: [String]? = nil
        let kindWidth = min(24, plan.items.map { $0.kind.description.count }.max() ?? 10)
        for p in plan.items {
            if p.item.section != currentSection {
                currentSection = p.item.section
                out += "\n" + (p.item.section.isEmpty ? "(no section)" : p.item.section.joined(separator: " › ")) + "\n"
            }
            let depth = depthOf(p, plan)
            let indent = String(repeating: "  ", count: min(depth, 10))
            let kind = p.kind.description.padding(kindWidth)
            let line = String(p.item.line).leftPadding(5)
            var detail = summary(of: p)
            if p.severity == .advisory { detail += detail.isEmpty ? "advisory" : " · advisory" }
            let textWidth = max(20, width - kindWidth - 14 - indent.count)
            let text = (indent + p.item.text).truncated(textWidth + indent.count)
            let coloredKind = color ? colorize(kind, p.kind.family) : kind
            out += "  \(line)  \(coloredKind)  \(text)"
            if !detail.isEmpty { out += "  [\(detail)]" }
            out += "\n"
            let pad = String(repeating: " ", count: 9 + kindWidth) + indent
            if let reason = notApplicable[p.id] { out += pad + "↳ skipped: \(reason)\n" }
            if explain { out += pad + "↳ " + why(p) + "\n" }
        }
        out += "\nKinds\n"
        for (family, n) in plan.countsByFamily {
            out += "  \(family.rawValue.padding(10)) \(String(n).leftPadding(5))\n"
        }
        let total = plan.items.count
        let automated = plan.automatedCount
        let share = total == 0 ? 0 : Double(automated) * 100 / Double(total)
        out += "\n\(automated) of \(total) items run automatically (\(String(format1: share))%); "
        let manual = plan.count(of: .manual)
        let groups = plan.count(of: .group)
        out += "\(manual) \(manual == 1 ? "needs" : "need") a person's attestation; "
        out += "\(groups) \(groups == 1 ? "is a group" : "are groups").\n"
        if !plan.document.roles.isEmpty {
            out += "Sign-off roles: \(plan.document.roles.joined(separator: ", "))\n"
        }
        return out
    }

    /// Why an item has its kind: "annotation (line 12)", "config, line 40", "rule “coverage” on “code”, “80 %”".
    public static func why(_ p: PlannedItem) -> String {
        let marker = " + params from config, line "
        let extra = p.overriddenAt.map { p.rule.hasPrefix("config") ? "" : marker + "\($0)" } ?? ""
        let rule = p.rule.components(separatedBy: marker).first ?? p.rule
        if p.source == .annotation {
            return "annotation (line \(p.item.annotations.first?.line ?? p.item.line))" + extra
        }
        if rule.hasPrefix("config") { return rule }
        if p.kind == .group { return "group: the worst of its children (\(rule))" }
        let words = p.evidence.map { $0.hasPrefix("`") ? $0 : "“\($0)”" }.joined(separator: ", ")
        if p.kind == .manual {
            return rule == "unrecognised"
                ? "manual: no rule recognised the sentence"
                : "manual by rule “\(rule)”\(words.isEmpty ? "" : " on \(words)")"
        }
        let targets = p.targetSources.sorted { $0.key < $1.key }.map { "; \($0.key) from \($0.value)" }.joined()
        return "rule “\(rule)”" + (words.isEmpty ? "" : " on \(words)") + extra + targets
    }

    /// A short summary of the params: `mode=wal`, `p95 < 500 ms`, `LLM_API_KEY (secret)`.
    static func summary(of p: PlannedItem) -> String {
        p.params.pairs.compactMap { key, value -> String? in
            switch value {
            case .threshold(let t): return t.description
            case .bool(let b): return key == "secret" ? (b ? "secret" : nil) : b ? key : nil
            case .list(let l): return "\(key)=\(l.joined(separator: ","))"
            case .string(let s): return key == "value" && isSecret(p) ? "\(key)=***" : "\(key)=\(s.truncated(40))"
            case .int(let i): return "\(key)=\(i)"
            case .double(let d): return "\(key)=\(d)"
            }
        }.joined(separator: " ")
    }

    static func isSecret(_ p: PlannedItem) -> Bool {
        if case .bool(true) = p.params["secret"] { return true }
        return false
    }

    static func depthOf(_ p: PlannedItem, _ plan: Plan) -> Int {
        var depth = 0
        var parent = p.item.parent
        while let i = parent, depth < 64 {
            depth += 1
            parent = plan.items[i].item.parent
        }
        return depth
    }

    static func colorize(_ s: String, _ f: Family) -> String {
        let code: String
        switch f {
        case .manual: code = "33"
        case .group: code = "90"
        default: code = "32"
        }
        return "\u{1B}[\(code)m\(s)\u{1B}[0m"
    }
}

extension String {
    func padding(_ n: Int) -> String { count >= n ? self : self + String(repeating: " ", count: n - count) }
    func leftPadding(_ n: Int) -> String { count >= n ? self : String(repeating: " ", count: n - count) + self }
    func truncated(_ n: Int) -> String { count <= n ? self : String(prefix(max(1, n - 1))) + "…" }
    init(format1 value: Double) {
        let tenths = Int((value * 10).rounded())
        self = "\(tenths / 10).\(tenths % 10)"
    }
}
