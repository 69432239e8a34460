import Checklist

/// One item of a plan: the checklist item and the check gonogo will run for it.
public struct PlannedItem: Sendable {
    public var item: TaskItem
    public var kind: Kind
    public var params: Params
    public var severity: Severity
    public var source: Source
    /// The recogniser's rule, or `annotation`: why the item got its kind.
    public var rule: String
    /// The item's words that its rule matched: the evidence for the kind (empty for annotations and the config).
    public var evidence: [String] = []
    /// Where a target the check reads came from, by param (`path`: "the checklist, line 42"), when not from the
    /// config or a flag (see `ChecklistTargets` in the Verify module).
    public var targetSources: [String: String] = [:]
    /// The config line whose `items:` entry changed the item (applied once), or nil.
    public var overriddenAt: Int?
    /// The parent item's id, absent at top level.
    public var parentID: String?

    public var id: String { item.id }
}

/// A checklist turned into typed checks.
public struct Plan: Sendable {
    public var document: ChecklistDocument
    public var items: [PlannedItem]

    /// Items whose kind runs without a person (neither `manual` nor `group`).
    public var automatedCount: Int { items.reduce(0) { $0 + ($1.kind.family.isAutomated ? 1 : 0) } }

    /// How many items each family has, in the order of ``Family``, families without items left out.
    public var countsByFamily: [(Family, Int)] {
        var counts: [Family: Int] = [:]
        for item in items { counts[item.kind.family, default: 0] += 1 }
        return Family.allCases.compactMap { f in counts[f].map { (f, $0) } }
    }

    /// How many items have `kind`.
    public func count(of kind: Kind) -> Int { items.reduce(0) { $0 + ($1.kind == kind ? 1 : 0) } }

    /// How many items are advisory.
    public var advisoryCount: Int { items.reduce(0) { $0 + ($1.severity == .advisory ? 1 : 0) } }
}

/// Turns checklist items into typed checks: an explicit annotation wins, then the recognisers, else `manual`.
public enum Planner {
    /// Items longer than this many words are `manual` without recognition (a check's sentence is a line; reading a
    /// page against every rule would cost time in proportion to its size times the rules).
    public static let maxRecognizedWords = 400

    /// Plans every item of `document`.
    /// - Throws: ``ChecklistError`` for a malformed annotation, naming its line.
    public static func plan(_ document: ChecklistDocument) throws -> Plan {
        try plan(document, chunkSize: Concurrent.chunkSize)
    }

    /// ``plan(_:)``, recognising items in chunks of `chunkSize` (a test compares chunks with one pass).
    static func plan(_ document: ChecklistDocument, chunkSize: Int) throws -> Plan {
        let items = document.items
        let tokens: [Tokens] = Concurrent.chunks(items.count) { range in
            var vocabulary = Vocabulary.Local()
            return range.map { Tokens(items[$0].text, vocabulary: &vocabulary) }
        }
        // What each item says of itself: optional, its database, a data project's words. On every core, each chunk
        // reading phrase lists through its own cache.
        let own: [Own] = Concurrent.chunks(items.count) { range in
            let cache = PhraseCache()
            return range.map { i in
                var t = tokens[i]
                t.cache = cache
                return Own(
                    optional: isOptional(t, items[i].text), engine: Engine.named(in: t, code: items[i].codeSpans),
                    dataWords: t.hasAny(["dbt", "data warehouse"]))
            }
        }
        let reading = ItemContext.Document(
            items: items, tokens: tokens, engine: documentEngine(document, own.lazy.map(\.engine)),
            // A data project's checklist (dbt models, a warehouse): its "test coverage" is the models'.
            dataModels: own.contains { $0.dataWords })
        // Parents come before their children, so an optional parent's severity is known when a child needs it.
        var optionalHere: [Bool] = []
        optionalHere.reserveCapacity(items.count)
        var annotated: [Int: (Kind, Params)] = [:]
        // The items the recognisers read: after this loop, in parallel.
        var unread: [Int] = []
        unread.reserveCapacity(items.count)
        for item in items {
            optionalHere.append(own[item.index].optional || item.parent.map { optionalHere[$0] } == true)
            if item.annotations.count > 1 {
                throw ChecklistError.badAnnotation(
                    document.path, line: item.annotations[1].line,
                    "an item takes one annotation; this one has \(item.annotations.count)")
            }
            if let raw = item.annotations.first {
                annotated[item.index] = try AnnotationParser.parse(raw, file: document.path)
            } else if tokens[item.index].words.count <= Self.maxRecognizedWords {
                unread.append(item.index)
            }
        }
        var found = [Recognition?](repeating: nil, count: items.count)
        for (i, recognition) in zip(unread, Recognizers.recognize(unread, in: reading, chunkSize: chunkSize)) {
            found[i] = recognition
        }
        // Each item's plan made once, on every core.
        let (optional, recognized) = (optionalHere, found)
        let annotations = annotated
        var planned = items.concurrentMap { item in
            var p = PlannedItem(
                item: item, kind: .manual, params: Params(), severity: optional[item.index] ? .advisory : .blocker,
                source: .none, rule: "unrecognised", parentID: item.parent.map { items[$0].id })
            if let (kind, params) = annotations[item.index] {
                (p.kind, p.params, p.source, p.rule) = (kind, params, .annotation, "annotation")
            } else if let r = recognized[item.index] {
                (p.kind, p.params, p.rule, p.evidence) = (r.kind, r.params, r.rule, r.evidence)
                p.source = r.kind == .manual ? .none : .catalog
            } else if tokens[item.index].words.count > Self.maxRecognizedWords {
                // Pages of text in one item are no sentence a check could be read from; a person reads them.
                p.rule = "too long to be one check"
            }
            return p
        }
        resolveGroups(&planned)
        return Plan(document: document, items: planned)
    }

    /// What an item says of itself, read once before recognition.
    private struct Own: Sendable {
        let optional: Bool
        let engine: Engine?
        let dataWords: Bool
    }

    /// A parent whose own check repeats what its children check (or that has none) is a `group`: the worst of them.
    /// A parent that adds a check of another family keeps it ("CORS origins configured:" over `CORS_ORIGINS` items).
    static func resolveGroups(_ planned: inout [PlannedItem]) {
        for i in planned.indices where !planned[i].item.children.isEmpty && planned[i].source != .annotation {
            let childFamilies = Set(planned[i].item.children.map { planned[$0].kind.family })
            let own = planned[i].kind.family
            // "Limits file `config/risk/limits.yaml` contains:": the file only introduces what its children check.
            // ("Frontend `.env` updated:" still says the file was written: it keeps its own check.)
            let introduces = planned[i].kind == Kind(.file, "exists") && planned[i].item.text.hasSuffix(":")
            if own == .manual || childFamilies.contains(own) || introduces {
                planned[i].kind = .group
                planned[i].params = Params()
                planned[i].source = .catalog
                planned[i].rule = "parent of \(planned[i].item.children.count)"
            }
        }
    }

    /// Optional, "if applicable", "if enabled", "if using …", "(if caching enabled)": the item is advisory, and so
    /// are its children.
    static func isOptional(_ t: Tokens, _ text: String) -> Bool {
        if t.hasAny(["not optional", "mandatory"]) { return false }
        if t.hasAny([
            "optional", "if applicable", "if enabled", "if using", "if available", "if needed",
            "if required", "nice to have", "where applicable", "when applicable", "if any", "if used",
            "not required",
        ]) {
            return true
        }
        // Any aside that starts with "if": "(if caching enabled)".
        // On bytes: "if " is ASCII, so upper case folds by one bit.
        let bytes = text.utf8
        var i = bytes.startIndex
        while let open = bytes[i...].firstIndex(of: UInt8(ascii: "(")) {
            let after = bytes[bytes.index(after: open)...].drop { $0 == UInt8(ascii: " ") }
            let word = Array(after.prefix(3))
            if word.count == 3, word[0] | 0x20 == UInt8(ascii: "i"), word[1] | 0x20 == UInt8(ascii: "f"),
                word[2] == UInt8(ascii: " ")
            {
                return true
            }
            i = after.startIndex
        }
        return false
    }

    /// The texts of the nearest eight ancestors, outermost first (bounded, so deep nesting stays linear).
    static func ancestorText(_ item: TaskItem, _ items: [TaskItem]) -> String {
        var parts: [String] = []
        var p = item.parent
        while let i = p, parts.count < 8 {
            parts.append(items[i].text)
            p = items[i].parent
        }
        return parts.reversed().joined(separator: " ")
    }

    /// The database a document means when an item names none: the one a "production" heading names, else the only
    /// one the document names anywhere.
    static func documentEngine(_ document: ChecklistDocument, _ itemEngines: some Sequence<Engine?>) -> Engine? {
        for h in document.headings {
            let t = Tokens(h.text)
            if t.hasAny(["production", "prod"]), let e = Engine.named(in: t) { return e }
        }
        var seen: Set<String> = []
        for h in document.headings { if let e = Engine.named(in: Tokens(h.text)) { seen.insert(e.rawValue) } }
        for e in itemEngines { if let e { seen.insert(e.rawValue) } }
        return seen.count == 1 ? Engine(rawValue: seen.first!) : nil
    }
}
