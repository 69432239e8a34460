import Synchronization

/// The words of a piece of checklist text, lower-cased, for phrase matching without regular expressions.
///
/// "Journal-mode set to WAL (≥ 2.5s)" becomes `journal mode set to wal ( ≥ 2.5 s )`: letters and digits
/// that start with a letter stay one word (`p95`, `e2e`), a number is one token and its unit the next,
/// comparison signs and `%` are tokens, other punctuation only separates.
struct Tokens: Sendable {
    let words: [String]

    init(_ text: String) {
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
        // Most multi-word phrases fail on their first word: check it before splitting.
        var probe = phrase
        let firstPresent = probe.withUTF8 { bytes -> Bool in
            let end = bytes.firstIndex(of: 32) ?? bytes.count
            if end > 0 && bytes[end - 1] == 42 { return true }
            let head = UnsafeBufferPointer(rebasing: bytes[0..<end])
            return words.contains { w in
                var w = w
                return w.withUTF8 { $0.count == head.count && $0.elementsEqual(head) }
            }
        }
        if !firstPresent { return nil }
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
