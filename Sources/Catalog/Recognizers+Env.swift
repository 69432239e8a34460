import Checklist

/// Environment variables and configuration values.
extension Recognizers {
    /// Names whose values are secrets: reported as set or not set, never shown.
    static func isSecretName(_ name: String) -> Bool { Redaction.isSecretName(name) }

    /// "`LLM_API_KEY` set", "`DEBUG=false`", "`RATE_LIMIT_WINDOW` = 60 (seconds)", "`CORS_ORIGINS` restricted".
    /// Django's own settings: values of settings.py, which a deployment may or may not read from the environment.
    /// (`ALLOWED_HOSTS` and `CSRF_TRUSTED_ORIGINS` are left out: deployments commonly pass them as variables.)
    static let djangoSettings: Set<String> = [
        "CSRF_COOKIE_SECURE", "CSRF_COOKIE_HTTPONLY", "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SAMESITE", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD", "SECURE_PROXY_SSL_HEADER", "SECURE_BROWSER_XSS_FILTER",
        "SECURE_CONTENT_TYPE_NOSNIFF", "SECURE_REFERRER_POLICY", "X_FRAME_OPTIONS", "STATIC_ROOT", "MEDIA_ROOT",
        "DEFAULT_AUTO_FIELD", "CONN_MAX_AGE", "DATABASES", "CACHES", "INSTALLED_APPS", "MIDDLEWARE",
        "AUTH_PASSWORD_VALIDATORS",
    ]

    static func environment(_ c: ItemContext) -> Recognition? {
        // What a cloud console shows of a setting ("reference resolves (green tick … on the Configuration blade)"):
        // a person reads the console; the process's environment says nothing of it.
        if c.own.hasAny(["blade", "green tick", "green check", "in the portal", "on the portal", "console shows"]) {
            return c.code.contains(where: CodeSpan.isEnvName) ? Recognition(.manual, rule: "a console's display") : nil
        }
        // A settings file's value (Django's settings.py: `SECURE_SSL_REDIRECT = True`, `ALLOWED_HOSTS` set), not an
        // environment variable: which file and whether it reads the environment is the project's.
        let settingsFile =
            c.scope.hasAny(["settings py", "django settings"]) || c.own.hasAny(["settings py", "django settings"])
            || c.code.contains { $0.hasSuffix("settings.py") }
        // (An item that names its env file is about the environment, whatever the heading: "`DJANGO_DEBUG=False` in
        // `.env.production`" under "Django settings".)
        if !c.code.contains(where: CodeSpan.isEnvFile) && settingsFile
            || c.code.contains(where: { span in
                let name = span.split(whereSeparator: { $0 == "=" || $0 == " " }).first.map(String.init) ?? ""
                return djangoSettings.contains(name)
            })
        {
            if c.code.contains(where: { CodeSpan.isEnvName($0) || CodeSpan.envAssignment($0) != nil }) {
                return Recognition(.manual, rule: "a settings file's value")
            }
        }
        // A value in a named file that is no env file ("`MARKETING_VERSION = 5.12.0` in `…/project.pbxproj`"): that
        // file's contents (the file rule's), not the environment.
        if c.own.has("in"), let file = c.code.first(where: { CodeSpan.isFilePath($0) && !CodeSpan.isEnvFile($0) }) {
            // A CI workflow's environment is not the deployment's.
            if file.contains(".github/workflows") || file.contains(".gitlab-ci") || file.contains(".circleci") {
                return Recognition(.manual, rule: "a value gonogo cannot tie to the variable")
            }
            return nil
        }
        // `TIME_ZONE = "UTC"`, `ENVIRONMENT = "production"`: spaces around "=" make a settings or TOML file's line;
        // an env file's assignment (and a shell's) has none. The file's contents, when the item names the file.
        if !c.code.contains(where: CodeSpan.isEnvFile),
            c.code.contains(where: { $0.contains(" = ") && CodeSpan.envAssignment($0) != nil })
        {
            return c.code.contains(where: CodeSpan.isFilePath)
                ? nil : Recognition(.manual, rule: "a settings file's value")
        }
        // `DEBUG=false` in a code span, or NODE_ENV=production written plainly.
        let plainWords =
            c.code.isEmpty && c.text.utf8.contains(UInt8(ascii: "="))
            ? c.text.split(separator: " ").map(String.init) : []
        if let (name, value) = (c.code + plainWords).lazy.compactMap(CodeSpan.envAssignment).first {
            return assignment(name, value, c)
        }
        guard let nameIndex = c.code.firstIndex(where: CodeSpan.isEnvName) else { return nil }
        let name = c.code[nameIndex]
        // Where a secret comes from, or that it was rotated, is not visible in the environment.
        if c.own.hasAny([
            "rotated", "rotation", "vault", "external secrets", "configmap", "secret manager", "secrets manager", "kms",
        ]) {
            return Recognition(.manual, rule: "secret provenance")
        }
        // A feature flag kept in a flag service ("`ROUTE_SHARING_V2` stays off — flip in LaunchDarkly, not via env"):
        // not the process's environment.
        if c.own.hasAny([
            "launchdarkly", "unleash", "flagsmith", "growthbook", "configcat", "statsig", "not via env",
            "not in env", "not an env", "not via the environment",
        ]) {
            return Recognition(.manual, rule: "a flag service's setting")
        }
        let secret: (String, Params.Value) = ("secret", .bool(isSecretName(name)))
        // `NAME` = `value`, `NAME` = 60 (seconds), `NAME` is `value`
        if let value = assignedValue(of: name, in: c) { return assignment(name, value, c) }
        // An upper-case name is a variable only where the sentence or its place says so: "Warehouse `TRANSFORM_WH`
        // auto-suspends", "clone `ANALYTICS_PROD_PRE_14_2` created" name a database's objects.
        let envWords = [
            "set", "defined", "present", "configured", "exists", "provided", "exported", "populated", "env",
            "environment", "variable", "variables", "var", "vars", "secret", "secrets", "unset", "empty", "missing",
        ]
        let objectWords = [
            "warehouse", "clone", "schema", "table", "tables", "time travel", "retention", "suspend", "suspends",
            "stage", "database", "role", "grant",
        ]
        guard
            c.own.hasAny(envWords) || c.scope.hasAny(envWords) || c.parent.hasAny(envWords)
                || c.code.contains(where: CodeSpan.isEnvFile) || Redaction.isSecretName(name) || looksLikeVariable(name)
                || !c.own.hasAny(objectWords)
        else { return Recognition(.manual, rule: "a name that is not said to be a variable") }
        // (Outside asides: "set (URL-restricted in the provider's console)" restricts elsewhere.)
        if c.tokens(c.text.replacingAsides()).hasAny([
            "restricted", "not wildcard", "no wildcard", "not a wildcard", "not *", "no *", "explicit", "whitelist",
            "whitelisted", "allowlist", "allowlisted", "specific", "limited", "not contain", "never *", "without *",
            "exclude *", "excludes *", "not be *", "never be *", "isn t *", "isn t a wildcard", "isn t wildcard",
        ]) {
            return Recognition(Kind(.env, "not_wildcard"), [("name", .string(name))], rule: "environment variable")
        }
        // Set where gonogo does not look (a CI workflow's environment), or with a value the sentence gives but not as
        // the variable's (`FIX_COMP_ID` is the live comp ID from the broker, `LIVE1`): a check that it is merely set
        // would pass whatever the value.
        // A scheme the sentence names (`postgres://`, "`rediss://` scheme"): the URL's.
        let scheme = c.code.first { $0.hasSuffix("://") && $0.dropLast(3).allSatisfy { $0.isLetter || $0 == "+" } }
        // (Or written bare before "URL": "`NEXT_PUBLIC_API_URL` is an `https` URL".)
        let urlWord = c.own.has("url")
        let bareScheme = { (span: String) in urlWord && ["https", "http"].contains(span.lowercased()) }
        // "`NAME` is …": what follows is its value, even a span shaped like a name (`LIVE1`).
        let valueClaim = c.text.firstRange(of: name).map { at in
            let after = c.text[at.upperBound...].drop { $0 == " " }.lowercased()
            return ["is ", "must be ", "should be ", "equals "].contains { after.hasPrefix($0) }
        }
        if c.own.hasAny(["in the workflow", "in ci", "in the pipeline", "in github actions", "in the ci"])
            || !c.own.hasAny(["set", "defined", "present", "configured", "exists", "provided", "exported", "populated"])
                && c.code.contains(where: {
                    $0 != name && $0 != scheme && !bareScheme($0) && (valueClaim == true || !CodeSpan.isEnvName($0))
                        && !CodeSpan.isFilePath($0)
                })
        {
            return Recognition(.manual, rule: "a value gonogo cannot tie to the variable")
        }
        // Said of something the variable names, with no word of the environment here or above ("Follower
        // `HEROKU_POSTGRESQL_GRAY` recreated and streaming", "threads × `WEB_CONCURRENCY` × dynos stays under 500",
        // "`DATABASE_URL` now shows the new host"): a claim a set variable does not show.
        let nameWords = Set(Tokens(name).words)
        let claim = c.own.words.filter {
            !nameWords.contains($0) && !["the", "a", "an", "is", "are", "and", "of", "for", "to", "its"].contains($0)
        }
        // (A claim about the value's shape is the variable's: "`REDIS_URL` is a valid `rediss://` URL".)
        // (Nor is a purpose, "`SENTRY_DSN` for error tracking", or being there, "available to the API pods".)
        let purpose =
            c.text.firstRange(of: name).map { c.text[$0.upperBound...].lowercased().hasPrefix(" for ") } == true
        let shape =
            scheme != nil || purpose
            || claim.contains {
                ["valid", "url", "uri", "wildcard", "https", "http", "empty", "unset", "available", "loaded"].contains(
                    $0)
            }
        if claim.count >= 2, !shape, !c.own.hasAny(envWords), !c.scope.hasAny(envWords), !c.parent.hasAny(envWords),
            !c.code.contains(where: CodeSpan.isEnvFile)
        {
            return Recognition(.manual, rule: "a claim about what the variable names")
        }
        // A URL's shape is checked only when the sentence speaks of it ("a valid URL", a scheme): "`DATABASE_URL`
        // set" says the variable is set, whatever its name ends in.
        // "a valid https URL": that scheme, not any.
        // ("http or https", "must not use https": no scheme.)
        let https =
            c.own.hasAny(["https url", "an https", "https only", "uses https", "is https"])
            && !c.own.hasAny(["http or https", "not", "never"])
        let urlSaid = c.tokens(c.text.replacing(name, with: " ")).hasAny(["url", "uri", "urls"])
        if scheme != nil || https || urlSaid {
            let named = scheme.map { String($0.dropLast(3)) } ?? (https ? "https" : nil)
            return Recognition(
                Kind(.env, "url"),
                [("name", .string(name))] + (named.map { [("scheme", .string($0))] } ?? []) + [secret],
                rule: "environment variable")
        }
        return Recognition(Kind(.env, "set"), [("name", .string(name)), secret], rule: "environment variable")
    }

    /// Whether a name reads as a setting by its last part (`REFDATA_URL`, `DJANGO_ALLOWED_HOSTS`, `LOG_LEVEL`), as a
    /// warehouse's `TRANSFORM_WH` or a clone's `ANALYTICS_PROD_PRE_14_2` do not.
    static func looksLikeVariable(_ name: String) -> Bool {
        let last = name.split(separator: "_").last.map { String($0).uppercased() } ?? ""
        return name.count > 2 && !name.contains("_") || variableSuffixes.contains(last)
    }

    static let variableSuffixes: Set<String> = [
        "URL", "URI", "URLS", "KEY", "TOKEN", "SECRET", "PASSWORD", "PASS", "HOST", "HOSTS", "PORT", "ID", "LEVEL",
        "ENV", "MODE", "ORIGIN", "ORIGINS", "ENDPOINT", "DSN", "DIR", "PATH", "REGION", "TIMEOUT", "DEBUG", "NAME",
        "USER", "USERNAME", "ENABLED", "DISABLED", "ENABLE", "DISABLE", "VERSION", "SIZE", "MAX", "MIN", "TTL",
        "COUNT", "LIMIT", "WINDOW", "PROVIDER", "MODEL", "BUCKET", "DOMAIN", "EMAIL", "FILE", "SECONDS", "MS",
        "WORKERS", "THREADS", "CONCURRENCY", "LOCALE", "TZ", "LANG", "FLAG", "FLAGS", "ADDR", "ADDRESS", "SERVER",
        "ACCOUNT", "PROJECT", "ORG", "TEAM", "CHANNEL", "WEBHOOK", "QUEUE", "TOPIC", "RELEASE", "ENVIRONMENT",
    ]

    /// An item that names a value for a variable: equals it, or must not ("Never deploy with `DEBUG=True`"). A value
    /// the checklist masked as a secret cannot be compared, so the check is that the variable is set.
    static func assignment(_ name: String, _ value: String, _ c: ItemContext) -> Recognition {
        let secret = isSecretName(name)
        if value.contains(Redaction.mask) {
            let url = name.uppercased().hasSuffix("_URL") || name.uppercased().hasSuffix("_URI")
            return Recognition(
                Kind(.env, url ? "url" : "set"), [("name", .string(name)), ("secret", .bool(true))],
                rule: "environment variable")
        }
        // Negated when a "not" comes before the value: "Never deploy with `DEBUG=True`", "`DEBUG` must never be
        // `true`", but not "`LOG_LEVEL` is `info`, not `debug`".
        let negations: Set<String> = ["never", "not", "no", "avoid", "forbidden", "disallowed", "without", "≠"]
        let valueWords = Tokens(value).words
        let valueAt =
            valueWords.first.flatMap { first in
                c.own.words.indices.first { c.own.words[$0] == first && $0 > 0 }
            } ?? c.own.words.count
        let negated = c.own.words[..<valueAt].contains { negations.contains($0) }
        if negated && value == "*" {
            return Recognition(Kind(.env, "not_wildcard"), [("name", .string(name))], rule: "environment variable")
        }
        return Recognition(
            Kind(.env, negated ? "not_equals" : "equals"),
            [("name", .string(name)), ("value", .string(value)), ("secret", .bool(secret))],
            rule: "environment variable")
    }

    /// The value an item assigns to `name` in prose: after `=`, `==` or "equals" a code span or a word; after "is" or
    /// "set to" only a code span ("`APP_ENV` is `production`", not "`ORIGINS` is an explicit list").
    static func assignedValue(of name: String, in c: ItemContext) -> String? {
        guard let at = c.text.firstRange(of: name) else { return nil }
        let after = c.text[at.upperBound...].drop { $0 == " " }
        let lower = after.lowercased()
        var rest: Substring
        var wordAllowed = true
        if after.hasPrefix("=") {
            rest = after.drop { $0 == "=" }
        } else if lower.hasPrefix("equals ") {
            rest = after.dropFirst(7)
        } else if let verb = [
            "is not ", "is never ", "is exactly ", "is set to ", "set to ", "must never be ", "must not be ",
            "should not be ",
            "must be ", "should be ", "points to ", "points at ", "is ", "never ",
            // A value refused without a verb: "`MOCKS` not `true`", "`SANDBOX_MODE` ≠ `true`".
            "not ", "≠ ",
        ].first(where: { lower.hasPrefix($0) }) {
            rest = after.dropFirst(verb.count)
            wordAllowed = false
        } else {
            return nil
        }
        rest = rest.drop { $0 == " " }
        if let code = c.code.first(where: { $0 != name && rest.hasPrefix($0) }) { return code }
        // "`AWS_REGION` set to eu-west-1": after "set to" a word is the value when it is shaped like one (a digit, a
        // hyphen, a dot or an underscore in it), not "set to the right region".
        if !wordAllowed, lower.hasPrefix("set to ") || lower.hasPrefix("is set to ") {
            let word = rest.prefix { !$0.isWhitespace && $0 != "(" && $0 != "," && $0 != ";" }
            let value = word.last == "." ? word.dropLast() : word
            // (Not an address, a list, a duration or a range: `REDIS_URL` set to redis.internal:6379, `TIMEOUT`
            // set to 120s, `WORKERS` set to 2-4 are not the variable's exact value.)
            let upper = name.uppercased()
            let listOrAddress = ["_URL", "_URI", "_HOSTS", "_ORIGINS", "_HOST", "_ENDPOINT"].contains(
                where: upper.hasSuffix)
            let unitOrRange = TextPatterns.unitOrRange(String(value))
            if value.count > 1, value.contains(where: { $0.isNumber || "-._".contains($0) }),
                value.allSatisfy({ $0.isLetter || $0.isNumber || "-._".contains($0) }), !listOrAddress, !unitOrRange
            {
                return String(value)
            }
        }
        guard wordAllowed else { return nil }
        let word = String(rest.prefix { !$0.isWhitespace && $0 != "(" && $0 != "," }).trimmingCharacters(in: "\"'")
        return word.isEmpty ? nil : word
    }

}
