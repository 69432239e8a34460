import Checklist

/// Settings named in words, and integrations known by their variables.
extension Recognizers {
    /// Integrations whose configuration has well-known variable names (Sentry reads `SENTRY_DSN`, `SENTRY_RELEASE`).
    static func integrations(_ c: ItemContext) -> Recognition? {
        guard c.own.has("sentry") || c.ancestors.has("sentry") else { return nil }
        let known: [(String, String, Bool)] = [
            ("dsn", "SENTRY_DSN", true), ("release", "SENTRY_RELEASE", false),
            ("environment", "SENTRY_ENVIRONMENT", false), ("traces", "SENTRY_TRACES_SAMPLE_RATE", false),
        ]
        for (word, name, secret) in known where c.own.contains(word) {
            if word == "release" && !c.own.hasAny(["tracking", "configured", "set", "tagged"]) { continue }
            return Recognition(
                Kind(.env, "set"), [("name", .string(name)), ("secret", .bool(secret))], rule: "integration setting")
        }
        return nil
    }

    /// "Workers: 4" under "Uvicorn configured:", "Level: INFO" under "Logging configured:", "Session timeout
    /// configured: 1 hour": a setting named in words with a value, but no variable. Which variable holds it
    /// (`UVICORN_WORKERS`? `WEB_CONCURRENCY`? `SESSION_TTL`?) is the deployment's: a name made from the words would
    /// check a variable the sentence never named. `manual`, so no later rule reads the words as something else; a
    /// config names the variable with `items:` (checklists/demo.gonogo.yml does for chat-api's).
    static func setting(_ c: ItemContext) -> Recognition? {
        guard let colon = c.text.firstIndex(of: ":"), c.code.isEmpty else { return nil }
        let configContext =
            c.parent.hasPrefix("configur") || c.parent.hasAny(["settings", "setup"]) || c.own.hasPrefix("configur")
            || c.own.hasAny(["ttl", "timeout", "timeouts"])
        guard configContext else { return nil }
        let value = Tokens(String(c.text[c.text.index(after: colon)...]).replacingAsides()).words
        guard let first = value.first, value.count <= 3, Tokens.isNumber(first) || value.count == 1 else { return nil }
        return Recognition(.manual, rule: "a setting without a variable")
    }
}

extension String {
    /// The string without `( … )` asides.
    func replacingAsides() -> String {
        var out = ""
        var depth = 0
        for ch in self {
            if ch == "(" {
                depth += 1
            } else if ch == ")" {
                depth = max(0, depth - 1)
            } else if depth == 0 {
                out.append(ch)
            }
        }
        return out
    }
}
