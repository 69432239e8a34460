import Checklist

/// Parses the body of `<!-- gonogo: KIND key=value key="quoted value" -->`.
///
/// Values are typed: integers, decimals, `true`/`false`, lists as `a,b,c` for the keys that take lists, and
/// thresholds as `threshold="p95 < 500ms"`. Anything malformed is a ``ChecklistError`` naming the line.
enum AnnotationParser {
    static let listKeys: Set<String> = ["refuse", "tables", "columns", "headers", "names"]

    static func parse(_ raw: RawAnnotation, file: String) throws -> (Kind, Params) {
        let fail = { (why: String) in ChecklistError.badAnnotation(file, line: raw.line, why) }
        var tokens = try split(raw.body, fail: fail)
        guard !tokens.isEmpty else { throw fail("no kind after `gonogo:`") }
        let kindText = tokens.removeFirst()
        guard let kind = Kind(parsing: kindText) else {
            let near = Kind.all.map(\.description)
                .map { ($0, editDistance($0, kindText)) }
                .filter { $0.1 <= max(2, kindText.count / 3) }
                .sorted { $0.1 < $1.1 }
                .map(\.0)
            throw fail(
                "unknown kind `\(kindText)`"
                    + (near.isEmpty
                        ? "" : "; did you mean \(near.prefix(4).map { "`\($0)`" }.joined(separator: ", "))?"))
        }
        var params = Params()
        for token in tokens {
            guard let eq = token.firstIndex(of: "="), eq != token.startIndex else {
                throw fail("`\(token)` is not key=value")
            }
            let key = String(token[..<eq])
            guard key.allSatisfy({ ($0.isLetter && $0.isASCII) || $0 == "_" || ($0.isNumber && $0.isASCII) }) else {
                throw fail("`\(key)` is not a valid key (letters, digits and _)")
            }
            guard params[key] == nil else { throw fail("`\(key)` is given twice") }
            if let unknown = Kind.unknownParameter(key, of: kind) { throw fail(unknown) }
            let value = String(token[token.index(after: eq)...])
            if key == "threshold" {
                guard let t = threshold(value) else {
                    throw fail("threshold `\(value)` is not like \"p95 < 500ms\" or \">= 85%\"")
                }
                if let why = Threshold.unsuitable(t, for: kind) { throw fail("threshold `\(value)`: \(why)") }
                params[key] = .threshold(t)
            } else if listKeys.contains(key) || Kind.spec(of: kind)?.param(key)?.type == .list {
                params[key] = .list(value.split(separator: ",").map(String.init))
            } else if let i = Int(value) {
                params[key] = .int(i)
            } else if value.first?.isNumber == true, let d = Double(value) {
                params[key] = .double(d)
            } else if value == "true" || value == "false" {
                params[key] = .bool(value == "true")
            } else {
                params[key] = .string(value)
            }
        }
        return (kind, params)
    }

    /// "p95 < 500ms" -> Threshold; the metric is optional (`< 500ms` means p95 for latency, `value` otherwise).
    static func threshold(_ text: String) -> Threshold? {
        let tokens = Tokens(text)
        guard let bound = ThresholdParser(tokens: tokens).first() else { return nil }
        // Written by hand, so read strictly: an optional statistic, a comparator, a number and a unit gonogo knows,
        // nothing else ("200 parsecs" is not 200), and no negative bound.
        let negative = text.split(separator: "-", omittingEmptySubsequences: false).dropFirst().contains {
            $0.drop { $0 == " " }.first?.isNumber == true
        }
        guard bound.start <= 1, bound.end == tokens.words.count, !negative else { return nil }
        let metric = tokens.words.first.flatMap { w in
            ThresholdParser.match(ThresholdParser.prefixOps, at: 0, in: tokens.words) == nil ? w : nil
        }
        return bound.threshold(metric: metric.map { ThresholdParser.metric(in: Tokens($0)) ?? $0 } ?? "p95")
    }

    /// Levenshtein distance, for "did you mean" suggestions.
    public static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }

    /// Splits on spaces outside double quotes; `key="a b"` stays one token with its quotes removed.
    static func split(_ body: String, fail: (String) -> ChecklistError) throws -> [String] {
        var tokens: [String] = []
        var current = ""
        var quoted = false
        var escaped = false
        for ch in body {
            if escaped {
                current.append(ch)
                escaped = false
            } else if ch == "\\" && quoted {
                escaped = true
            } else if ch == "\"" {
                quoted.toggle()
            } else if ch.isWhitespace && !quoted {
                if !current.isEmpty { tokens.append(current) }
                current = ""
            } else {
                current.append(ch)
            }
        }
        if quoted { throw fail("a double quote is not closed") }
        if !current.isEmpty { tokens.append(current) }
        return tokens
    }
}
