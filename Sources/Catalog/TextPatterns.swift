/// Small text patterns the recognisers test on every item, written out by hand: a regex literal is parsed where it is
/// evaluated (once per item, the largest cost of planning a long checklist before; docs/benchmarks.md), and a `Regex`
/// is not `Sendable`, so it cannot be shared by the chunks that plan in parallel.
enum TextPatterns {
    /// Words of `text` for the patterns below: runs of letters, digits, `'`, `’` and `-`; everything else splits.
    private static func words(_ text: String) -> [Substring] {
        text.split { !($0.isLetter || $0.isNumber || $0 == "'" || $0 == "’" || $0 == "-" || $0 == "_") }
    }

    /// "in the CloudSQL dashboard", "on the host's UI", "dashboard queries": a provider's place (lower-cased
    /// text), unless the service's own ("the admin dashboard") is named.
    static func providerPlace(_ lower: String) -> Bool {
        guard lower.contains("dashboard") || lower.contains("console") || lower.contains(" ui") else { return false }
        let w = words(lower)
        let places: Set<Substring> = ["dashboard", "console", "ui"]
        let own: Set<Substring> = ["admin", "app", "web", "our", "own", "chat"]
        var found = lower.contains("dashboard quer")
        for i in w.indices {
            if i + 3 < w.count, w[i] == "in" || w[i] == "on", w[i + 1] == "the", places.contains(w[i + 3]) {
                found = true
            }
            if i + 2 < w.count, w[i] == "the", own.contains(w[i + 1]), places.contains(w[i + 2]) { return false }
        }
        return found
    }

    /// A file mode: "mode 0600", "mode: 640", "`0640`".
    static func fileMode(_ text: String) -> Bool {
        guard text.contains(where: \.isNumber) else { return false }
        let w = words(text.lowercased())
        func octal(_ s: Substring) -> Bool { s.allSatisfy { ("0"..."7").contains($0) } }
        for i in w.indices {
            if w[i].count == 4, w[i].first == "0", octal(w[i]) { return true }
            if w[i] == "mode", i + 1 < w.count, octal(w[i + 1]),
                w[i + 1].count == 3 || w[i + 1].count == 4 && w[i + 1].first == "0"
            {
                return true
            }
        }
        return false
    }

    /// "… on /", "on /." (lower-cased text): the root addressed as a place, the word "on" before a lone slash.
    static func onRoot(_ lower: String) -> Bool {
        let bytes = Array(lower.utf8)
        let on = Array("on /".utf8)
        var i = 0
        while i + on.count <= bytes.count {
            if bytes[i..<(i + on.count)].elementsEqual(on), i == 0 || !isWordByte(bytes[i - 1]) {
                let next = i + on.count
                if next == bytes.count || " \t\n.,;)".utf8.contains(bytes[next]) { return true }
            }
            i += 1
        }
        return false
    }

    private static func isWordByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F || b >= 0x80
    }

    /// A Markdown heading: `## Database down` (one to six `#`, a space, then text).
    static func markdownHeading(_ s: String) -> Bool {
        let hashes = s.prefix { $0 == "#" }.count
        guard (1...6).contains(hashes) else { return false }
        let rest = s.dropFirst(hashes)
        return rest.first == " " && rest.dropFirst().first.map { !$0.isWhitespace } == true
    }

    /// `120s`, `2.5GB` (a number with a unit), `2-4` (a range).
    static func unitOrRange(_ s: String) -> Bool {
        let digits = s.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty else { return false }
        var rest = s.dropFirst(digits.count)
        if rest.first == "-" {
            let more = rest.dropFirst()
            return !more.isEmpty && more.allSatisfy { $0.isASCII && $0.isNumber }
        }
        if rest.first == "." {
            let fraction = rest.dropFirst().prefix { $0.isASCII && $0.isNumber }
            guard !fraction.isEmpty else { return false }
            rest = rest.dropFirst(1 + fraction.count)
        }
        return !rest.isEmpty && rest.allSatisfy { $0.isASCII && $0.isLetter }
    }
}
