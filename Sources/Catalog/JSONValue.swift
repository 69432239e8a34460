import Checklist

/// A JSON value whose objects keep their keys in insertion order, so plans and reports read top-down
/// (`schema` first) and are byte-for-byte reproducible.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.int(let a), .int(let b)): return a == b
        case (.double(let a), .double(let b)): return a == b
        case (.int(let a), .double(let b)), (.double(let b), .int(let a)): return Double(a) == b
        case (.string(let a), .string(let b)): return a == b
        case (.array(let a), .array(let b)): return a == b
        case (.object(let a), .object(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    /// The value for `key` of an object.
    public subscript(key: String) -> JSONValue? {
        if case .object(let pairs) = self { return pairs.first { $0.0 == key }?.1 }
        return nil
    }

    /// Serialises the value. `pretty` indents by two spaces, one key per line.
    public func serialized(pretty: Bool = true) -> String {
        String(decoding: serializedBytes(pretty: pretty), as: UTF8.self)
    }

    /// The value serialised as UTF-8 bytes, for writing out without a copy into a `String`.
    public func serializedBytes(pretty: Bool = true) -> [UInt8] {
        let pieces = serializedPieces(pretty: pretty)
        guard pieces.count > 1 else { return pieces.first ?? [] }
        var out: [UInt8] = []
        out.reserveCapacity(pieces.reduce(0) { $0 + $1.count })
        for piece in pieces { out.append(contentsOf: piece) }
        return out
    }

    /// The serialised bytes in pieces, in order: a long array's items are written in chunks on every core, and the
    /// chunks are handed out as they are (a plan of 100,000 items is 50 MB of JSON; joining it cost a tenth of
    /// planning's time). Write them one after the other.
    public func serializedPieces(pretty: Bool = true) -> [[UInt8]] {
        var out = Pieces()
        write(to: &out, indent: pretty ? 0 : nil)
        return out.finished
    }

    /// Bytes being written, and the finished pieces before them.
    private struct Pieces {
        var done: [[UInt8]] = []
        var bytes: [UInt8] = []

        init() { bytes.reserveCapacity(4096) }

        mutating func append(_ b: UInt8) { bytes.append(b) }
        mutating func append(contentsOf s: some Sequence<UInt8>) { bytes.append(contentsOf: s) }

        /// `pieces` after what is written so far, as they are (no copy).
        mutating func append(pieces: [[UInt8]]) {
            if !bytes.isEmpty { done.append(bytes) }
            done.append(contentsOf: pieces.filter { !$0.isEmpty })
            bytes = []
            bytes.reserveCapacity(4096)
        }

        var finished: [[UInt8]] { bytes.isEmpty ? done : done + [bytes] }
    }

    private func write(to out: inout Pieces, indent: Int?) {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .int(let i): out.append(contentsOf: String(i).utf8)
        case .double(let d):
            if d.isFinite, d == d.rounded(), abs(d) < 1e15 {
                out.append(contentsOf: String(Int(d)).utf8)
            } else if d.isFinite {
                out.append(contentsOf: "\(d)".utf8)
            } else {
                out.append(contentsOf: "null".utf8)
            }
        case .string(let s): JSONValue.escape(s, into: &out.bytes)
        case .array(let values):
            JSONValue.writeArray(count: values.count, indent: indent, into: &out) { values[$0] }
        case .object(let pairs):
            if pairs.isEmpty {
                out.append(contentsOf: "{}".utf8)
                return
            }
            out.append(UInt8(ascii: "{"))
            for (i, (k, v)) in pairs.enumerated() {
                JSONValue.writeKey(k, first: i == 0, indent: indent, into: &out)
                v.write(to: &out, indent: indent.map { $0 + 1 })
            }
            JSONValue.newline(&out.bytes, indent)
            out.append(UInt8(ascii: "}"))
        }
    }

    /// `"key": ` of an object's pair, after a comma unless `first`, at the depth inside an object at `indent`.
    private static func writeKey(_ key: String, first: Bool, indent: Int?, into out: inout Pieces) {
        if !first { out.append(UInt8(ascii: ",")) }
        newline(&out.bytes, indent.map { $0 + 1 })
        escape(key, into: &out.bytes)
        out.append(UInt8(ascii: ":"))
        if indent != nil { out.append(UInt8(ascii: " ")) }
    }

    /// An array of `count` elements at `indent`. The items of a long plan or report: written in chunks on every core,
    /// each chunk a piece, each element asked for as it is written.
    private static func writeArray(
        count: Int, indent: Int?, into out: inout Pieces, element: @Sendable (Int) -> JSONValue
    ) {
        guard count > 0 else { return out.append(contentsOf: "[]".utf8) }
        out.append(UInt8(ascii: "["))
        let inner = indent.map { $0 + 1 }
        let chunks = Concurrent.chunks(count) { range in
            var chunk = Pieces()
            for i in range {
                if i > 0 { chunk.append(UInt8(ascii: ",")) }
                JSONValue.newline(&chunk.bytes, inner)
                element(i).write(to: &chunk, indent: inner)
            }
            return chunk.finished
        }
        if chunks.count == 1 { out.append(contentsOf: chunks[0]) } else { out.append(pieces: chunks) }
        newline(&out.bytes, indent)
        out.append(UInt8(ascii: "]"))
    }

    /// The serialised pieces (``serializedPieces(pretty:)``) of an object of `pairs` and, last, `key` holding an
    /// array of `count` elements made by `element` as they are written: a 100,000-item plan is written without
    /// holding its whole JSON tree, each element made, written and dropped on the core that writes it.
    public static func objectPieces(
        _ pairs: [(String, JSONValue)], thenArray key: String, count: Int, pretty: Bool = true,
        element: @Sendable (Int) -> JSONValue
    ) -> [[UInt8]] {
        var out = Pieces()
        let indent: Int? = pretty ? 0 : nil
        out.append(UInt8(ascii: "{"))
        for (i, (k, v)) in pairs.enumerated() {
            writeKey(k, first: i == 0, indent: indent, into: &out)
            v.write(to: &out, indent: indent.map { $0 + 1 })
        }
        writeKey(key, first: pairs.isEmpty, indent: indent, into: &out)
        writeArray(count: count, indent: indent.map { $0 + 1 }, into: &out, element: element)
        newline(&out.bytes, indent)
        out.append(UInt8(ascii: "}"))
        return out.finished
    }

    private static func newline(_ out: inout [UInt8], _ indent: Int?) {
        guard let indent else { return }
        out.append(UInt8(ascii: "\n"))
        out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * indent))
    }

    /// `s` as a JSON string literal: quote, backslash and control characters escaped, the rest as its UTF-8 bytes.
    static func escape(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { bytes in
            var start = 0
            for (i, b) in bytes.enumerated() where b < 0x20 || b == 0x22 || b == 0x5C {
                out.append(contentsOf: bytes[start..<i])
                start = i + 1
                switch b {
                case 0x22: out.append(contentsOf: "\\\"".utf8)
                case 0x5C: out.append(contentsOf: "\\\\".utf8)
                case 0x0A: out.append(contentsOf: "\\n".utf8)
                case 0x0D: out.append(contentsOf: "\\r".utf8)
                case 0x09: out.append(contentsOf: "\\t".utf8)
                default:
                    let hex = Array("0123456789abcdef".utf8)
                    out.append(contentsOf: "\\u00".utf8)
                    out.append(hex[Int(b >> 4)])
                    out.append(hex[Int(b & 0xF)])
                }
            }
            out.append(contentsOf: bytes[start...])
        }
        out.append(UInt8(ascii: "\""))
    }
}
