/// Removes credentials that checklists sometimes carry in their text (`postgresql://app:hunter2@db`,
/// `` `DB_PASSWORD=hunter2` ``, `?password=…`), as the text is read, so no plan, report, log or id repeats them.
public enum Redaction {
    /// What a removed secret is replaced with.
    public static let mask = "***"

    /// Every credential in `s` masked: URL passwords, query-string secrets and values assigned to secret names.
    public static func redacting(_ s: String) -> String {
        redactingBearer(redactingAssignments(redactingQuerySecrets(redactingURLPasswords(s))))
    }

    /// `Authorization: Bearer abc`, `Bearer abc`, `Basic abc`: the credential after the scheme is masked.
    static func redactingBearer(_ s: String) -> String {
        let bytes = Array(s.utf8)
        guard
            contains(bytes, Array("Bearer ".utf8)) || contains(bytes, Array("Basic ".utf8))
                || contains(bytes, Array("Token ".utf8))
        else { return s }
        var out = ""
        var rest = Substring(s)
        while let range = ["Bearer ", "Basic ", "Token "].compactMap({ rest.firstRange(of: $0) })
            .min(by: { $0.lowerBound < $1.lowerBound })
        {
            out += rest[..<range.upperBound]
            let after = rest[range.upperBound...]
            let end = after.firstIndex { " \t\n`\"'<>".contains($0) } ?? after.endIndex
            let credential = after[..<end]
            // A credential, not a word: "Bearer sk_live_51Hq", "Basic dXNlcjpwYXNz", not "Bearer token", "Basic
            // Functionality" or "Token rotation": something besides letters, or letters of both cases past the first.
            let inner = credential.dropFirst()
            let looksLikeOne =
                credential.contains { !$0.isLetter }
                || credential.count >= 8 && inner.contains(where: \.isUppercase) && inner.contains(where: \.isLowercase)
            out += credential.isEmpty ? "" : looksLikeOne ? mask : String(credential)
            rest = after[end...]
        }
        return out + rest
    }

    /// Whether a variable or parameter name holds a secret: keys, tokens, passwords, DSNs, connection strings.
    public static func isSecretName(_ name: String) -> Bool {
        let n = Array(name.uppercased().utf8)
        // Shells' working directories, not passwords.
        if ["PWD", "OLDPWD"].contains(name.uppercased()) { return false }
        if secretMarkers.contains(where: { contains(n, $0) }) { return true }
        // Connection strings carry passwords.
        let url = n.count > 4 && (n.suffix(4).elementsEqual("_URL".utf8) || n.suffix(4).elementsEqual("_URI".utf8))
        return url && (storeMarkers.contains { contains(n, $0) } || n.starts(with: "DB".utf8))
    }

    private static let secretMarkers: [[UInt8]] = [
        "KEY", "SECRET", "TOKEN", "PASSWORD", "PASSWD", "PASS", "PWD", "CREDENTIAL", "PRIVATE", "DSN", "AUTH",
        "COOKIE", "SESSION_SIGN", "SALT", "SERVICE_ACCOUNT", "CERTIFICATE_KEY",
    ].map { Array($0.utf8) }

    private static let storeMarkers: [[UInt8]] = [
        "DATABASE", "DB_", "POSTGRES", "PG", "MYSQL", "REDIS", "MONGO", "AMQP", "RABBIT", "BROKER", "CACHE",
    ].map { Array($0.utf8) }

    private static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard haystack.count >= needle.count else { return false }
        for i in 0...(haystack.count - needle.count) where haystack[i] == needle[0] {
            if haystack[i..<(i + needle.count)].elementsEqual(needle) { return true }
        }
        return false
    }

    /// `scheme://user:password@host` becomes `scheme://user:***@host`, even when the password holds `/` or `#`.
    public static func redactingURLPasswords(_ s: String) -> String {
        guard s.utf8.contains(UInt8(ascii: "@")), contains(Array(s.utf8), Array("://".utf8)) else { return s }
        var out = ""
        var rest = Substring(s)
        while let sep = rest.firstRange(of: "://") {
            out += rest[..<sep.upperBound]
            let afterScheme = rest[sep.upperBound...]
            // The URL runs to the next space, backtick, quote or angle bracket; its userinfo ends at its last '@'.
            let end = afterScheme.firstIndex { " \t\n`\"'<>".contains($0) } ?? afterScheme.endIndex
            let url = afterScheme[..<end]
            if let at = url.lastIndex(of: "@"), let colon = url[..<at].firstIndex(of: ":") {
                out += url[...colon] + mask + url[at...]
            } else {
                out += url
            }
            rest = afterScheme[end...]
        }
        return out + rest
    }

    /// `?password=x&user=y` becomes `?password=***&user=y` (also `token`, `secret`, `api_key`, `access_key`…).
    static func redactingQuerySecrets(_ s: String) -> String {
        guard s.utf8.contains(UInt8(ascii: "=")) else { return s }
        var out = ""
        var rest = Substring(s)
        while let eq = rest.firstIndex(of: "=") {
            let before = rest[..<eq]
            let nameStart =
                before.lastIndex { !($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
                .map { before.index(after: $0) } ?? before.startIndex
            let name = before[nameStart...]
            // In a query string (`?password=`), or a keyword connection string (`host=db password=x`).
            let isQuery =
                nameStart > rest.startIndex && "?&; \t\"'`".contains(rest[rest.index(before: nameStart)])
                || nameStart == rest.startIndex && out.isEmpty
            out += rest[...eq]
            var after = rest[rest.index(after: eq)...]
            // The value's end is looked for only under a secret's name: scanning every value to its end would make
            // a run of `a=a=a=…` quadratic.
            if isQuery && isSecretName(String(name)) && !after.hasPrefix(mask) && after.first != "=" {
                let end = after.firstIndex { " \t\n`\"'&#<>".contains($0) } ?? after.endIndex
                // `secret=true` in an annotation says the value is a secret; it is not one itself.
                if !["true", "false"].contains(after[..<end].lowercased()) {
                    out += mask
                    after = after[end...]
                }
            }
            rest = after
        }
        return out + rest
    }

    /// `DB_PASSWORD=hunter2` becomes `DB_PASSWORD=***` (upper-case names that hold secrets).
    static func redactingAssignments(_ s: String) -> String {
        guard s.utf8.contains(UInt8(ascii: "=")) else { return s }
        var out = ""
        var rest = Substring(s)
        while let eq = rest.firstIndex(of: "=") {
            let before = rest[..<eq].reversed().prefix { $0.isUppercase || $0.isNumber || $0 == "_" }
            let name = String(before.reversed())
            out += rest[...eq]
            var after = rest[rest.index(after: eq)...]
            let isAssignment =
                name.count >= 2 && name.first!.isLetter && after.first != "="
                && !String(after.prefix(3)).hasPrefix(mask)
            if isAssignment && isSecretName(name) {
                var value = after.drop { $0 == " " }
                let quote = value.first.flatMap { $0 == "\"" || $0 == "'" ? $0 : nil }
                if let quote {
                    value = value.dropFirst()
                    let end = value.firstIndex(of: quote).map { value.index(after: $0) } ?? value.endIndex
                    after = value[end...]
                } else {
                    let end = value.firstIndex { " \t\n`,;)".contains($0) } ?? value.endIndex
                    after = value[end...]
                }
                if !(quote == nil && after.startIndex == value.startIndex) { out += mask }
            }
            rest = after
        }
        return out + rest
    }
}
