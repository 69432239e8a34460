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
///
/// A class: every rule is handed the same context, and copying a struct of five word lists and an item to each of
/// some forty rules was a fifth of recognition's time (reference counting).
public final class ItemContext {
    public let item: TaskItem
    /// The item's own words.
    public let own: Tokens
    /// The direct parent item's words (empty at top level).
    public let parent: Tokens
    /// The direct parent item's code spans, as written ("In `deploy/nginx/tls.conf`:" over its directives).
    public let parentCode: [String]
    /// The words of every ancestor item.
    public let ancestors: Tokens
    /// The words of the section headings above the item.
    public let section: Tokens
    /// Section headings and ancestors together: where the item sits.
    public let scope: Tokens
    /// The document's database when nothing nearer names one (see ``Catalog``).
    let defaultEngine: Engine?
    /// The document is a data project's (dbt models, a warehouse): "tests" and "coverage" are the models'.
    let dataModels: Bool

    init(
        item: TaskItem, own: Tokens, parent: Tokens, parentCode: [String] = [], ancestors: Tokens, section: Tokens,
        scope: Tokens, defaultEngine: Engine?, dataModels: Bool
    ) {
        self.item = item
        self.own = own
        self.parent = parent
        self.parentCode = parentCode
        self.ancestors = ancestors
        self.section = section
        self.scope = scope
        self.defaultEngine = defaultEngine
        self.dataModels = dataModels
    }

    /// The item's code spans, as written.
    public var code: [String] { item.codeSpans }
    public var text: String { item.text }

    /// The database the item is about: its own words, then its ancestors', then its section's, then the document's.
    /// Read once per item: many rules ask.
    lazy var engine: Engine? =
        Engine.named(in: own, code: code) ?? Engine.named(in: ancestors) ?? Engine.named(in: section) ?? defaultEngine

    /// `text` (a part of the item's sentence) as tokens that read phrase lists through the item's cache and record
    /// their matches as the item's evidence, as ``own`` does.
    func tokens(_ text: String) -> Tokens {
        var tokens = Tokens(text)
        tokens.evidence = own.evidence
        tokens.cache = own.cache
        return tokens
    }

    /// The words of `text` (the item's sentence, or a part of it) outside its code spans, as ``tokens(_:)``: the
    /// prose, without the words and numbers of a path or a command (`/v1/stores/118/kpis`).
    func prose(_ text: String) -> Tokens {
        // The words of the code spans, whole: "in" stays in "`appsettings.json` is not in the package".
        let coded = Set(code.flatMap { $0.split(separator: " ") })
        return tokens(text.split(separator: " ").filter { !coded.contains($0) }.joined(separator: " "))
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

extension ItemContext {
    /// What every item's context is made from: the checklist's items and their words, and what the whole document
    /// says (its database, whether it is a data project's).
    struct Document: Sendable {
        let items: [TaskItem]
        let tokens: [Tokens]
        let engine: Engine?
        let dataModels: Bool
    }

    /// Makes the contexts of a run of items, on one thread: the words of sections and ancestors are read once per
    /// section and parent, and every context reads phrase lists through this builder's cache and writes its item's
    /// matches to its evidence recorder (neither is shared between threads).
    struct Builder {
        let document: Document
        let cache = PhraseCache()
        let evidence = Evidence()
        private var vocabulary = Vocabulary.Local()
        private var sections: [[String]: Tokens] = [:]
        private var lastSection: (Tokens, [String])?
        // Every child of one parent has the same ancestors, and (under the parent's section) the same scope.
        private var ancestors: [Int: (ancestors: Tokens, scope: Tokens)] = [:]
        private let none: Tokens

        init(_ document: Document) {
            self.document = document
            none = Tokens("", cache: cache)
        }

        private mutating func words(_ text: String) -> Tokens {
            var t = Tokens(text, vocabulary: &vocabulary)
            t.cache = cache
            return t
        }

        mutating func context(_ index: Int) -> ItemContext {
            let items = document.items
            let item = items[index]
            let section: Tokens
            if let (words, last) = lastSection, last == item.section {
                // Items come section by section, each section's items sharing one array: no hashing of it.
                section = words
            } else if let known = sections[item.section] {
                section = known
            } else {
                section = words(item.section.joined(separator: " "))
                sections[item.section] = section
            }
            lastSection = (section, item.section)
            var ancestorWords = none
            var scope = section
            if let parent = item.parent {
                let sameSection = items[parent].section == item.section
                if sameSection, let known = ancestors[parent] {
                    (ancestorWords, scope) = known
                } else {
                    let text = Planner.ancestorText(item, items)
                    ancestorWords = words(text)
                    scope = words(item.section.joined(separator: " ") + " " + text)
                    if sameSection { ancestors[parent] = (ancestorWords, scope) }
                }
            }
            var own = document.tokens[index]
            own.cache = cache
            own.evidence = evidence
            var parent = item.parent.map { document.tokens[$0] } ?? none
            parent.cache = cache
            return ItemContext(
                item: item, own: own, parent: parent, parentCode: item.parent.map { items[$0].codeSpans } ?? [],
                ancestors: ancestorWords, section: section, scope: scope, defaultEngine: document.engine,
                dataModels: document.dataModels)
        }
    }
}
