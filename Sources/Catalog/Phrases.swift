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
    /// A word mask per slot, beside the value: most asks end at the mask, without touching the value.
    private var masks: [UInt64] = Array(repeating: 0, count: 1024)
    private var count = 0

    private func slot(_ site: CallSite) -> Int {
        let mask = keys.count - 1
        var i = Int(truncatingIfNeeded: (site.file &>> 3) &+ site.line &* 67 &+ site.column &* 7) & mask
        while let key = keys[i], key != site { i = (i + 1) & mask }
        return i
    }

    /// The slot that holds `site`, if it is here (valid until the next insertion).
    func slot(of site: CallSite) -> Int? {
        let i = slot(site)
        return keys[i] == nil ? nil : i
    }

    func mask(at slot: Int) -> UInt64 { masks[slot] }
    func value(at slot: Int) -> Value { values[slot]! }

    subscript(site: CallSite) -> Value? {
        get { values[slot(site)] }
        set {
            guard let newValue else { return }
            insert(site, newValue, mask: 0)
        }
    }

    mutating func insert(_ site: CallSite, _ value: Value, mask: UInt64) {
        let i = slot(site)
        if keys[i] == nil {
            keys[i] = site
            count += 1
        }
        values[i] = value
        masks[i] = mask
        if count * 2 > keys.count { grow() }
    }

    private mutating func grow() {
        let old = keys.indices.compactMap { i in keys[i].flatMap { k in values[i].map { (k, $0, masks[i]) } } }
        keys = Array(repeating: nil, count: keys.count * 2)
        values = Array(repeating: nil, count: keys.count)
        masks = Array(repeating: 0, count: keys.count)
        count = 0
        for (k, v, m) in old { insert(k, v, mask: m) }
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

    /// Whether `tokens` hold any of the phrases written at `site`: a mask compare for most, no reference counting.
    func matches(site: CallSite, _ phrases: () -> [String], in tokens: Tokens) -> Bool {
        let slot = slot(site, phrases)
        guard sites.mask(at: slot) & tokens.mask != 0 else { return false }
        return tokens.matches(sites.value(at: slot).phrases)
    }

    private func slot(_ site: CallSite, _ phrases: () -> [String]) -> Int {
        if let found = sites.slot(of: site) { return found }
        let compiled = Vocabulary.compiled(site: site, phrases)
        sites.insert(site, Entry(compiled), mask: compiled.mask)
        return sites.slot(of: site)!
    }
}
