/// Stable, readable item ids: the slugs of the section headings and of the item text, joined by `/`,
/// a child's id under its parent's; a repeated id gets `-2`, `-3`.
public enum ItemIDs {
    /// The longest slug kept for one heading or item text, cut at a word boundary.
    public static let maxSlugLength = 60
    /// Items nested deeper than this keep the first and last few item slugs of their chain, so that a
    /// pathological 5,000-level nesting gives ids of bounded length instead of megabytes each.
    public static let maxChain = 6

    /// Ids for `items` (in document order, parents before children), in the same order.
    public static func assign(_ items: [TaskItem]) -> [String] {
        // Each item's own slug depends on its text alone: a long checklist's are made on every core.
        let slugs = items.concurrentMap { slug($0.text, fallback: "item") }
        // Depth, and the first maxChain/2 slugs of each item's chain: from the parent's, so deep nesting stays linear.
        var depth: [Int] = []
        var head: [[String]] = []
        depth.reserveCapacity(items.count)
        head.reserveCapacity(items.count)
        for index in items.indices {
            let parent = items[index].parent
            depth.append((parent.map { depth[$0] } ?? -1) + 1)
            let parentHead = parent.map { head[$0] } ?? []
            head.append(parentHead.count < maxChain / 2 ? parentHead + [slugs[index]] : parentHead)
        }
        // The id each item would have if no other had it: its section's slugs and its chain's, on every core.
        let (depths, heads) = (depth, head)
        let bases: [String] = Concurrent.chunks(items.count) { range in
            var sectionSlugs: [[String]: String] = [:]
            var lastSection: [String] = []
            var prefix = ""
            return range.map { index in
                let item = items[index]
                // The item's own slug and its ancestors', nearest first, at most `walk` of them.
                func up(_ walk: Int) -> [String] {
                    var out: [String] = []
                    var p: Int? = index
                    while let i = p, out.count < walk {
                        out.append(slugs[i])
                        p = items[i].parent
                    }
                    return out.reversed()
                }
                let chain = depths[index] < maxChain ? up(maxChain) : heads[index] + up(maxChain / 2)
                // Items come section by section: the previous item's section is the likely one (no hashing of it).
                if item.section != lastSection || index == range.lowerBound {
                    lastSection = item.section
                    if let cached = sectionSlugs[item.section] {
                        prefix = cached
                    } else {
                        prefix = item.section.map { slug($0, fallback: "section") + "/" }.joined()
                        sectionSlugs[item.section] = prefix
                    }
                }
                return prefix + chain.joined(separator: "/")
            }
        }
        // A repeated id gets `-2`, `-3`: in document order, so the first keeps its id.
        var ids: [String] = []
        ids.reserveCapacity(items.count)
        var used: Set<String> = []
        used.reserveCapacity(items.count)
        var nextSuffix: [String: Int] = [:]
        for base in bases {
            var id = base
            if !used.insert(base).inserted {
                var n = nextSuffix[base] ?? 2
                while used.contains("\(base)-\(n)") { n += 1 }
                nextSuffix[base] = n + 1
                id = "\(base)-\(n)"
                used.insert(id)
            }
            ids.append(id)
        }
        return ids
    }

    /// Lower-case ASCII letters and digits, everything else a single `-`, at most ``maxSlugLength`` long.
    public static func slug(_ text: String, fallback: String) -> String {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return asciiSlug(text, fallback: fallback) }
        var out = ""
        var dash = false
        for scalar in text.unicodeScalars {
            // Past the length kept (and a word to cut at), the rest of a long text changes nothing.
            if out.utf8.count > maxSlugLength + 64 { break }
            if let c = fold(scalar) {
                if dash && !out.isEmpty { out.append("-") }
                dash = false
                out.append(c)
            } else {
                dash = true
            }
        }
        if out.count > maxSlugLength {
            let cut = out.prefix(maxSlugLength)
            if let lastDash = cut.lastIndex(of: "-"), cut.distance(from: cut.startIndex, to: lastDash) > 20 {
                out = String(cut[..<lastDash])
            } else {
                out = String(cut)
            }
        }
        return out.isEmpty ? fallback : out
    }

    /// ``slug(_:fallback:)`` for ASCII text (most checklists), on bytes.
    private static func asciiSlug(_ text: String, fallback: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(min(text.utf8.count, maxSlugLength + 66))
        var dash = false
        for b in text.utf8 {
            if out.count > maxSlugLength + 64 { break }
            let lower = b >= 0x41 && b <= 0x5A ? b + 32 : b
            if (lower >= 0x30 && lower <= 0x39) || (lower >= 0x61 && lower <= 0x7A) {
                if dash && !out.isEmpty { out.append(UInt8(ascii: "-")) }
                dash = false
                out.append(lower)
            } else {
                dash = true
            }
        }
        if out.count > maxSlugLength {
            let cut = out[..<maxSlugLength]
            if let lastDash = cut.lastIndex(of: UInt8(ascii: "-")), lastDash > 20 {
                out = Array(cut[..<lastDash])
            } else {
                out = Array(cut)
            }
        }
        return out.isEmpty ? fallback : String(decoding: out, as: UTF8.self)
    }

    private static func fold(_ s: Unicode.Scalar) -> Character? {
        switch s.value {
        case 0x30...0x39, 0x61...0x7A: return Character(s)
        case 0x41...0x5A: return Character(Unicode.Scalar(s.value + 32)!)
        // Latin letters with accents keep their base letter: "Überprüfung" -> "uberprufung".
        case 0xC0...0xC5, 0xE0...0xE5: return "a"
        case 0xC8...0xCB, 0xE8...0xEB: return "e"
        case 0xCC...0xCF, 0xEC...0xEF: return "i"
        case 0xD2...0xD6, 0xF2...0xF6: return "o"
        case 0xD9...0xDC, 0xF9...0xFC: return "u"
        case 0xC7, 0xE7: return "c"
        case 0xD1, 0xF1: return "n"
        case 0x80...:
            // Other scripts keep their letters, lower-cased, as GitHub's heading anchors do: "Развёртывание".
            guard s.properties.isAlphabetic || s.properties.numericType != nil else { return nil }
            return Character(String(s).lowercased())
        default: return nil
        }
    }
}
