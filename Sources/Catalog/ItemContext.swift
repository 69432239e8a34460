import Checklist

/// A database engine a check can target.
enum Engine: String {
    case sqlite, postgres

    /// The engine a piece of text names, if exactly one.
    static func named(in tokens: Tokens, code: [String] = []) -> Engine? {
        let sqlite = tokens.hasAny(["sqlite", "sqlite3"]) || code.contains { $0.hasPrefix("sqlite:") }
        let pg =
            tokens.hasAny(["postgres", "postgresql", "psql", "pgbouncer", "pg"])
            || code.contains { $0.hasPrefix("postgres://") || $0.hasPrefix("postgresql://") }
        switch (sqlite, pg) {
        case (true, false): return .sqlite
        case (false, true): return .postgres
        default: return nil
        }
    }

    var family: Family { self == .sqlite ? .sqlite : .postgres }
}

/// What the catalog knows about one item: its own words, its parents' and its section's, its code spans. What a
/// recognition rule reads, the catalog's and a registered family's alike.
public struct ItemContext {
    public let item: TaskItem
    /// The item's own words.
    public let own: Tokens
    /// The direct parent item's words (empty at top level).
    public let parent: Tokens
    /// The words of every ancestor item.
    public let ancestors: Tokens
    /// The words of the section headings above the item.
    public let section: Tokens
    /// Section headings and ancestors together: where the item sits.
    public let scope: Tokens
    /// The document's database when nothing nearer names one (see ``Catalog``).
    let defaultEngine: Engine?
    /// The document is a data project's (dbt models, a warehouse): "tests" and "coverage" are the models'.
    var dataModels = false

    /// The item's code spans, as written.
    public var code: [String] { item.codeSpans }
    public var text: String { item.text }

    /// The database the item is about: its own words, then its ancestors', then its section's, then the document's.
    var engine: Engine? {
        Engine.named(in: own, code: code) ?? Engine.named(in: ancestors) ?? Engine.named(in: section) ?? defaultEngine
    }

    /// Parenthetical remarks of the item's text.
    var asides: [String] {
        var out: [String] = []
        var current = ""
        var depth = 0
        for ch in text {
            if ch == "(" {
                if depth == 0 { current = "" } else { current.append(ch) }
                depth += 1
            } else if ch == ")" && depth > 0 {
                depth -= 1
                if depth == 0 { out.append(current) } else { current.append(ch) }
            } else if depth > 0 {
                current.append(ch)
            }
        }
        return out
    }
}
