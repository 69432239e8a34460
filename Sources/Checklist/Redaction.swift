/// Removes credentials that checklists sometimes carry in their text, so no plan or report repeats them.
public enum Redaction {
    /// `scheme://user:password@host` becomes `scheme://user:***@host`.
    public static func redactingURLPasswords(_ s: String) -> String {
        guard s.utf8.contains(UInt8(ascii: "@")), s.contains("://") else { return s }
        var out = ""
        var rest = Substring(s)
        while let sep = rest.range(of: "://") {
            out += rest[..<sep.upperBound]
            var authority = rest[sep.upperBound...]
            let end = authority.firstIndex(where: { $0 == "/" || $0 == " " || $0 == "`" || $0 == "?" || $0 == "#" })
                ?? authority.endIndex
            let auth = authority[..<end]
            if let at = auth.lastIndex(of: "@"), let colon = auth[..<at].firstIndex(of: ":") {
                out += auth[...colon] + "***" + auth[at...]
            } else {
                out += auth
            }
            authority = authority[end...]
            rest = authority
        }
        return out + rest
    }
}
