import CCmark

/// Parses checklist Markdown with cmark-gfm (GitHub's own parser) and its task-list and table extensions.
///
/// Only task items count: plain list items and anything inside fenced code blocks are not items. The walk over
/// the tree is iterative (cmark's iterator), so arbitrarily deep nesting cannot overflow the stack.
public enum ChecklistParser {
    /// Parses `text` as the contents of the checklist at `path`.
    ///
    /// - Parameters:
    ///   - text: the file's contents as UTF-8 text.
    ///   - path: the path to name in errors and in the document.
    ///   - sha256: the digest of the file's bytes, carried into the document.
    /// - Throws: ``ChecklistError`` for a checklist without task items or with a stray annotation.
    public static func parse(_ text: String, path: String, sha256: String = "") throws -> ChecklistDocument {
        let markdown = blankingFrontMatter(text)
        let tree = CmarkTree(markdown: markdown)
        var walker = Walker(path: path, source: markdown)
        try walker.walk(tree.root)
        guard !walker.items.isEmpty else { throw ChecklistError.noItems(path) }

        // The document's only level-1 heading is its title, not a section.
        let h1 = walker.headings.filter { $0.level == 1 }
        let titleLine = h1.count == 1 ? h1[0].line : nil
        // Credentials in the items' text masked (``Redaction``), a long checklist's on every core.
        var items = walker.items.concurrentMap { item in
            var item = item
            item.text = Redaction.redacting(item.text)
            item.codeSpans = item.codeSpans.map(Redaction.redacting)
            return item
        }
        // Items come section by section: consecutive items share one section array.
        var lines: [Int]? = nil
        var section: [String] = []
        for i in items.indices {
            if walker.sectionLines[i] != lines {
                lines = walker.sectionLines[i]
                section = walker.sectionLines[i].compactMap { line in
                    line == titleLine ? nil : walker.headingText[line]
                }
            }
            items[i].section = section
        }
        for (i, id) in ItemIDs.assign(items).enumerated() { items[i].id = id }
        return ChecklistDocument(
            path: path, sha256: sha256, title: h1.count == 1 ? h1[0].text : nil, items: items,
            headings: walker.headings, roles: walker.roles)
    }
}

extension ChecklistParser {
    /// YAML front matter (`---` … `---` at the top, as GitHub and static-site tools write it) is metadata, not a
    /// heading: its lines become blank, so line numbers stay those of the file.
    static func blankingFrontMatter(_ text: String) -> String {
        guard text.hasPrefix("---\n") || text.hasPrefix("---\r\n") else { return text }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard
            let close = lines.indices.dropFirst().first(where: {
                let l = String(lines[$0]).trimmingCharacters(in: "\r")
                return l == "---" || l == "..."
            })
        else { return text }
        for i in 0...close { lines[i] = lines[i].hasSuffix("\r") ? "\r" : "" }
        return lines.joined(separator: "\n")
    }
}
