import Synchronization

/// The words of a piece of checklist text, lower-cased, for phrase matching without regular expressions.
///
/// "Journal-mode set to WAL (≥ 2.5s)" becomes `journal mode set to wal ( ≥ 2.5 s )`: letters and digits
/// that start with a letter stay one word (`p95`, `e2e`), a number is one token and its unit the next,
/// comparison signs and `%` are tokens, other punctuation only separates.
public struct Tokens: Sendable {
    public let words: [String]
    /// The words as ids in the process-wide ``Vocabulary``.
    let ids: [Int32]
    /// One bit per id (`id % 64`) of the words: a phrase list none of whose words' bits are here cannot match, so
    /// most lists are ruled out by one AND.
    let mask: UInt64
    /// Whether some token is a number (`500`, `2.5`).
    let hasNumber: Bool
    /// Where matches are written down, for an item's own words while a rule reads them (``Evidence``).
    var evidence: Evidence?
    /// The compiled phrase lists of one planning call, read without a lock (``PhraseCache``); nil reads the
    /// process-wide ones.
    var cache: PhraseCache?

    init(_ text: String) {
        let words = Tokens.split(text)
        self.init(words: words, ids: Vocabulary.ids(of: words))
    }

    /// The words of `text`, their ids read through `vocabulary` (one per thread: a long checklist's items are read on
    /// every core, and the process-wide vocabulary's lock made them take turns).
    init(_ text: String, vocabulary: inout Vocabulary.Local) {
        let words = Tokens.split(text)
        self.init(words: words, ids: vocabulary.ids(of: words))
    }

    private init(words: [String], ids: [Int32]) {
        self.words = words
        self.ids = ids
        self.mask = ids.reduce(0) { $0 | CompiledPhrases.bit($1) }
        self.hasNumber = words.contains(where: Tokens.isNumber)
    }

    /// `text` as tokens (see ``Tokens``).
    static func split(_ text: String) -> [String] {
        // Work on UTF-8 bytes: checklist text is mostly ASCII, and recognition runs on every item.
        var source = text
        if source.utf8.contains(where: { $0 >= 0x80 }) { source = source.lowercased() }
        let bytes = Array(source.utf8)
        var words: [String] = []
        var current: [UInt8] = []
        var kind = 0  // 0 none, 1 word, 2 number
        func flush() {
            if !current.isEmpty { words.append(String(decoding: current, as: UTF8.self)) }
            current.removeAll(keepingCapacity: true)
            kind = 0
        }
        func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
        var i = 0
        while i < bytes.count {
            var b = bytes[i]
            if b >= 0x41 && b <= 0x5A { b += 32 }  // ASCII lower case
            // Comparison signs written as Unicode: ≤ (E2 89 A4), ≥ (E2 89 A5), ≈ (E2 89 88).
            if b == 0xE2, i + 2 < bytes.count, bytes[i + 1] == 0x89,
                bytes[i + 2] == 0xA4 || bytes[i + 2] == 0xA5 || bytes[i + 2] == 0x88
            {
                flush()
                words.append(bytes[i + 2] == 0xA4 ? "≤" : bytes[i + 2] == 0xA5 ? "≥" : "~")
                i += 3
                continue
            }
            // No-break space (C2 A0) and the General Punctuation block (E2 80 xx: spaces, dashes, quotes) separate.
            if b == 0xC2, i + 1 < bytes.count, bytes[i + 1] == 0xA0 {
                flush()
                i += 2
                continue
            }
            if b == 0xE2, i + 2 < bytes.count, bytes[i + 1] == 0x80 {
                flush()
                i += 3
                continue
            }
            let isLetter = (b >= 0x61 && b <= 0x7A) || b >= 0xC0 || (b >= 0x80 && kind == 1)
            if isLetter {
                if kind == 2 { flush() }
                kind = 1
                current.append(b)
            } else if isDigit(b) {
                if kind == 0 { kind = 2 }
                current.append(b)
            } else if (b == 0x2E || b == 0x2C), kind == 2, i + 1 < bytes.count, isDigit(bytes[i + 1]) {
                if b == 0x2E { current.append(b) }  // 1,000 -> 1000
            } else {
                flush()
                switch b {
                case UInt8(ascii: "="):
                    // <= and >= as one token
                    if let last = words.last, last == "<" || last == ">", i > 0,
                        bytes[i - 1] == UInt8(ascii: "<") || bytes[i - 1] == UInt8(ascii: ">")
                    {
                        words[words.count - 1] = last + "="
                    } else {
                        words.append("=")
                    }
                case UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "%"), UInt8(ascii: "/"), UInt8(ascii: "+"),
                    UInt8(ascii: "*"):
                    words.append(String(UnicodeScalar(b)))
                case UInt8(ascii: "~"): words.append("~")
                default: break
                }
            }
            i += 1
        }
        flush()
        return words
    }

    /// The words of `text`, reading phrase lists through `cache`.
    init(_ text: String, cache: PhraseCache?) {
        self.init(text)
        self.cache = cache
    }

    /// Whether `phrase` (space-separated words) occurs as consecutive tokens.
    ///
    /// For a phrase written as a literal at the call site: the phrase is compiled once per call site (keyed by
    /// file, line and column), so recognising an item costs integer compares, not string compares. A phrase that
    /// varies between calls at one site must use ``contains(_:)``.
    public func has(
        _ phrase: @autoclosure () -> String, file: StaticString = #fileID, line: UInt = #line, column: UInt = #column
    ) -> Bool {
        let site = CallSite(file: file, line: line, column: column)
        if let cache { return cache.matches(site: site, { [phrase()] }, in: self) }
        return matches(Vocabulary.compiled(site: site) { [phrase()] })
    }

    /// Whether any of `phrases` occurs; like ``has(_:file:line:column:)``, for a list fixed at its call site.
    public func hasAny(
        _ phrases: @autoclosure () -> [String], file: StaticString = #fileID, line: UInt = #line,
        column: UInt = #column
    ) -> Bool {
        let site = CallSite(file: file, line: line, column: column)
        if let cache { return cache.matches(site: site, phrases, in: self) }
        return matches(Vocabulary.compiled(site: site, phrases))
    }

    /// Whether `phrase` occurs, for a phrase that varies between calls (compiled on every call).
    public func contains(_ phrase: String) -> Bool { matches(Vocabulary.compile([phrase])) }

    /// Whether any of the compiled `phrases` occurs; `noting` writes the match down as evidence.
    func matches(_ phrases: CompiledPhrases, noting: Bool = true) -> Bool {
        guard mask & phrases.mask != 0 else { return false }
        // Integer compares, no hashing: items and lists are a few words each.
        if !phrases.singles.isEmpty, let i = ids.firstIndex(where: { phrases.hasSingle($0) }) {
            if noting { evidence?.note(words[i]) }
            return true
        }
        for sequence in phrases.sequences {
            if let i = firstIndex(of: sequence) {
                if noting { evidence?.note(words[i..<(i + sequence.count)].joined(separator: " ")) }
                return true
            }
        }
        return false
    }

    private func firstIndex(of sequence: [Int32]) -> Int? {
        guard let first = sequence.first, ids.count >= sequence.count else { return nil }
        outer: for i in 0...(ids.count - sequence.count) where ids[i] == first {
            for j in 1..<sequence.count where ids[i + j] != sequence[j] { continue outer }
            return i
        }
        return nil
    }

    /// Whether some word starts with `prefix` (`configur` matches configured, configuration).
    public func hasPrefix(_ prefix: String) -> Bool {
        // As bytes: the words are lower-cased already, and `String.hasPrefix` compares by grapheme clusters.
        let p = Array(prefix.utf8)
        guard let word = words.first(where: { $0.utf8.starts(with: p) }) else { return false }
        evidence?.note(word)
        return true
    }

    public var isEmpty: Bool { words.isEmpty }

    static func isNumber(_ w: String) -> Bool { w.first.map { $0.isASCII && $0.isNumber } ?? false }
}

/// A call site of ``Tokens/has(_:file:line:column:)``: where a literal phrase list is written.
struct CallSite: Equatable {
    let file: UInt
    let line: UInt
    let column: UInt

    init(file: StaticString, line: UInt, column: UInt) {
        self.file = UInt(bitPattern: file.utf8Start)
        self.line = line
        self.column = column
    }
}

/// Every word gonogo has seen, numbered, so that phrase matching compares integers.
enum Vocabulary {
    private struct State {
        var ids: [String: Int32] = [:]
        var sites = SiteTable<CompiledPhrases>()
    }

    private static let state = Mutex(State())

    /// The ids of `words`, numbering new ones.
    static func ids(of words: [String]) -> [Int32] {
        state.withLock { s in words.map { w in id(w, in: &s) } }
    }

    /// Ids already known to one thread: read without the lock; a word it has not seen is numbered under it.
    struct Local {
        private var known: [String: Int32] = [:]

        mutating func ids(of words: [String]) -> [Int32] {
            words.map { w in
                if let id = known[w] { return id }
                let id = Vocabulary.ids(of: [w])[0]
                known[w] = id
                return id
            }
        }
    }

    /// The compiled phrases of a call site, compiling `phrases` on first use.
    static func compiled(site: CallSite, _ phrases: () -> [String]) -> CompiledPhrases {
        if let found = state.withLock({ $0.sites[site] }) { return found }
        let compiled = compile(phrases())
        state.withLock { $0.sites[site] = compiled }
        return compiled
    }

    /// `phrases` as ids, tokenised the way item text is, so "write-ahead" matches "write ahead".
    static func compile(_ phrases: [String]) -> CompiledPhrases {
        var out = CompiledPhrases()
        for phrase in phrases {
            let ids = Tokens(phrase).ids
            guard let first = ids.first else { continue }
            if ids.count == 1 {
                if !out.singles.contains(first) { out.singles.append(first) }
            } else {
                out.sequences.append(ids)
            }
            out.mask |= CompiledPhrases.bit(first)
        }
        out.singles.sort()
        return out
    }

    private static func id(_ word: String, in s: inout State) -> Int32 {
        if let id = s.ids[word] { return id }
        let id = Int32(s.ids.count)
        s.ids[word] = id
        return id
    }
}

/// The words of an item that a rule matched while it read them: why the item got its kind (`gonogo plan --explain`,
/// `evidence` in plan and report JSON). Written only while one planning call runs, on its own thread.
final class Evidence: @unchecked Sendable {
    private(set) var words: [String] = []

    func note(_ phrase: String) {
        if !words.contains(phrase) { words.append(phrase) }
    }

    func reset() { words.removeAll(keepingCapacity: true) }
}
