/// One GitHub task-list item (`- [ ]`, `- [x]`, `*`/`+` bullets or an ordered list) of a checklist.
public struct TaskItem: Sendable, Equatable {
    /// Stable, readable id (see ``ItemIDs``), unique in the document.
    public var id: String = ""
    /// Position of the item in the document, in file order, from 0.
    public var index: Int
    /// 1-based line of the item's marker.
    public var line: Int
    /// Whether the box is ticked (`[x]`). gonogo never trusts a tick: it is only reported.
    public var checked: Bool
    /// The headings above the item, outermost first (the document title excluded).
    public var section: [String]
    /// The item's own text, without Markdown, without its children's text, annotations removed.
    public var text: String
    /// Inline code spans of the item's own text, in order, with their backticks removed.
    public var codeSpans: [String]
    /// Raw `<!-- gonogo: … -->` annotation bodies found on the item, with their lines.
    public var annotations: [RawAnnotation]
    /// Index of the nearest task item that contains this one, if any.
    public var parent: Int?
    /// Indices of the task items directly inside this one.
    public var children: [Int]
    /// Whether the item sits inside a block quote.
    public var inBlockQuote: Bool

    public init(
        index: Int, line: Int, checked: Bool, section: [String], text: String, codeSpans: [String],
        annotations: [RawAnnotation] = [], parent: Int? = nil, children: [Int] = [], inBlockQuote: Bool = false
    ) {
        self.index = index
        self.line = line
        self.checked = checked
        self.section = section
        self.text = text
        self.codeSpans = codeSpans
        self.annotations = annotations
        self.parent = parent
        self.children = children
        self.inBlockQuote = inBlockQuote
    }
}

/// The body of an HTML comment that starts with `gonogo:`, as written, and where it was.
public struct RawAnnotation: Sendable, Equatable {
    /// What follows `gonogo:`, trimmed.
    public var body: String
    /// 1-based line of the comment (the item's line for a comment inside the item's paragraph).
    public var line: Int

    public init(body: String, line: Int) {
        self.body = body
        self.line = line
    }
}

/// A heading of the checklist.
public struct Heading: Sendable, Equatable {
    public var level: Int
    public var text: String
    public var line: Int
}
