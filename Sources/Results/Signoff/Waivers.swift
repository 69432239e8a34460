import DotEnv
import Foundation

/// An exception to a blocker, granted for a while: the item, why, until when, and who approved it.
///
/// ```yaml
/// waivers:
///   - item: performance-optimization/backend/redis-caching
///     justification: traffic is below the level caching pays off at; revisit at 1k DAU
///     expires: 2026-12-31
///     approved_by: Priya Shah (Engineering Manager)
/// ```
public struct Waiver: Sendable, Equatable {
    public var item: String
    public var justification: String
    public var expires: String
    public var approvedBy: String
    public var file: String
    public var line: Int

    public init(item: String, justification: String, expires: String, approvedBy: String, file: String, line: Int) {
        self.item = item
        self.justification = justification
        self.expires = expires
        self.approvedBy = approvedBy
        self.file = file
        self.line = line
    }
}

public enum WaiverFile {
    public static func load(path: String) throws -> [Waiver] {
        try parse(SignoffYAML.read(path), file: path)
    }

    public static func parse(_ text: String, file: String) throws -> [Waiver] {
        guard let entries = try SignoffYAML.list(text, key: "waivers", file: file) else { return [] }
        return try entries.map { node in
            let fields = try SignoffYAML.fields(
                node, file: file, what: "a waiver", known: ["item", "justification", "expires", "approved_by"])
            let line = node.mark?.line ?? 0
            func required(_ key: String, _ why: String) throws -> String {
                guard let value = fields[key]?.value, !value.isEmpty else {
                    throw InputFileError(file: file, line: line, message: "a waiver needs `\(key)` (\(why))")
                }
                return value
            }
            let expires = try required("expires", "a waiver without an end date is a silent pass")
            try SignoffYAML.checkDate(expires, file: file, line: fields["expires"]?.line ?? line, key: "expires")
            return Waiver(
                item: try required("item", "the id of the item it waives"),
                justification: try required("justification", "why the release may go without it"),
                expires: expires,
                approvedBy: try required("approved_by", "who accepted the risk"),
                file: file, line: line)
        }
    }
}
