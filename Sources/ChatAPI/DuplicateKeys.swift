import Foundation

/// The first key that one JSON object of a body names twice (`{"username": "a", "username": "b"}`), which
/// `JSONDecoder` would read as either: chat-api refuses such a body rather than guess which one the client meant.
///
/// One pass over the bytes, no recursion (an explicit stack), so a body's nesting costs memory in proportion to it;
/// malformed JSON gives nil here and the decoder's 400 after.
enum DuplicateKeys {
    static func first(in body: some Collection<UInt8>) -> String? {
        let bytes = Array(body)
        // One entry per open object (its keys so far) or array (nil).
        var open: [Set<[UInt8]>?] = []
        var expectingKey = false
        var i = 0
        while i < bytes.count {
            switch bytes[i] {
            case UInt8(ascii: "{"):
                open.append([])
                expectingKey = true
            case UInt8(ascii: "["):
                open.append(nil)
                expectingKey = false
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                guard !open.isEmpty else { return nil }
                open.removeLast()
                expectingKey = false
            case UInt8(ascii: ","):
                expectingKey = open.last.map { $0 != nil } ?? false
            case UInt8(ascii: "\""):
                var end = i + 1
                var escaped = false
                while end < bytes.count, bytes[end] != UInt8(ascii: "\"") {
                    if bytes[end] == UInt8(ascii: "\\") {
                        escaped = true
                        end += 1
                    }
                    end += 1
                }
                guard end < bytes.count else { return nil }
                if expectingKey, open.last != nil, open[open.count - 1] != nil {
                    var key = Array(bytes[(i + 1)..<end])
                    // `"\u0075sername"` is `"username"`: compare keys as the decoder reads them.
                    if escaped {
                        guard let decoded = try? JSONDecoder().decode(String.self, from: Data(bytes[i...end])) else {
                            return nil
                        }
                        key = Array(decoded.utf8)
                    }
                    // In place: a copy of the set per key would make a body of many keys quadratic.
                    if !open[open.count - 1]!.insert(key).inserted { return String(decoding: key, as: UTF8.self) }
                    expectingKey = false
                }
                i = end
            default:
                break
            }
            i += 1
        }
        return nil
    }
}
