import CCmark

/// Node kinds gonogo cares about: core nodes by their type number, items and the extensions' nodes by their type
/// strings (extension node types are run-time values).
enum NodeKind {
    case heading, item, taskItem, list, paragraph, text, code, softbreak, linebreak, htmlInline, htmlBlock
    case blockQuote, table, tableRow, tableCell, image, other

    init(_ node: OpaquePointer) {
        // Core nodes by their type number (no string made per node); items (a task list item is an item the
        // extension renames) and the extensions' nodes by their type string.
        switch cmark_node_get_type(node) {
        case CMARK_NODE_HEADING: self = .heading
        case CMARK_NODE_PARAGRAPH: self = .paragraph
        case CMARK_NODE_TEXT: self = .text
        case CMARK_NODE_CODE: self = .code
        case CMARK_NODE_SOFTBREAK: self = .softbreak
        case CMARK_NODE_LINEBREAK: self = .linebreak
        case CMARK_NODE_HTML_INLINE: self = .htmlInline
        case CMARK_NODE_HTML_BLOCK: self = .htmlBlock
        case CMARK_NODE_BLOCK_QUOTE: self = .blockQuote
        case CMARK_NODE_IMAGE: self = .image
        case CMARK_NODE_LIST: self = .list
        case CMARK_NODE_EMPH, CMARK_NODE_STRONG, CMARK_NODE_LINK, CMARK_NODE_DOCUMENT, CMARK_NODE_CODE_BLOCK,
            CMARK_NODE_THEMATIC_BREAK:
            self = .other
        default: self.init(typeString: node)
        }
    }

    private init(typeString node: OpaquePointer) {
        guard let raw = cmark_node_get_type_string(node) else {
            self = .other
            return
        }
        // Only what the numbers above leave: items, and the extensions' nodes.
        switch String(cString: raw) {
        case "item": self = .item
        case "tasklist": self = .taskItem
        case "table": self = .table
        case "table_row", "table_header": self = .tableRow
        case "table_cell": self = .tableCell
        default: self = .other
        }
    }
}
