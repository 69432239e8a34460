/// A numeric bound in base units: milliseconds or seconds for time, percent, or a bare number.
///
/// Serialised as `{"metric": "p95", "op": "<", "value": 500, "unit": "ms"}` everywhere in gonogo.
public struct Threshold: Sendable, Equatable {
    /// What is compared: `p95`, `p99`, `avg`, `med`, `min`, `max`, `line` (coverage), `score`, a Lighthouse audit id…
    public var metric: String
    /// One of `<`, `<=`, `>`, `>=`, `=`.
    public var op: String
    public var value: Double
    /// `ms`, `s`, `%`, or `""` for a bare number.
    public var unit: String

    public init(metric: String, op: String, value: Double, unit: String) {
        self.metric = metric
        self.op = op
        self.value = value
        self.unit = unit
    }

    /// Whether `observed` (in the same unit) satisfies the bound.
    public func isMet(by observed: Double) -> Bool {
        switch op {
        case "<": return observed < value
        case "<=": return observed <= value
        case ">": return observed > value
        case ">=": return observed >= value
        default: return observed == value
        }
    }

    public var json: JSONValue {
        .object([("metric", .string(metric)), ("op", .string(op)), ("value", .double(value)), ("unit", .string(unit))])
    }

    /// `p95 < 500 ms`, for people.
    public var description: String {
        let v = value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
        return "\(metric) \(op) \(v)\(unit.isEmpty ? "" : unit == "%" ? "%" : " " + unit)"
    }
}

extension Threshold {
    /// A bound as an annotation or a config writes it: `"p95 < 500ms"`, `">= 85%"`, `"<= 60s"`; nil when it is not one.
    public init?(parsing text: String) {
        guard let t = AnnotationParser.threshold(text) else { return nil }
        self = t
    }
}

extension Threshold {
    /// Why a bound written for `kind` cannot be meant (a latency in percent, a coverage in milliseconds), or nil.
    public static func unsuitable(_ t: Threshold, for kind: Kind) -> String? {
        switch kind {
        case Kind(.latency, "request"):
            return ["ms", "s"].contains(t.unit) ? nil : "a latency bound needs a time unit (ms or s)"
        case Kind(.artifact, "coverage"):
            return t.unit == "%" ? nil : "a coverage bound is a percentage (\">= 80%\")"
        default: return nil
        }
    }
}
