/// Phrase lists compiled to word ids, and where they are kept by call site (see ``Tokens/has(_:file:line:column:)``).

/// Phrases as word ids: one-word phrases in a list, longer ones as id sequences, and the bits of their words (the bit
/// of every single and of every sequence's first word, see ``Tokens/mask``).
struct CompiledPhrases: Sendable {
    var singles: [Int32] = []
    var sequences: [[Int32]] = []
    var mask: UInt64 = 0

    /// Whether `id` is one of the singles (kept sorted: a scan for a few, a binary search for long lists).
    func hasSingle(_ id: Int32) -> Bool {
        guard singles.count > 8 else { return singles.contains(id) }
        var lo = 0
        var hi = singles.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if singles[mid] < id { lo = mid + 1 } else { hi = mid }
        }
        return lo < singles.count && singles[lo] == id
    }

    static func bit(_ id: Int32) -> UInt64 { 1 << UInt64(UInt32(bitPattern: id) & 63) }
}

/// The compiled phrase lists by call site: open addressing on a cheap hash of the site, since every rule asks on
/// every item (a `Dictionary` hashed each `CallSite` with SipHash, a tenth of planning's time).
struct SiteTable<Value> {
    private var keys: [CallSite?] = Array(repeating: nil, count: 1024)
    private var values: [Value?] = Array(repeating: nil, count: 1024)
    private var count = 0

    private func slot(_ site: CallSite) -> Int {
        let mask = keys.count - 1
        var i = Int(truncatingIfNeeded: (site.file &>> 3) &+ site.line &* 67 &+ site.column &* 7) & mask
        while let key = keys[i], key != site { i = (i + 1) & mask }
        return i
    }

    subscript(site: CallSite) -> Value? {
        get { values[slot(site)] }
        set {
            guard let newValue else { return }
            let i = slot(site)
            if keys[i] == nil {
                keys[i] = site
                count += 1
            }
            values[i] = newValue
            if count * 2 > keys.count { grow() }
        }
    }

    private mutating func grow() {
        let old = zip(keys, values).compactMap { k, v in k.flatMap { k in v.map { (k, $0) } } }
        keys = Array(repeating: nil, count: keys.count * 2)
        values = Array(repeating: nil, count: keys.count)
        count = 0
        for (k, v) in old { self[k] = v }
    }
}

/// The compiled phrase lists of one planning call, by call site: read without the process-wide lock, since every rule
/// asks on every item. Used only while one planning call runs, on its own thread (as ``Evidence``).
final class PhraseCache: @unchecked Sendable {
    final class Entry {
        let phrases: CompiledPhrases
        init(_ phrases: CompiledPhrases) { self.phrases = phrases }
    }

    private var sites = SiteTable<Entry>()

    func compiled(site: CallSite, _ phrases: () -> [String]) -> Entry {
        if let found = sites[site] { return found }
        let entry = Entry(Vocabulary.compiled(site: site, phrases))
        sites[site] = entry
        return entry
    }
}
