/// An item's `params`: a flat, ordered set of values (a threshold is the one nested shape).
public struct Params: Sendable, Equatable {
    public private(set) var pairs: [(String, Value)] = []

    public enum Value: Sendable, Equatable {
        case string(String)
        case int(Int)
        case double(Double)
        case bool(Bool)
        case list([String])
        case threshold(Threshold)

        var json: JSONValue {
            switch self {
            case .string(let s): return .string(s)
            case .int(let i): return .int(i)
            case .double(let d): return .double(d)
            case .bool(let b): return .bool(b)
            case .list(let l): return .array(l.map { .string($0) })
            case .threshold(let t): return t.json
            }
        }
    }

    public init() {}

    public init(_ pairs: [(String, Value)]) {
        for (k, v) in pairs { self[k] = v }
    }

    public static func == (lhs: Params, rhs: Params) -> Bool {
        lhs.pairs.count == rhs.pairs.count && zip(lhs.pairs, rhs.pairs).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
    }

    public subscript(key: String) -> Value? {
        get { pairs.first { $0.0 == key }?.1 }
        set {
            if let i = pairs.firstIndex(where: { $0.0 == key }) {
                if let newValue { pairs[i].1 = newValue } else { pairs.remove(at: i) }
            } else if let newValue {
                pairs.append((key, newValue))
            }
        }
    }

    public var isEmpty: Bool { pairs.isEmpty }

    public func string(_ key: String) -> String? {
        switch self[key] {
        case .string(let s): return s
        case .int(let i): return String(i)
        case .double(let d): return String(d)
        case .bool(let b): return String(b)
        default: return nil
        }
    }

    public func int(_ key: String) -> Int? {
        switch self[key] {
        case .int(let i): return i
        case .double(let d): return Int(exactly: d)
        case .string(let s): return Int(s)
        default: return nil
        }
    }

    /// The same params with `transform` applied to every string (and every string of a list).
    public func mappingStrings(_ transform: (String) -> String) -> Params {
        var out = self
        for (key, value) in pairs {
            switch value {
            case .string(let s): out[key] = .string(transform(s))
            case .list(let l): out[key] = .list(l.map(transform))
            default: break
            }
        }
        return out
    }

    /// A list, or a single string as a list of one.
    public func strings(_ key: String) -> [String]? {
        switch self[key] {
        case .list(let l): return l
        case .string(let s): return [s]
        default: return nil
        }
    }

    public var threshold: Threshold? {
        if case .threshold(let t) = self["threshold"] { return t }
        return nil
    }

    public var json: JSONValue { .object(pairs.map { ($0.0, $0.1.json) }) }
}
