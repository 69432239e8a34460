/// An error reading or parsing a checklist. It always names the file, and the line when there is one,
/// and says how to fix it: a user sees it as `gonogo: error: FILE:LINE: message` and exit code 2.
public struct ChecklistError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Code: String, Sendable {
        case notFound, isDirectory, unreadable, empty, notUTF8, binary, noItems, badAnnotation, tooLarge
    }

    private let code: Code
    /// The checklist file the error is about.
    public let file: String
    /// The 1-based line, when the error has one.
    public let line: Int?
    /// What is wrong, in words a person can act on.
    public let reason: String
    /// How to fix it.
    public let hint: String?

    private init(_ code: Code, file: String, line: Int? = nil, reason: String, hint: String? = nil) {
        self.code = code
        self.file = file
        self.line = line
        self.reason = reason
        self.hint = hint
    }

    public var description: String {
        var location = file
        if let line { location += ":\(line)" }
        var text = "\(location): \(reason)"
        if let hint { text += "\n  hint: \(hint)" }
        return text
    }

    public static func == (lhs: ChecklistError, rhs: ChecklistError) -> Bool {
        lhs.code == rhs.code && lhs.file == rhs.file && lhs.line == rhs.line
    }

    /// Matches errors of the same kind regardless of file and line, for `catch` patterns and tests.
    public func isSameKind(as other: ChecklistError) -> Bool { code == other.code }

    public static func notFound(_ file: String) -> Self {
        .init(.notFound, file: file, reason: "no such file", hint: "check the path")
    }
    public static func isDirectory(_ file: String) -> Self {
        .init(
            .isDirectory, file: file, reason: "is a directory, not a checklist file",
            hint: "pass the Markdown file itself, for example \(file)/production.md")
    }
    public static func unreadable(_ file: String, _ why: String) -> Self {
        .init(.unreadable, file: file, reason: "cannot be read: \(why)")
    }
    public static func empty(_ file: String) -> Self {
        .init(
            .empty, file: file, reason: "is empty: an empty checklist can never verify as GO",
            hint: "write task items such as `- [ ] WAL mode enabled`")
    }
    public static func notUTF8(_ file: String, line: Int, byteOffset: Int) -> Self {
        .init(
            .notUTF8, file: file, line: line,
            reason: "is not UTF-8 text (invalid byte at offset \(byteOffset))",
            hint: "save the checklist as UTF-8, for example with `iconv -f latin1 -t utf-8`")
    }
    public static func binary(_ file: String, line: Int) -> Self {
        .init(
            .binary, file: file, line: line, reason: "contains a NUL byte: this is not a text file",
            hint: "pass the Markdown checklist, not a binary file")
    }
    public static func tooLarge(_ file: String, bytes: Int, limit: Int) -> Self {
        .init(
            .tooLarge, file: file, reason: "is \(bytes) bytes, over the limit of \(limit) bytes",
            hint: "split the checklist into smaller files")
    }
    public static func noItems(_ file: String) -> Self {
        .init(
            .noItems, file: file,
            reason: "has no task items: a checklist without `- [ ]` items can never verify as GO",
            hint: "gonogo reads GitHub task lists: `- [ ] item` or `- [x] item`, at any depth")
    }
    public static func badAnnotation(_ file: String, line: Int, _ why: String) -> Self {
        .init(
            .badAnnotation, file: file, line: line, reason: "malformed gonogo annotation: \(why)",
            hint: "write `<!-- gonogo: FAMILY.NAME key=value key=\"quoted value\" -->`, for example "
                + "`<!-- gonogo: sqlite.journal_mode mode=wal -->`; `gonogo kinds` lists the kinds")
    }
}
