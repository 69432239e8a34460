import CCmark

/// The plain text of a block's inline content: Markdown removed, code spans kept as their literal text,
/// HTML comments taken out (and returned separately, since they may carry gonogo annotations).
struct InlineText {
    var text: String
    var code: [String]
    var comments: [String]

    /// Collects the inline content below `node`, iteratively (emphasis can nest deeply).
    static func collect(_ node: OpaquePointer) -> InlineText {
        var out = ""
        var code: [String] = []
        var comments: [String] = []
        let iter = cmark_iter_new(node)!
        defer { cmark_iter_free(iter) }
        while true {
            let event = cmark_iter_next(iter)
            if event == CMARK_EVENT_DONE { break }
            guard event == CMARK_EVENT_ENTER, let n = cmark_iter_get_node(iter) else { continue }
            let literal = { cmark_node_get_literal(n).map { String(cString: $0) } ?? "" }
            switch NodeKind(n) {
            case .text: out += literal()
            case .code:
                let value = literal()
                code.append(value)
                out += value
            case .softbreak, .linebreak: out += " "
            case .htmlInline:
                let html = literal()
                let found = Annotations.comments(in: html)
                if found.isEmpty { out += html } else { comments += found }
            default: break
            }
        }
        return InlineText(text: collapseWhitespace(out), code: code, comments: comments)
    }

    /// Runs of spaces, tabs and line breaks become one space; leading and trailing ones go.
    static func collapseWhitespace(_ s: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count)
        var pendingSpace = false
        for b in s.utf8 {
            if b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x0B || b == 0x0C {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(0x20) }
                pendingSpace = false
                out.append(b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// Finding `<!-- gonogo: … -->` comments. Parsing their body is the catalog's work.
enum Annotations {
    /// The bodies of every HTML comment in `html`, in order.
    static func comments(in html: String) -> [String] {
        var found: [String] = []
        var rest = Substring(html)
        while let open = rest.range(of: "<!--") {
            let after = rest[open.upperBound...]
            guard let close = after.range(of: "-->") else { break }
            found.append(String(after[..<close.lowerBound]))
            rest = after[close.upperBound...]
        }
        return found
    }

    /// Whether a comment body means to be an annotation but lacks the colon (`<!-- gonogo http.header … -->`): an
    /// error at its line, not a comment silently ignored.
    static func isMalformed(_ body: String) -> Bool {
        let trimmed = body.trimmingCharacters(in: " \t\r\n").lowercased()
        guard trimmed.hasPrefix("gonogo"), !trimmed.hasPrefix("gonogo:") else { return false }
        let next = trimmed.dropFirst(6).first
        return next == nil || next == " " || next == "\t" || next == "\n" || next == "\r" || next == "="
    }

    /// The annotation in a comment body, when it starts with `gonogo:`.
    static func raw(fromComment body: String, line: Int) -> RawAnnotation? {
        let trimmed = body.trimmingCharacters(in: " \t\r\n")
        guard trimmed.lowercased().hasPrefix("gonogo:") else { return nil }
        let body = String(trimmed.dropFirst(7)).trimmingCharacters(in: " \t\r\n")
        return RawAnnotation(body: Redaction.redacting(body), line: line)
    }
}

extension Substring {
    func range(of needle: String) -> Range<Substring.Index>? {
        let n = Array(needle.utf8)
        guard let first = n.first else { return nil }
        var i = utf8.startIndex
        while i != utf8.endIndex {
            if utf8[i] == first {
                var j = i
                var k = 0
                while k < n.count, j != utf8.endIndex, utf8[j] == n[k] {
                    j = utf8.index(after: j)
                    k += 1
                }
                if k == n.count { return i..<j }
            }
            i = utf8.index(after: i)
        }
        return nil
    }
}
