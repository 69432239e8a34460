import Synchronization

/// The words of a piece of checklist text, lower-cased, for phrase matching without regular expressions.
///
/// "Journal-mode set to WAL (≥ 2.5s)" becomes `journal mode set to wal ( ≥ 2.5 s )`: letters and digits
/// that start with a letter stay one word (`p95`, `e2e`), a number is one token and its unit the next,
/// comparison signs and `%` are tokens, other punctuation only separates.
struct Tokens: Sendable {
    let words: [String]

    init(_ text: String) {
        var words: [String] = []
        var current = ""
        var kind = 0  // 0 none, 1 word, 2 number
        func flush() {
            if !current.isEmpty { words.append(current) }
            current = ""
            kind = 0
        }
        let scalars = Array(text.lowercased().unicodeScalars)
        var i = 0
        while i < scalars.count {
            let s = scalars[i]
            let isDigit = s.value >= 0x30 && s.value <= 0x39
            let isLetter = (s.value >= 0x61 && s.value <= 0x7A) || (s.value > 0x7F && s.properties.isAlphabetic)
            if isLetter {
                if kind == 2 { flush() }
                kind = 1
                current.unicodeScalars.append(s)
            } else if isDigit {
                if kind == 0 { kind = 2 }
                current.unicodeScalars.append(s)
            } else if (s == "." || s == ","), kind == 2, i + 1 < scalars.count,
                scalars[i + 1].value >= 0x30, scalars[i + 1].value <= 0x39
            {
                if s == "." { current.unicodeScalars.append(s) }  // 1,000 -> 1000
            } else {
                flush()
                switch s {
                case "<", ">", "=", "≤", "≥", "%", "/", "+", "*":
                    // <= and >= as one token
                    if s == "=", let last = words.last, last == "<" || last == ">", i > 0,
                        scalars[i - 1] == "<" || scalars[i - 1] == ">"
                    {
                        words[words.count - 1] = last + "="
                    } else {
                        words.append(String(s))
                    }
                case "≈", "~": words.append("~")
                default: break
                }
            }
            i += 1
        }
        flush()
        self.words = words
    }

    /// Whether `phrase` (space-separated words; a trailing `*` on a word matches any ending) occurs as
    /// consecutive tokens. 
    func has(_ phrase: String) -> Bool {
        // Items have a handful of words: comparing small strings beats hashing the phrase.
        if words.contains(phrase) { return true }
        if Self.isSingleWord(phrase) { return false }
        return find(phrase) != nil
    }

    /// Whether any of `phrases` occurs.
    func hasAny(_ phrases: [String]) -> Bool { phrases.contains { has($0) } }

    /// The index of the first token of `phrase`, if it occurs.
    func find(_ phrase: String, from start: Int = 0) -> Int? {
        if Self.isSingleWord(phrase) {
            guard start < words.count else { return nil }
            return words[start...].firstIndex(of: phrase)
        }
        let parts = Self.parts(of: phrase)
        guard let first = parts.first, words.count >= parts.count, start <= words.count - parts.count else {
            return nil
        }
        if !Self.isWildcard(first) && !words.contains(first) { return nil }
        outer: for i in start...(words.count - parts.count) {
            for (j, p) in parts.enumerated() {
                let w = words[i + j]
                if Self.isWildcard(p) {
                    if !w.hasPrefix(String(p.dropLast())) { continue outer }
                } else if w != p {
                    continue outer
                }
            }
            return i
        }
        return nil
    }

    /// Phrases split into words, once each: recognisers ask the same few hundred phrases of every item.
    private static let splitCache = Mutex<[String: [String]]>([:])

    private static func parts(of phrase: String) -> [String] {
        if let cached = splitCache.withLock({ $0[phrase] }) { return cached }
        let parts = phrase.split(separator: " ").map(String.init)
        splitCache.withLock { $0[phrase] = parts }
        return parts
    }

    private static func isSingleWord(_ phrase: String) -> Bool {
        var phrase = phrase
        return phrase.withUTF8 { bytes in
            bytes.last != 42 && !bytes.contains(32)
        }
    }

    private static func isWildcard(_ word: String) -> Bool { word.utf8.last == 42 }

    /// Whether some word starts with `prefix` (`configur` matches configured, configuration).
    func hasPrefix(_ prefix: String) -> Bool { words.contains { $0.hasPrefix(prefix) } }

    var isEmpty: Bool { words.isEmpty }

    static func isNumber(_ w: String) -> Bool { w.first.map { $0.isASCII && $0.isNumber } ?? false }
}
