import Foundation

/// An input someone wrote that cannot be used: the file, the line when there is one, and what is wrong with the fix
/// where it helps. Never a value from the file: it may be a secret. Every kind of input has its own error type
/// (``InputFileError`` for env files, sign-off files and keys; `ConfigError` for gonogo.yml); a command catches them
/// all as `any InputError` and exits 2.
public protocol InputError: Error, CustomStringConvertible, Sendable {
    var file: String { get }
    var line: Int? { get }
    var message: String { get }
}

extension InputError {
    public var description: String { line.map { "\(file):\($0): \(message)" } ?? "\(file): \(message)" }
}

/// A file gonogo or chat-api cannot read or use: a `.env` file, attestations, waivers, a roster, a key, or any input
/// that is missing or not text.
public struct InputFileError: InputError {
    public let file: String
    public let line: Int?
    public let message: String

    public init(file: String, line: Int?, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }
}

extension InputFileError {
    /// The text of the file at `path`: "cannot be read" when it cannot, `notText` when it is not UTF-8. The one way
    /// gonogo's input files (env files, configs, attestations, waivers, rosters, keys) are read.
    public static func readText(_ path: String, notText: String = "is not UTF-8 text") throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputFileError(file: path, line: nil, message: "cannot be read")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw InputFileError(file: path, line: firstInvalidLine(data), message: notText)
        }
        return text
    }

    /// The 1-based line of the first byte that is not UTF-8, in one pass.
    static func firstInvalidLine(_ data: Data) -> Int? {
        var line = 1
        var iterator = data.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): if scalar == "\n" { line += 1 }
            case .emptyInput: return nil
            case .error: return line
            }
        }
    }
}

/// A `.env` file: `KEY=value` lines, `export KEY=value`, `#` comments, single- and double-quoted values (double
/// quotes may span lines and understand `\n`). A line that is none of these is an error naming the file and line.
public enum DotEnv {
    /// Reads `path`; a missing file is an empty environment.
    public static func load(path: String) throws -> [String: String] {
        guard FileManager.default.fileExists(atPath: path) else { return [:] }
        return try parse(InputFileError.readText(path), file: path)
    }

    public static func parse(_ text: String, file: String) throws -> [String: String] {
        var values: [String: String] = [:]
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? $0.dropLast() : $0
        }
        var i = 0
        while i < lines.count {
            let number = i + 1
            var line = lines[i].drop { $0 == " " || $0 == "\t" }
            i += 1
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("export ") { line = line.dropFirst(7).drop { $0 == " " } }
            guard let eq = line.firstIndex(of: "=") else {
                throw InputFileError(file: file, line: number, message: "expected KEY=value")
            }
            let key = line[..<eq].trimmingCharacters(in: .whitespaces)
            guard let first = key.first, first.isLetter || first == "_",
                key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." })
            else {
                throw InputFileError(file: file, line: number, message: "`\(key)` is not a variable name")
            }
            var rest = line[line.index(after: eq)...].drop { $0 == " " || $0 == "\t" }
            var value: String
            if let quote = rest.first, quote == "\"" || quote == "'" {
                rest = rest.dropFirst()
                // A quoted value may continue on the next lines until its closing quote. Each line is scanned once,
                // the escape state carried across (linear in the value, however many lines it spans).
                var collected = ""
                var segment = rest
                var escaped = false
                while true {
                    if let end = closingIndex(segment, quote, escaped: &escaped) {
                        collected += segment[..<end]
                        break
                    }
                    guard i < lines.count else {
                        throw InputFileError(file: file, line: number, message: "the quote opened here is never closed")
                    }
                    collected += segment
                    collected += "\n"
                    escaped = false  // the line break is the escaped character
                    segment = lines[i]
                    i += 1
                }
                value = collected
                if quote == "\"" {
                    value = value.replacingOccurrences(of: "\\n", with: "\n").replacingOccurrences(
                        of: "\\\"", with: "\"")
                }
            } else {
                // Unquoted: up to an inline comment (" #").
                if let hash = rest.range(of: " #") { rest = rest[..<hash.lowerBound] }
                value = rest.trimmingCharacters(in: .whitespaces)
            }
            values[key] = value
        }
        return values
    }

    /// The index of the closing `quote` in `s`, honouring backslash escapes in double quotes; `escaped` carries a
    /// trailing backslash's state from one line to the next.
    private static func closingIndex(_ s: Substring, _ quote: Character, escaped: inout Bool) -> String.Index? {
        for i in s.indices {
            if escaped {
                escaped = false
            } else if s[i] == "\\" && quote == "\"" {
                escaped = true
            } else if s[i] == quote {
                return i
            }
        }
        return nil
    }
}
