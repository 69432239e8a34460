import Results

/// What changed between two runs of a checklist: items that got worse (a regression: now failing, erroring or
/// warning where they were not), items fixed, observed values that moved, items added or removed, and the verdict.
public struct RunDiff: Sendable {
    public struct Change: Sendable, Equatable {
        public var id: String
        public var line: Int
        public var from: String
        public var to: String
        public var observedFrom: String?
        public var observedTo: String?
    }

    public var old: RunRecord
    public var new: RunRecord
    public var regressed: [Change] = []
    public var fixed: [Change] = []
    /// Same status, another observed value ("p95 120 ms" → "p95 180 ms").
    public var changed: [Change] = []
    public var added: [String] = []
    public var removed: [String] = []

    /// A status's rank for "worse": skip and the passing statuses, then manual, warn, fail, error.
    static func rank(_ status: String) -> Int {
        switch status {
        case "error": 5
        case "fail": 4
        case "warn": 3
        case "manual": 2
        case "pass", "attested", "waived": 1
        default: 0
        }
    }

    public init(old: RunRecord, new: RunRecord) {
        self.old = old
        self.new = new
        let before = Dictionary(old.items.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let after = Set(new.items.map(\.id))
        for item in new.items {
            guard let was = before[item.id] else {
                added.append(item.id)
                continue
            }
            let change = Change(
                id: item.id, line: item.line, from: was.status, to: item.status, observedFrom: was.observed,
                observedTo: item.observed)
            let (a, b) = (Self.rank(was.status), Self.rank(item.status))
            if b > a && b >= 3 {
                regressed.append(change)
            } else if a >= 3 && b < a {
                fixed.append(change)
            } else if was.status == item.status, was.observed != item.observed {
                changed.append(change)
            }
        }
        removed = old.items.filter { !after.contains($0.id) }.map(\.id)
    }

    /// Something got worse: an item regressed, or the verdict went from GO to NO-GO.
    public var regression: Bool { !regressed.isEmpty || old.go && !new.go }

    public func text(oldName: String, newName: String) -> String {
        var out = "old: \(oldName) (\(old.line))\nnew: \(newName) (\(new.line))\n"
        if old.checklistSHA256 != new.checklistSHA256 {
            out +=
                "The checklist changed between the runs (sha256 \(old.checklistSHA256.prefix(12)) → "
                + "\(new.checklistSHA256.prefix(12))).\n"
        }
        func section(_ title: String, _ changes: [Change]) {
            guard !changes.isEmpty else { return }
            out += "\n\(title) (\(changes.count))\n"
            for c in changes {
                out += "  \(c.id)  \(c.from) → \(c.to)"
                if let a = c.observedFrom, let b = c.observedTo, a != b {
                    out += "  (observed \(a) → \(b))"
                } else if let b = c.observedTo, c.observedFrom == nil {
                    out += "  (observed \(b))"
                }
                out += "\n"
            }
        }
        section("Regressed", regressed)
        section("Fixed", fixed)
        section("Observed value changed", changed)
        if !added.isEmpty { out += "\nNew items (\(added.count))\n" + added.map { "  \($0)\n" }.joined() }
        if !removed.isEmpty { out += "\nItems gone (\(removed.count))\n" + removed.map { "  \($0)\n" }.joined() }
        if regressed.isEmpty && fixed.isEmpty && changed.isEmpty && added.isEmpty && removed.isEmpty {
            out += "\nNo item changed.\n"
        }
        out += "\nVerdict: \(old.verdict) → \(new.verdict)"
        out += regression ? " (regression)\n" : "\n"
        return out
    }
}

/// The items whose status changed most often across runs (newest last), for `gonogo history`.
public enum Flips {
    public static func count(_ statuses: [(run: Int64, item: String, status: String)]) -> [(item: String, flips: Int)] {
        var last: [String: String] = [:]
        var flips: [String: Int] = [:]
        for s in statuses.sorted(by: { $0.run < $1.run }) {
            if let previous = last[s.item], previous != s.status { flips[s.item, default: 0] += 1 }
            last[s.item] = s.status
        }
        return flips.map { ($0.key, $0.value) }.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
    }
}
