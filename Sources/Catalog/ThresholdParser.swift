/// Finds a bound such as "< 500ms", "under 250 ms", "at least 85%", "≥ 90", "no more than 2 s",
/// "within 30 days" or "90% or more" in a checklist item, and normalises its unit.
struct ThresholdParser {
    /// A bound as written, before the caller picks its base unit.
    struct Found: Equatable {
        var op: String
        var value: Double
        /// `time` values are in milliseconds, `size` in kilobytes (PostgreSQL's kB: 1024 bytes); `percent`, `count`
        /// as written.
        var dimension: Dimension
        /// The token index just after the number and unit.
        var end: Int
        /// The token index of the comparator.
        var start: Int

        enum Dimension: Equatable { case time, size, percent, count }

        /// The value in the requested time base (`ms` or `s`).
        func threshold(metric: String, timeBase: String = "ms") -> Threshold {
            switch dimension {
            case .time:
                return Threshold(metric: metric, op: op, value: timeBase == "s" ? value / 1000 : value, unit: timeBase)
            case .size: return Threshold(metric: metric, op: op, value: value, unit: "kB")
            case .percent: return Threshold(metric: metric, op: op, value: value, unit: "%")
            case .count: return Threshold(metric: metric, op: op, value: value, unit: "")
            }
        }
    }

    /// Comparators as token sequences, longest first.
    static let prefixOps: [([String], String)] = [
        (["no", "lower", "than"], ">="), (["not", "lower", "than"], ">="), (["no", "higher", "than"], "<="),
        (["not", "higher", "than"], "<="), (["not", "below"], ">="), (["never", "below"], ">="),
        (["not", "above"], "<="), (["never", "above"], "<="), (["not", "under"], ">="), (["not", "over"], "<="),
        (["no", "more", "than"], "<="), (["not", "more", "than"], "<="), (["no", "less", "than"], ">="),
        (["not", "less", "than"], ">="), (["no", "greater", "than"], "<="), (["no", "longer", "than"], "<="),
        (["less", "than", "or", "equal", "to"], "<="), (["greater", "than", "or", "equal", "to"], ">="),
        (["less", "than"], "<"), (["lower", "than"], "<"), (["fewer", "than"], "<"), (["shorter", "than"], "<"),
        (["faster", "than"], "<"), (["more", "than"], ">"), (["greater", "than"], ">"), (["higher", "than"], ">"),
        (["longer", "than"], ">"), (["at", "most"], "<="), (["at", "least"], ">="), (["up", "to"], "<="),
        (["does", "not", "exceed"], "<="), (["not", "exceeding"], "<="), (["not", "to", "exceed"], "<="),
        (["must", "not", "exceed"], "<="), (["should", "not", "exceed"], "<="), (["never", "exceeds"], "<="),
        (["never", "exceed"], "<="), (["must", "be", "under"], "<"), (["must", "be", "below"], "<"),
        (["<="], "<="), ([">="], ">="), (["≤"], "<="), (["≥"], ">="), (["<"], "<"), ([">"], ">"), (["="], "="),
        (["under"], "<"), (["below"], "<"), (["within"], "<="), (["max"], "<="), (["maximum"], "<="),
        (["over"], ">"), (["above"], ">"), (["exceeds"], ">"), (["min"], ">="), (["minimum"], ">="),
        (["equals"], "="), (["~"], "<="),
    ]
    /// Words after a number that turn it into a bound: "90% or more", "2s or less", "85% minimum".
    static let suffixOps: [([String], String)] = [
        (["or", "more"], ">="), (["or", "higher"], ">="), (["or", "above"], ">="), (["or", "better"], ">="),
        (["or", "greater"], ">="), (["or", "less"], "<="), (["or", "lower"], "<="), (["or", "fewer"], "<="),
        (["or", "below"], "<="), (["minimum"], ">="), (["min"], ">="), (["maximum"], "<="), (["max"], "<="),
        (["+"], ">="), (["at", "most"], "<="), (["at", "least"], ">="),
    ]

    /// Units and their factor to milliseconds (time) or their dimension.
    static let units: [String: (Found.Dimension, Double)] = {
        let table: [([String], Found.Dimension, Double)] = [
            (["ms", "msec", "msecs", "millisecond", "milliseconds"], .time, 1),
            (["s", "sec", "secs", "second", "seconds"], .time, 1000),
            (["m", "min", "mins", "minute", "minutes"], .time, 60_000),
            (["h", "hr", "hrs", "hour", "hours"], .time, 3_600_000),
            (["d", "day", "days"], .time, 86_400_000),
            (["w", "wk", "week", "weeks"], .time, 7 * 86_400_000),
            (["mo", "month", "months"], .time, 30 * 86_400_000),
            (["y", "yr", "yrs", "year", "years"], .time, 365 * 86_400_000),
            (["%", "percent", "pct"], .percent, 1),
            (["kb", "kib"], .size, 1),
            (["mb", "mib"], .size, 1024),
            (["gb", "gib"], .size, 1024 * 1024),
            (["tb", "tib"], .size, 1024 * 1024 * 1024),
        ]
        return Dictionary(
            uniqueKeysWithValues: table.flatMap { words, dim, factor in words.map { ($0, (dim, factor)) } })
    }()

    /// The unit words, compiled: a number word ("a week") counts only before one.
    static let unitWords = Vocabulary.compile(Array(units.keys))

    /// The dimension and factor of a unit word.
    static func unit(_ w: String) -> (Found.Dimension, Double)? { units[w] }

    let tokens: Tokens

    static let numberWords: [String: Double] = [
        "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
        "nine": 9, "ten": 10, "twelve": 12, "fifteen": 15, "thirty": 30, "sixty": 60, "ninety": 90,
    ]

    /// The first "N unit" with a time unit in `tokens` ("1 year", "45 minutes"), in seconds, clamped to a range an
    /// `Int` holds so that "99999999999999999999 days" cannot trap.
    static func firstDurationSeconds(in tokens: Tokens) -> Int? {
        let parser = ThresholdParser(tokens: tokens)
        for i in tokens.words.indices {
            if let (value, dim, _) = parser.number(at: i), dim == .time { return clampedInt(value / 1000) }
        }
        return nil
    }

    /// `value` rounded to an `Int`, clamped to ±10¹⁵ (about 31 million years in seconds).
    static func clampedInt(_ value: Double) -> Int {
        guard value.isFinite else { return value > 0 ? 1_000_000_000_000_000 : 0 }
        return Int(min(max(value.rounded(), -1e15), 1e15))
    }

    /// The first bound with a comparator, or nil.
    func first() -> Found? { all().first }

    /// Every bound in the text, in order.
    func all() -> [Found] {
        // A bound needs a number: digits, or a number word before a unit. Most items have neither.
        guard tokens.hasNumber || tokens.matches(Self.unitWords, noting: false) else { return [] }
        let w = tokens.words
        var found: [Found] = []
        var i = 0
        while i < w.count {
            if let (op, len) = Self.match(Self.prefixOps, at: i, in: w), i + len < w.count,
                let (value, dim, end) = number(at: i + len)
            {
                found.append(Found(op: op, value: value, dimension: dim, end: end, start: i))
                i = end
                continue
            }
            if let (value, dim, end) = number(at: i), let (op, len) = Self.match(Self.suffixOps, at: end, in: w) {
                found.append(Found(op: op, value: value, dimension: dim, end: end + len, start: i))
                i = end + len
                continue
            }
            i += 1
        }
        return found
    }

    /// A number at `i` with its optional unit: (value in base unit, dimension, index after).
    func number(at i: Int) -> (Double, Found.Dimension, Int)? {
        let w = tokens.words
        // Digits, or a number word before a unit ("one year", "a week").
        guard i < w.count else { return nil }
        let raw: Double
        if Tokens.isNumber(w[i]), let n = Double(w[i]) {
            raw = n
        } else if let n = Self.numberWords[w[i]], i + 1 < w.count, Self.unit(w[i + 1]) != nil {
            raw = n
        } else {
            return nil
        }
        if i + 1 < w.count, let (dim, factor) = Self.unit(w[i + 1]) {
            return (raw * factor, dim, i + 2)
        }
        return (raw, .count, i + 1)
    }

    static func match(_ table: [([String], String)], at i: Int, in w: [String]) -> (String, Int)? {
        for (seq, op) in table where i + seq.count <= w.count && w[i] == seq[0] {
            if seq.indices.allSatisfy({ w[i + $0] == seq[$0] }) { return (op, seq.count) }
        }
        return nil
    }

    /// The statistic an item names ("p95", "95th percentile", "median", "average"), or nil.
    static func metric(in tokens: Tokens) -> String? {
        let w = tokens.words
        for (i, word) in w.enumerated() {
            if word.count >= 2, word.first == "p", let n = Int(word.dropFirst()), n > 0, n < 100 { return "p\(n)" }
            if word == "p", i + 1 < w.count, let n = Int(w[i + 1]), n > 0, n < 100 { return "p\(n)" }
            if let n = Int(word), i + 2 < w.count, ["th", "st", "nd", "rd"].contains(w[i + 1]),
                w[i + 2].hasPrefix("percentile")
            {
                return "p\(n)"
            }
            switch word {
            case "median": return "med"
            case "average", "avg", "mean": return "avg"
            case "worst", "maximum", "max", "peak":
                if i + 1 < w.count, Tokens.isNumber(w[i + 1]) { continue }
                return "max"
            case "fastest", "best":
                return "min"
            default: continue
            }
        }
        return nil
    }
}
