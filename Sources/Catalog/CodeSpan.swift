import Checklist

/// Classifies inline code spans: is `DEBUG=false` an assignment, `npm run lint` a command, `data/app.db` a path?
public enum CodeSpan {
    /// Shell commands that checklists name, by their first word.
    static let commands: Set<String> = [
        "pytest", "python", "python3", "pip", "pip3", "uv", "uvx", "poetry", "pipenv", "tox", "nox", "ruff", "flake8",
        "pylint", "mypy", "pyright", "black", "isort", "bandit", "safety", "pip-audit", "coverage", "npm", "npx",
        "yarn", "pnpm", "bun", "deno", "node", "tsc", "eslint", "prettier", "jest", "vitest", "playwright",
        "cypress", "make", "cmake", "ctest", "go", "gofmt", "golangci-lint", "staticcheck", "cargo", "rustc", "swift",
        "swiftlint", "swift-format", "xcodebuild", "mvn", "./mvnw", "gradle", "./gradlew", "dotnet", "mix", "rake",
        "bundle", "rspec", "rubocop", "brakeman", "php", "composer", "phpunit", "phpstan", "terraform", "tflint",
        "tfsec", "checkov", "helm", "kubectl", "kustomize", "docker", "docker-compose", "podman", "ansible-playbook",
        "ansible-lint", "shellcheck", "hadolint", "trivy", "grype", "syft", "snyk", "semgrep", "gitleaks",
        "trufflehog", "curl", "wget", "bash", "sh", "zsh", "alembic", "flyway", "liquibase", "sqlite3", "psql",
        "pg_dump", "pg_restore", "pg_isready", "nginx", "certbot", "openssl", "systemctl", "journalctl", "git", "gh",
        "k6", "locust", "ab", "wrk", "hey", "lighthouse", "lhci", "sbt", "lein", "stack", "cabal", "zig",
        "pre-commit", "just", "task", "dbt", "sqlfluff", "yamllint", "markdownlint", "codespell", "jq", "chat-api",
        "gonogo", "manage.py", "./manage.py", "django-admin", "rails", "bin/rails", "artisan", "sam", "cdk",
        "pulumi", "serverless", "vercel", "netlify", "firebase", "flutter", "dart", "gofumpt", "buf", "protoc",
    ]

    /// The endings of a SQLite database file's name (`data/app.db`, `catalogue.sqlite`).
    public static let sqliteSuffixes = [".db", ".sqlite", ".sqlite3", ".db3"]

    /// Single-word names that are environment variables even without an underscore.
    static let bareEnvNames: Set<String> = ["DEBUG", "PORT", "HOST", "ENV", "ENVIRONMENT", "TZ", "WORKERS", "HOSTNAME"]

    /// `LLM_API_KEY`, `DEBUG`.
    static func isEnvName(_ s: String) -> Bool {
        // On bytes: a name is ASCII, so any other byte rules it out.
        guard let first = s.utf8.first, first >= 0x41, first <= 0x5A, s.utf8.count >= 2 else { return false }
        // ASP.NET Core's names for nested settings: `Cors__AllowedOrigins`, `ConnectionStrings__Default`.
        if s.contains("__"), !s.hasSuffix("_"),
            s.utf8.allSatisfy({
                ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39)
                    || $0 == 0x5F
            }),
            // (Every part capitalised: `Navbar__menu`, a CSS class, is not one.)
            s.components(separatedBy: "__").allSatisfy({ $0.first?.isUppercase == true })
        {
            return true
        }
        let shaped = s.utf8.allSatisfy { ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F }
        return shaped && (s.utf8.contains(UInt8(ascii: "_")) || bareEnvNames.contains(s)) && !isTLSIdentifier(s)
    }

    /// A name from TLS's registries, not a variable: `TLS_FALLBACK_SCSV`, `TLS_AES_128_GCM_SHA256`,
    /// `TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384` (a cipher suite or signalling value; `TLS_CERT_FILE` is a variable).
    static func isTLSIdentifier(_ s: String) -> Bool {
        guard s.hasPrefix("TLS_") || s.hasPrefix("SSL_") else { return false }
        return s.hasSuffix("_SCSV") || s.contains("_WITH_") || s.hasPrefix("TLS_AES_") || s.hasPrefix("TLS_CHACHA20_")
    }

    /// `DEBUG=false` -> ("DEBUG", "false"); also `export DEBUG=false` and `DEBUG = false`.
    static func envAssignment(_ s: String) -> (name: String, value: String)? {
        var body = Substring(s)
        if body.hasPrefix("export ") { body = body.dropFirst(7) }
        guard let eq = body.firstIndex(of: "=") else { return nil }
        let name = body[..<eq].trimmingCharacters(in: " ")
        var value = body[body.index(after: eq)...].trimmingCharacters(in: " ")
        if value.count >= 2, let f = value.first, f == "\"" || f == "'", value.last == f {
            value = String(value.dropFirst().dropLast())
        }
        guard isEnvName(name), !value.isEmpty, !value.utf8.contains(UInt8(ascii: " ")) || value.first == "\"" else {
            return nil
        }
        return (name, value)
    }

    /// A shell command: its first word is a known tool, a relative script, or it chains commands.
    static func isCommand(_ s: String) -> Bool {
        let first = s.split(separator: " ", maxSplits: 1).first.map(String.init) ?? ""
        if commands.contains(first) { return true }
        if first.hasPrefix("./") || first.hasPrefix("scripts/") || first.hasPrefix("bin/") { return s.count > 2 }
        return false
    }

    /// A file path or glob: `data/messages.db`, `.env.production`, `docs/*.md`. Not a URL, not a sentence.
    static func isFilePath(_ s: String) -> Bool {
        guard !s.isEmpty, !s.utf8.contains(UInt8(ascii: " ")), !s.includes("://"), !s.utf8.contains(UInt8(ascii: "=")),
            !isEnvName(s)
        else { return false }
        if s.hasPrefix("/") && s.utf8.contains(UInt8(ascii: "*")) { return false }  // a URL pattern such as /public/*
        // A placeholder, not a file: `YYYY_MM_DD_description.sql`, `<name>.conf`, `{ENV}.yml`, `vX.X.X` (a route
        // such as `pages/[id].ts` or a glob such as `src/**/*.{ts,tsx}` is a path).
        if s.includes("YYYY") || s.includes("X.X") || hasPlaceholder(s) { return false }
        // A media type, not a path: `application/json`, `text/html` (but `model/user.py` is a file).
        if let slash = s.firstIndex(of: "/"), s[s.index(after: slash)...].firstIndex(of: "/") == nil,
            mediaTypes.contains(s[..<slash].lowercased()), !s[slash...].contains(".")
        {
            return false
        }
        if s.hasPrefix(".") && s.count > 1 { return true }
        // A container image, not a file: `ghcr.io/acme/api:3.4.0`, `registry.example.com/app@sha256:…` (a registry
        // host before the first slash, a tag or digest after the last).
        if let slash = s.firstIndex(of: "/"), s[..<slash].contains("."),
            s[slash...].contains(":") || s[slash...].contains("@")
        {
            return false
        }
        if s.utf8.contains(UInt8(ascii: "/")) && !s.hasPrefix("/") { return true }
        if s.hasPrefix("/etc/") || s.hasPrefix("/var/") || s.hasPrefix("/opt/") || s.hasPrefix("/srv/") { return true }
        // name.ext with an extension files have (not `management.endpoints.web.exposure.include`)
        if let dot = s.lastIndex(of: "."), dot != s.startIndex {
            return fileExtensions.contains(s[s.index(after: dot)...].lowercased())
        }
        return false
    }

    /// Whether `s` holds a placeholder to fill in: `<name>` (no spaces inside), `[API_KEY]` or `{VERSION}` (upper
    /// case inside; not `${VAR}`, a glob's `{a,b}`, a route's `[id]`), or `YOUR_…`.
    static func hasPlaceholder(_ s: String) -> Bool {
        if s.includes("YOUR_") { return true }
        guard s.utf8.contains(where: { $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: "[") || $0 == UInt8(ascii: "{") })
        else { return false }
        let chars = Array(s)
        for (i, open) in chars.enumerated() where "<[{".contains(open) {
            let close: Character = open == "<" ? ">" : open == "[" ? "]" : "}"
            guard let j = chars[(i + 1)...].firstIndex(of: close), j > i + 1 else { continue }
            let inside = chars[(i + 1)..<j]
            if open == "<" {
                if !inside.contains(" ") && inside.allSatisfy({ $0.isLetter || $0.isNumber || "_-.".contains($0) }) {
                    return true
                }
                continue
            }
            if open == "{" && (i > 0 && chars[i - 1] == "$" || inside.first == "{") { continue }
            if inside.allSatisfy({ $0.isUppercase || $0.isNumber || $0 == "_" }) && inside.contains(where: \.isLetter) {
                return true
            }
        }
        return false
    }

    /// The origin of an absolute http(s) URL (`https://app.example.com/x` -> `https://app.example.com`), when it is
    /// one: a scheme, a host of letters, digits, dots and dashes, an optional port.
    static func origin(_ word: String) -> String? {
        let s = word.trimmingCharacters(in: "`\"'(),;.")
        guard let scheme = s.firstRange(of: "://") else { return nil }
        let name = s[..<scheme.lowerBound].lowercased()
        guard name == "https" || name == "http" else { return nil }
        let rest = s[scheme.upperBound...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard !authority.isEmpty, !authority.contains("@"),
            authority.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || ".-:".contains($0)) })
        else { return nil }
        return name + "://" + authority.lowercased()
    }

    /// The path of an absolute URL (`https://api.example.com/health?x=1` -> `/health`), when it has one.
    static func pathOfURL(_ s: String) -> String? {
        guard let scheme = s.firstRange(of: "://"), !s.contains(" ") else { return nil }
        let rest = s[scheme.upperBound...]
        guard let slash = rest.firstIndex(of: "/") else { return nil }
        let path = rest[slash...].prefix { $0 != "?" && $0 != "#" }
        return path.count > 1 ? String(path) : nil
    }

    /// The top-level types of media types (RFC 6838).
    static let mediaTypes: Set<String> = [
        "application", "text", "image", "audio", "video", "multipart", "font", "model", "message",
    ]

    static let fileExtensions: Set<String> = [
        "md", "txt", "rst", "adoc", "pdf", "html", "htm", "css", "js", "mjs", "cjs", "ts", "tsx", "jsx", "map", "json",
        "yml", "yaml", "toml", "ini", "cfg", "conf", "config", "env", "properties", "xml", "csv", "sql", "db",
        "sqlite", "sqlite3", "db3", "py", "rb", "go", "rs", "swift", "java", "kt", "php", "sh", "bash", "ps1", "tf",
        "hcl", "lock", "log", "pem", "key", "crt", "cer", "p12", "pub", "gz", "zip", "tar", "png", "svg", "ico",
        "webmanifest", "plist", "gradle", "dockerfile", "service", "timer", "j2", "tpl", "info", "lcov",
    ]

    /// `/health`, `/api/v1/orders` (no spaces, no glob).
    static func isURLPath(_ s: String) -> Bool {
        s.hasPrefix("/") && s.count > 1 && !s.utf8.contains(UInt8(ascii: " ")) && !s.utf8.contains(UInt8(ascii: "*"))
            && !isFilePath(s)
    }

    /// An address on the service (`/healthz`, `/static/app.css`, `/api/`), not a host's file (`/etc/…`) or a pattern.
    static func isServicePath(_ s: String) -> Bool {
        s.hasPrefix("/") && s.count > 1 && !s.utf8.contains(UInt8(ascii: " ")) && !s.utf8.contains(UInt8(ascii: "*"))
            && !hasPlaceholder(s)
            && !["/etc/", "/var/", "/opt/", "/srv/", "/usr/", "/home/", "/tmp/"].contains {
                s.hasPrefix($0)
            }
    }

    /// `{"status": "ok"}`, `"kill_switch": "armed"` -> ("status", "ok"): one JSON field and its value.
    static func jsonField(_ s: String) -> (String, String)? {
        var body = Substring(s)
        if body.first == "{", body.last == "}" { body = body.dropFirst().dropLast() }
        let parts = body.split(separator: ":", maxSplits: 1)
        guard parts.count == 2 else { return nil }
        let key = parts[0].trimmingCharacters(in: " ")
        let value = parts[1].trimmingCharacters(in: " ")
        // One string or number: an object, a list, true, false or null is not compared as text.
        guard key.count > 2, key.first == "\"", key.last == "\"", !value.isEmpty, !value.contains(","),
            !"{[".contains(value.first!), !["true", "false", "null"].contains(value)
        else {
            return nil
        }
        let unquoted =
            value.first == "\"" && value.last == "\"" && value.count >= 2 ? String(value.dropFirst().dropLast()) : value
        return (String(key.dropFirst().dropLast()), unquoted)
    }

    /// `.env.production`, `.env`, `fastlane/.env.release`, `config/prod.env`: a dotenv file.
    static func isEnvFile(_ s: String) -> Bool {
        let name = s.split(separator: "/").last.map(String.init) ?? s
        return !s.contains(" ") && (name.hasPrefix(".env") || name.hasSuffix(".env"))
    }

    /// `GET /orders` -> ("GET", "/orders").
    static func request(_ s: String) -> (method: String, path: String)? {
        let parts = s.split(separator: " ")
        guard parts.count == 2 else { return nil }
        let method = String(parts[0]).uppercased()
        guard ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"].contains(method),
            parts[1].hasPrefix("/") || parts[1].hasPrefix("http")
        else { return nil }
        return (method, String(parts[1]))
    }

    /// `idx_chat_messages_session_id`, `orders_created_at_idx`.
    static func isIndexName(_ s: String) -> Bool {
        let lower = s.lowercased()
        guard isIdentifier(s) else { return false }
        return lower.hasPrefix("idx_") || lower.hasPrefix("ix_") || lower.hasPrefix("index_")
            || lower.hasSuffix("_idx") || lower.hasSuffix("_index") || lower.hasSuffix("_ix") || lower.includes("_idx_")
            || lower.hasSuffix("_key") || lower.hasSuffix("_pkey") || lower.hasPrefix("uq_") || lower.hasPrefix("ux_")
    }

    /// A SQL-ish identifier: letters, digits, `_`, starting with a letter or `_`.
    static func isIdentifier(_ s: String) -> Bool {
        guard let first = s.first, first.isLetter || first == "_" else { return false }
        return s.allSatisfy { ($0.isLetter && $0.isASCII) || ($0.isNumber && $0.isASCII) || $0 == "_" }
    }

    /// `Strict-Transport-Security: max-age=31536000` -> (name, value).
    static func header(_ s: String) -> (name: String, value: String)? {
        guard let colon = s.firstIndex(of: ":") else { return nil }
        let name = String(s[..<colon])
        let value = s[s.index(after: colon)...].trimmingCharacters(in: " ")
        guard name.count > 1, name.utf8.contains(UInt8(ascii: "-")) || name.first!.isUppercase,
            name.allSatisfy({ ($0.isLetter && $0.isASCII) || $0 == "-" }), !value.isEmpty, !value.hasPrefix("//")
        else { return nil }
        return (name, value)
    }

    /// A release tag: `v1.0.0-s5`, `2024.10.1`, `release-42`.
    static func isVersionTag(_ s: String) -> Bool {
        guard !s.isEmpty, !s.utf8.contains(UInt8(ascii: " ")) else { return false }
        // `ingest-api/v2.0.0`, `payments-gateway-3.8.0`, `v1.0.0-s5`: a name part, then a dotted version.
        let last = s.split(separator: "/").last.map(String.init) ?? s
        if let digit = last.firstIndex(where: \.isNumber) {
            let version = last[digit...]
            let before = last[..<digit]
            let dots = version.split(separator: ".", omittingEmptySubsequences: false)
            let named =
                before.isEmpty || before == "v" || before == "V" || before.hasSuffix("-") || before.hasSuffix("-v")
            if dots.count >= 2, dots.allSatisfy({ $0.first?.isNumber == true }), named { return true }
        }
        return s.lowercased().hasPrefix("release-") || s.lowercased().hasPrefix("rel-")
    }

    /// A web-server configuration directive (`proxy_pass …`, `limit_req`, `ssl_protocols TLSv1.2`).
    static func isServerDirective(_ s: String) -> Bool {
        let first = s.split(separator: " ", maxSplits: 1).first.map(String.init) ?? ""
        guard !commands.contains(first), !first.isEmpty,
            first.allSatisfy({ ($0.isLowercase && $0.isASCII) || $0 == "_" || $0.isNumber })
        else { return false }
        return first.utf8.contains(UInt8(ascii: "_"))
            || [
                "gzip", "listen", "return", "rewrite", "add_header", "root", "location",
                "upstream", "server", "expires", "brotli", "http2", "include",
            ].contains(first)
            || s.utf8.contains(UInt8(ascii: " "))
    }
}

extension StringProtocol {
    /// Whether `needle` occurs in the text, compared as UTF-8 bytes: for markers and names (`://`, `YOUR_`,
    /// `migration`), where the standard library's search by grapheme clusters cost a tenth of recognition's time.
    func includes(_ needle: some StringProtocol) -> Bool {
        let n = Array(needle.utf8)
        guard let first = n.first else { return true }
        let h = utf8
        var i = h.startIndex
        while let at = h[i...].firstIndex(of: first) {
            if h[at...].starts(with: n) { return true }
            i = h.index(after: at)
        }
        return false
    }
}
