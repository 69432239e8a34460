import DotEnv
import Foundation
import Yams

/// The YAML reading that attestation, waiver and roster files share: a top-level mapping with one list, entries of
/// scalar fields, every error with its file and line.
enum SignoffYAML {
    static func read(_ path: String) throws -> String { try InputFileError.readText(path) }

    static func compose(_ text: String, file: String) throws -> Node? {
        try YAMLBounds.check(text, file: file)
        do {
            return try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw InputFileError.yaml(error, file: file)
        }
    }

    /// The list under `key` of a top-level mapping; nil when the file or the list is empty.
    static func list(_ text: String, key: String, file: String) throws -> [Node]? {
        guard let root = try compose(text, file: file) else { return nil }
        guard case .mapping(let mapping) = root else {
            throw InputFileError(file: file, line: root.mark?.line, message: "must be a mapping with a `\(key):` list")
        }
        var found: [Node]? = nil
        for (k, v) in mapping {
            switch k.string {
            case key:
                if case .scalar(let s) = v, s.string.isEmpty { continue }
                guard case .sequence(let sequence) = v else {
                    throw InputFileError(file: file, line: v.mark?.line, message: "`\(key)` must be a list of entries")
                }
                found = Array(sequence)
            case "version":
                guard v.int == 1 else {
                    throw InputFileError(file: file, line: v.mark?.line, message: "version must be 1")
                }
            default:
                throw InputFileError(
                    file: file, line: k.mark?.line, message: "unknown key `\(k.string ?? "")` (known: \(key), version)")
            }
        }
        return found.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// An entry's scalar fields with their lines; an unknown key or a non-scalar value is an error.
    static func fields(
        _ node: Node, file: String, what: String, known: [String]
    ) throws -> [String: (
        value: String, line: Int
    )] {
        guard case .mapping(let mapping) = node else {
            throw InputFileError(file: file, line: node.mark?.line, message: "\(what) must be a mapping (key: value)")
        }
        var out: [String: (value: String, line: Int)] = [:]
        for (k, v) in mapping {
            let key = k.string ?? ""
            guard known.contains(key) else {
                throw InputFileError(
                    file: file, line: k.mark?.line,
                    message: "unknown key `\(key)` in \(what) (known: \(known.joined(separator: ", ")))")
            }
            guard case .scalar(let scalar) = v else {
                throw InputFileError(file: file, line: v.mark?.line, message: "`\(key)` must be a single value")
            }
            if out[key] != nil {
                throw InputFileError(file: file, line: k.mark?.line, message: "`\(key)` is given twice")
            }
            out[key] = (scalar.string.trimmingCharacters(in: .whitespaces), v.mark?.line ?? 0)
        }
        return out
    }

    /// A date as `YYYY-MM-DD`, a real one.
    static func checkDate(_ text: String, file: String, line: Int, key: String) throws {
        guard day(text) != nil else {
            throw InputFileError(file: file, line: line, message: "\(key) must be a date as YYYY-MM-DD, not \(text)")
        }
    }

    static func day(_ text: String) -> Date? {
        guard text.count == 10 else { return nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        formatter.isLenient = false
        guard let date = formatter.date(from: text), formatter.string(from: date) == text else { return nil }
        return date
    }

    /// Today in UTC as `YYYY-MM-DD`, the form dates are compared in.
    static func today(_ now: Date = Date()) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter.string(from: now)
    }

    /// A value as a double-quoted YAML scalar.
    static func quoted(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += String(format: "\\x%02X", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}

/// Dates as attestations and waivers write them: `YYYY-MM-DD`, compared in UTC.
public enum SignoffDates {
    /// The day `text` names, or nil when it is not a real `YYYY-MM-DD` date.
    public static func day(_ text: String) -> Date? { SignoffYAML.day(text) }
    /// Today in UTC.
    public static func today() -> String { SignoffYAML.today() }
}

extension InputFileError {
    /// A YAML file that does not parse: the file, the line and the parser's reason.
    public static func yaml(_ error: YamlError, file: String) -> InputFileError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            return InputFileError(file: file, line: mark.line, message: "not valid YAML: \(problem)")
        default:
            return InputFileError(file: file, line: nil, message: "not valid YAML: \(error)")
        }
    }
}
