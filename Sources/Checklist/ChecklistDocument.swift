/// A parsed checklist: its title, task items in file order, headings and sign-off roles.
public struct ChecklistDocument: Sendable {
    /// The path as the user gave it.
    public var path: String
    /// Lower-case hex SHA-256 of the file's bytes, so reports and signatures can name the exact checklist.
    public var sha256: String
    /// The document's title: its only level-1 heading, when it has exactly one.
    public var title: String?
    public var items: [TaskItem]
    public var headings: [Heading]
    /// Roles named by the sign-off table (a Markdown table with a `Role` column), in table order.
    public var roles: [String]

    public init(
        path: String, sha256: String, title: String?, items: [TaskItem], headings: [Heading], roles: [String]
    ) {
        self.path = path
        self.sha256 = sha256
        self.title = title
        self.items = items
        self.headings = headings
        self.roles = roles
    }
}
