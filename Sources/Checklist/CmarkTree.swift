import CCmark

/// Owns a parsed cmark-gfm tree and frees it in one place.
///
/// `@unchecked Sendable` is not claimed: the tree lives and dies inside one `parse` call.
final class CmarkTree {
    let root: OpaquePointer

    private static let registered: Bool = {
        cmark_gfm_core_extensions_ensure_registered()
        return true
    }()

    init(markdown: String) {
        _ = Self.registered
        let parser = cmark_parser_new(gonogo_cmark_opt_default())!
        defer { cmark_parser_free(parser) }
        for name in ["tasklist", "table"] {
            if let ext = cmark_find_syntax_extension(name) {
                cmark_parser_attach_syntax_extension(parser, ext)
            }
        }
        var text = markdown
        text.withUTF8 { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                cmark_parser_feed(parser, chars.baseAddress, chars.count)
            }
        }
        root = cmark_parser_finish(parser)
    }

    deinit { cmark_node_free(root) }
}

/// One pass over the tree collecting items, headings and roles.
struct Walker {
    let path: String
    var items: [TaskItem] = []
    /// For each item, the lines of the headings above it (resolved to text once the title is known).
    var sectionLines: [[Int]] = []
    var headings: [Heading] = []
    var headingText: [Int: String] = [:]
    var roles: [String] = []

    private var headingStack: [Heading] = []
    private var openItems: [Int] = []
    private var blockQuoteDepth = 0
    /// For each open plain list item, whether it was read as a task item by ``taskMarker(_:)``.
    private var plainItemWasTask: [Bool] = []

    /// The source, and its lines once an annotation inside a paragraph needs its line found.
    private let source: String
    private var lines: [Substring] = []

    init(path: String, source: String) {
        self.path = path
        self.source = source
    }

    /// The line of the `n`th gonogo annotation at or after `line`.
    private mutating func annotationLine(from line: Int, occurrence n: Int) -> Int {
        if lines.isEmpty { lines = source.split(separator: "\n", omittingEmptySubsequences: false) }
        var seen = 0
        var i = line - 1
        while i < lines.count && i < line - 1 + 200 {
            if lines[i].contains("gonogo:") {
                if seen == n { return i + 1 }
                seen += 1
            }
            i += 1
        }
        return line
    }

    mutating func walk(_ root: OpaquePointer) throws {
        let iter = cmark_iter_new(root)!
        defer { cmark_iter_free(iter) }
        while true {
            let event = cmark_iter_next(iter)
            if event == CMARK_EVENT_DONE { break }
            guard let node = cmark_iter_get_node(iter) else { continue }
            let entering = event == CMARK_EVENT_ENTER
            switch NodeKind(node) {
            case .blockQuote:
                blockQuoteDepth += entering ? 1 : -1
            case .heading where entering:
                enterHeading(node)
            case .taskItem:
                if entering { try enterTaskItem(node, marker: nil) } else { openItems.removeLast() }
            case .item:
                // cmark-gfm's task-list extension skips items inside block quotes; GitHub renders them as tasks.
                if entering {
                    let marker = Self.taskMarker(node)
                    plainItemWasTask.append(marker != nil)
                    if let marker { try enterTaskItem(node, marker: marker) }
                } else if plainItemWasTask.removeLast() {
                    openItems.removeLast()
                }
            case .table where entering:
                readRoles(table: node)
            case .htmlBlock where entering:
                try strayAnnotationCheck(node)
            default:
                break
            }
        }
    }

    private mutating func enterHeading(_ node: OpaquePointer) {
        let level = Int(cmark_node_get_heading_level(node))
        let line = Int(cmark_node_get_start_line(node))
        let text = Redaction.redacting(InlineText.collect(node).text)
        let heading = Heading(level: level, text: text, line: line)
        headings.append(heading)
        headingText[line] = text
        while let last = headingStack.last, last.level >= level { headingStack.removeLast() }
        headingStack.append(heading)
    }

    /// `[ ]`, `[x]` or `[X]` opening a plain list item's first paragraph: the checked state, else nil.
    static func taskMarker(_ item: OpaquePointer) -> Bool? {
        guard let paragraph = cmark_node_first_child(item), NodeKind(paragraph) == .paragraph,
            let first = cmark_node_first_child(paragraph), NodeKind(first) == .text,
            let literal = cmark_node_get_literal(first)
        else { return nil }
        let bytes = Array(String(cString: literal).utf8.prefix(4))
        guard bytes.count >= 3, bytes[0] == UInt8(ascii: "["), bytes[2] == UInt8(ascii: "]"),
            bytes.count == 3 || bytes[3] == UInt8(ascii: " ") || bytes[3] == UInt8(ascii: "\t")
        else { return nil }
        switch bytes[1] {
        case UInt8(ascii: " "): return false
        case UInt8(ascii: "x"), UInt8(ascii: "X"): return true
        default: return nil
        }
    }

    /// Records a task item. `marker` is set for a plain item read by ``taskMarker(_:)``, whose text still starts
    /// with the box.
    private mutating func enterTaskItem(_ node: OpaquePointer, marker: Bool?) throws {
        let line = Int(cmark_node_get_start_line(node))
        var text = ""
        var code: [String] = []
        var annotations: [RawAnnotation] = []
        var child = cmark_node_first_child(node)
        while let c = child {
            switch NodeKind(c) {
            case .paragraph:
                let inline = InlineText.collect(c)
                text += (text.isEmpty ? "" : " ") + inline.text
                code += inline.code
                for comment in inline.comments {
                    try rejectMalformed(comment, line: line)
                    if var raw = Annotations.raw(fromComment: comment, line: line) {
                        raw.line = annotationLine(from: line, occurrence: annotations.count)
                        annotations.append(raw)
                    }
                }
            case .htmlBlock:
                let blockLine = Int(cmark_node_get_start_line(c))
                let literal = cmark_node_get_literal(c).map { String(cString: $0) } ?? ""
                for comment in Annotations.comments(in: literal) {
                    try rejectMalformed(comment, line: blockLine)
                    if let raw = Annotations.raw(fromComment: comment, line: blockLine) { annotations.append(raw) }
                }
            default:
                break
            }
            child = cmark_node_next(c)
        }
        if marker != nil { text = InlineText.collapseWhitespace(String(text.dropFirst(3))) }
        let index = items.count
        let parent = openItems.last
        items.append(
            TaskItem(
                index: index, line: line, checked: marker ?? cmark_gfm_extensions_get_tasklist_item_checked(node),
                // Credentials are masked once the walk is done, every item at once (`ChecklistParser.parse`).
                section: [], text: text, codeSpans: code, annotations: annotations, parent: parent,
                inBlockQuote: blockQuoteDepth > 0))
        sectionLines.append(headingStack.map(\.line))
        if let parent { items[parent].children.append(index) }
        openItems.append(index)
    }

    /// An annotation in an HTML block that belongs to no task item would silently do nothing: refuse it.
    /// A comment that means to be an annotation but is not one: exit 2 at its line, with the form it needs.
    private func rejectMalformed(_ comment: String, line: Int) throws {
        guard Annotations.isMalformed(comment) else { return }
        throw ChecklistError.badAnnotation(
            path, line: line, "an annotation needs a colon after gonogo, as in <!-- gonogo: http.header name=X -->")
    }

    private func strayAnnotationCheck(_ node: OpaquePointer) throws {
        if let parent = cmark_node_parent(node) {
            let kind = NodeKind(parent)
            if kind == .taskItem || kind == .item && Self.taskMarker(parent) != nil { return }
        }
        let literal = cmark_node_get_literal(node).map { String(cString: $0) } ?? ""
        let line = Int(cmark_node_get_start_line(node))
        if Annotations.comments(in: literal).contains(where: { Annotations.raw(fromComment: $0, line: line) != nil }) {
            throw ChecklistError.badAnnotation(
                path, line: line,
                "it belongs to no task item; put it on the item's own line, or indent it under the item")
        }
    }

    private mutating func readRoles(table: OpaquePointer) {
        // Read the header row first: most tables are not sign-off tables, and need not be read at all.
        guard let headerRow = cmark_node_first_child(table) else { return }
        var headerCell = cmark_node_first_child(headerRow)
        var hasRole = false
        while let c = headerCell, !hasRole {
            let t = InlineText.collect(c).text.lowercased()
            hasRole = t == "role" || t == "roles"
            headerCell = cmark_node_next(c)
        }
        guard hasRole else { return }
        var rows: [[String]] = []
        var row = cmark_node_first_child(table)
        while let r = row {
            var cells: [String] = []
            var cell = cmark_node_first_child(r)
            while let c = cell {
                cells.append(InlineText.collect(c).text)
                cell = cmark_node_next(c)
            }
            rows.append(cells)
            row = cmark_node_next(r)
        }
        guard let header = rows.first,
            let column = header.firstIndex(where: { $0.lowercased() == "role" || $0.lowercased() == "roles" })
        else { return }
        var seen = Set(roles)
        for cells in rows.dropFirst() where column < cells.count {
            let role = cells[column].trimmingCharacters(in: " \t*_")
            if !role.isEmpty, role.contains(where: \.isLetter), seen.insert(role).inserted { roles.append(role) }
        }
    }
}

extension StringProtocol {
    /// The string without leading and trailing characters of `set` (Foundation-free, for every gonogo module).
    package func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s.removeFirst() }
        while let l = s.last, set.contains(l) { s.removeLast() }
        return String(s)
    }
}
