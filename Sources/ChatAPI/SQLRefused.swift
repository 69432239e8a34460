import Foundation
import Logging
import PostgresNIO

/// A refused admin query: the reason, for the client's 422.
public struct SQLRefused: Error, CustomStringConvertible, Sendable {
    public let description: String
}

/// The text checks both guards start with, on a lexer that knows SQL's quotes and comments.
enum SQLText {
    /// The one statement of `sql` (without a trailing `;`), which must start with SELECT or WITH.
    static func single(_ sql: String) throws -> String {
        let chars = Array(sql.unicodeScalars)
        var i = 0
        var end: Int? = nil  // index of the first top-level `;`
        var firstWord = ""
        var wordDone = false
        func at(_ k: Int) -> Unicode.Scalar? { k < chars.count ? chars[k] : nil }
        while i < chars.count {
            let c = chars[i]
            if c == "-", at(i + 1) == "-" {
                while i < chars.count, chars[i] != "\n" { i += 1 }
                continue
            }
            if c == "/", at(i + 1) == "*" {
                var depth = 1
                i += 2
                while i < chars.count, depth > 0 {
                    if chars[i] == "/", at(i + 1) == "*" {
                        depth += 1
                        i += 1
                    } else if chars[i] == "*", at(i + 1) == "/" {
                        depth -= 1
                        i += 1
                    }
                    i += 1
                }
                if depth > 0 { throw SQLRefused(description: "an unterminated comment") }
                continue
            }
            if end != nil {
                // After the first statement only blanks, semicolons and comments may follow.
                if !c.properties.isWhitespace && c != ";" {
                    throw SQLRefused(description: "only one statement is allowed")
                }
                i += 1
                continue
            }
            if c == "'" || c == "\"" {
                wordDone = wordDone || !firstWord.isEmpty
                i += 1
                while i < chars.count {
                    if chars[i] == c {
                        if at(i + 1) == c {
                            i += 2
                            continue
                        }
                        break
                    }
                    i += 1
                }
                if i >= chars.count { throw SQLRefused(description: "an unterminated quoted string") }
                i += 1
                continue
            }
            if c == "$" {
                // A dollar quote: $tag$ … $tag$.
                var j = i + 1
                while j < chars.count, chars[j] == "_" || chars[j].properties.isAlphabetic { j += 1 }
                if at(j) == "$" {
                    let tag = String(String.UnicodeScalarView(chars[i...j]))
                    let rest = String(String.UnicodeScalarView(chars[(j + 1)...]))
                    guard let close = rest.range(of: tag) else {
                        throw SQLRefused(description: "an unterminated dollar-quoted string")
                    }
                    i = j + 1 + rest.unicodeScalars.distance(from: rest.startIndex, to: close.upperBound)
                    continue
                }
            }
            if c == ";" {
                end = i
                i += 1
                continue
            }
            if !wordDone {
                if c.properties.isAlphabetic {
                    firstWord.unicodeScalars.append(c)
                } else if !firstWord.isEmpty || !c.properties.isWhitespace {
                    wordDone = true
                }
            }
            i += 1
        }
        guard ["select", "with"].contains(firstWord.lowercased()) else {
            throw SQLRefused(description: "only SELECT statements are allowed")
        }
        let body = String(String.UnicodeScalarView(chars[..<(end ?? chars.count)]))
        return body
    }
}
