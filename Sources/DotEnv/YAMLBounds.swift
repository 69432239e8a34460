/// Limits a person's YAML never reaches, checked in one pass before the YAML parser reads the text: the parser
/// recurses once per nesting level (deep `[[[[…` or indentation exhausts the stack) and follows aliases (a few lines
/// of `&a`/`*a` expand exponentially in a reader that walks the tree). gonogo's YAML inputs (gonogo.yml,
/// attestations, waivers, rosters) are small and shallow: more than ``maxBytes``, ``maxDepth`` levels or
/// ``maxAliases`` aliases is refused with the file and the line.
public enum YAMLBounds {
    public static let maxBytes = 4 << 20
    public static let maxDepth = 64
    public static let maxAliases = 64

    /// Throws ``InputFileError`` naming `file` and the line where a limit is passed.
    public static func check(_ text: String, file: String) throws {
        let bytes = text.utf8
        guard bytes.count <= maxBytes else {
            throw InputFileError(
                file: file, line: nil,
                message: "is larger than \(maxBytes >> 20) MB; a YAML input gonogo reads is small")
        }
        var line = 1
        var flow = 0  // open [ and { on the current nesting path
        var indents: [Int] = []  // indentation of the open block levels
        var aliases = 0
        var atLineStart = true
        var column = 0
        var dashes = 0  // "- - -" opening a line: sequences in sequences
        var prefix = true  // only spaces and dashes so far on this line
        var quote: UInt8? = nil
        var comment = false
        func deeper(_ depth: Int) throws {
            guard depth <= maxDepth else {
                throw InputFileError(
                    file: file, line: line,
                    message: "nests more than \(maxDepth) levels deep; gonogo reads shallow YAML (a list of entries)")
            }
        }
        var previous: UInt8 = 0x0A
        for b in bytes {
            defer {
                previous = b
                if b != 0x20 && b != 0x0A && b != UInt8(ascii: "-") { prefix = false }
            }
            if b == 0x0A {
                line += 1
                atLineStart = true
                column = 0
                dashes = 0
                prefix = true
                comment = false
                if quote == UInt8(ascii: "'") || quote == UInt8(ascii: "\"") {
                    continue  // a quoted scalar may span lines
                }
                continue
            }
            if comment { continue }
            if let q = quote {
                if b == q { quote = nil }
                continue
            }
            if atLineStart {
                if b == 0x20 {
                    column += 1
                    continue
                }
                atLineStart = false
                if b == UInt8(ascii: "#") {
                    comment = true
                    continue
                }
                if flow == 0 {
                    while let last = indents.last, last >= column { indents.removeLast() }
                    indents.append(column)
                    try deeper(indents.count)
                }
            }
            switch b {
            case UInt8(ascii: "#") where previous == 0x20 || previous == 0x09: comment = true
            case UInt8(ascii: "'"), UInt8(ascii: "\""): quote = b
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                flow += 1
                try deeper(indents.count + flow + dashes)
            case UInt8(ascii: "]"), UInt8(ascii: "}"): flow = max(0, flow - 1)
            case UInt8(ascii: "-") where prefix && (previous == 0x20 || previous == 0x0A):
                dashes += 1
                try deeper(indents.count + flow + dashes)
            case UInt8(ascii: "*")
            where previous == 0x20 || previous == UInt8(ascii: "[") || previous == UInt8(ascii: ","):
                aliases += 1
                guard aliases <= maxAliases else {
                    throw InputFileError(
                        file: file, line: line,
                        message: "uses more than \(maxAliases) aliases (*name); gonogo's YAML inputs need none")
                }
            default: break
            }
        }
    }
}
