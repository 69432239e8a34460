/// HTTP behaviour: redirects, headers, CORS, rate limits, auth. Whether the service is up and working (health,
/// dependencies, smoke flows, metrics): Recognizers+Health.swift; compression and caching: Recognizers+Content.swift.
extension Recognizers {
    /// "HTTPS redirect enabled", "Encryption in transit: HTTPS only", "API calls use HTTPS".
    static func httpsRedirect(_ c: ItemContext) -> Recognition? {
        // "https" of a URL the sentence quotes ("use https://shipit.example/new") is an address, not the subject;
        // links and URLs in content are the pages' concern, not the server's redirect.
        if settingInNamedFile(c) { return nil }
        var words = c.own
        if c.text.includes("://") {
            words = c.tokens(c.text.split(separator: " ").filter { !$0.includes("://") }.joined(separator: " "))
        }
        // A plain-HTTP address sent on to HTTPS on the same host: "`http://example.com` redirects to `https://`",
        // "`http://api.example.com` → 301 to https" (not to another host's `https://new.example.com`).
        if let from = c.code.first(where: { $0.lowercased().hasPrefix("http://") }),
            words.hasAny(["redirect", "redirects", "redirected", "301", "308"])
        {
            let host = from.dropFirst(7).prefix { $0 != "/" }.lowercased()
            let targets = c.code.filter { $0.lowercased().hasPrefix("https://") }
            let sameHost = targets.allSatisfy { t in
                let h = t.dropFirst(8).prefix { $0 != "/" }.lowercased()
                return h.isEmpty || h == host
            }
            if sameHost, !targets.isEmpty || words.has("https") {
                return Recognition(Kind(.http, "redirect_https"), [], rule: "https")
            }
        }
        let https = words.has("https") || words.hasAny(["ssl", "443"]) && words.hasPrefix("redirect")
        guard https || words.has("encryption in transit"),
            !words.hasAny(["links", "link", "urls", "mixed content", "resources"])
        else { return nil }
        guard
            words.hasAny([
                "redirect", "redirects", "redirected", "only", "enforced", "enforce", "forced", "force", "use", "uses",
                "required", "require", "always", "everywhere", "encryption in transit", "upgrade", "upgrades",
                "upgraded",
            ])
        else { return nil }
        return Recognition(Kind(.http, "redirect_https"), [], rule: "https")
    }

    static let serverNames = ["nginx", "apache", "httpd", "haproxy", "caddy", "traefik", "envoy"].map {
        (name: $0, phrase: Vocabulary.compile([$0]))
    }

    /// Under a web-server heading: directives the config must contain, and the server's config itself.
    static func serverConfig(_ c: ItemContext) -> Recognition? {
        let named = serverNames.first { c.own.matches($0.phrase) } ?? serverNames.first { c.scope.matches($0.phrase) }
        guard let server = named?.name else { return nil }
        if let directive = c.code.first(where: CodeSpan.isServerDirective) {
            // The file the sentence names ("`server_tokens off;` in `deploy/nginx/nginx.conf`"), or its parent ("In
            // `deploy/nginx/snippets/tls.conf`:" over a list of directives), else the server's.
            let file =
                c.code.first { $0 != directive && CodeSpan.isFilePath($0) }
                ?? c.parentCode.first { CodeSpan.isFilePath($0) && !CodeSpan.isServerDirective($0) }
            return Recognition(
                Kind(.file, "contains"),
                [file.map { ("path", .string($0)) } ?? ("target", .string(server)), ("pattern", .string(directive))],
                rule: "server directive")
        }
        if c.own.contains(server)
            && c.own.hasAny(["installed", "configured", "in place", "deployed", "set up", "running"])
            && !c.own.hasAny(["routing", "routes", "rules", "labels", "middleware"])
        {
            return Recognition(Kind(.file, "exists"), [("target", .string(server))], rule: "server config")
        }
        return nil
    }

    /// "CORS origins configured", "CORS headers from backend match frontend domain".
    static func cors(_ c: ItemContext) -> Recognition? {
        guard c.own.hasAny(["cors", "cross origin", "access control allow origin", "allowed origins", "allow origin"]),
            // "Referrer policy strict-origin-when-cross-origin" names a referrer policy, not CORS.
            !c.own.has("referrer policy") || c.own.has("cors")
        else { return nil }
        // "CORS disabled entirely (no `Access-Control-Allow-Origin`)": the header must be absent.
        if c.own.hasAny(["disabled", "off", "no access control allow origin", "not sent", "never sent"]) {
            return Recognition(
                Kind(.http, "header"), [("name", .string("Access-Control-Allow-Origin")), ("absent", .bool(true))],
                rule: "cors disabled")
        }
        // "CORS allows only https://app.example.com": that origin (scheme, host and port, no path), when it is the
        // only one named and the sentence allows it ("Remove http://localhost:3000 from CORS origins", "CORS blocks
        // https://evil.example" name origins that must not be allowed: the config's is checked then).
        let words = c.text.split(separator: " ").map { $0.trimmingCharacters(in: ":,;.()`") }
        let origins = Set((c.code + words).compactMap(CodeSpan.origin))
        let refusing = c.own.hasAny([
            "remove", "removed", "block", "blocks", "blocked", "deny", "denied", "not", "never", "refuse", "refused",
            "reject", "rejected", "no", "except",
        ])
        let named = origins.count == 1 && !refusing ? origins.first : nil
        // "only `https://example.com` may call `/api/search`": that address's answers.
        let path = c.code.first(where: CodeSpan.isURLPath).map { [("path", Params.Value.string($0))] } ?? []
        return Recognition(Kind(.http, "cors"), (named.map { [("origin", .string($0))] } ?? []) + path, rule: "cors")
    }

    /// "Rate limiting on login endpoints", "Rate limiting configured".
    static let rateLimitWords = Vocabulary.compile([
        "rate limit", "rate limiting", "rate limited", "ratelimit", "throttling", "throttled",
        "throttle", "throttles", "limit req", "429", "retry after", "too many requests",
    ])

    static func rateLimit(_ c: ItemContext) -> Recognition? {
        guard c.own.matches(rateLimitWords) else { return nil }
        // Named only in an aside ("Scale down traffic (rate limit)"), or as a product to adopt ("Use an API gateway
        // service to enable rate limit policies"): the sentence is about something else.
        let outsideAsides = c.asides.reduce(c.text) { $0.replacing("(\($1))", with: " ") }
        let outside = c.tokens(outsideAsides)
        if !outside.matches(rateLimitWords)
            || c.own.words.first == "use" && c.own.has("to enable")
        {
            return nil
        }
        // What a page tells its readers about a 429 ("FAQ explains that a 429 means wait a minute"): documentation.
        if c.own.hasAny(["explains", "explain", "faq", "told", "means", "documented", "docs"]) {
            return Recognition(.manual, rule: "what a document says")
        }
        var params: [(String, Params.Value)] = []
        // "100 requests per 15 minutes"
        let w = c.own.words
        // ("429 after 5 tries in a minute": the sixth is refused.)
        // ("throttles logins: 5 attempts per 20 seconds": the count is the one with a number before it.)
        if let i = w.indices.first(where: {
            $0 > 0 && ["requests", "req", "attempts", "tries", "logins", "calls"].contains(w[$0])
                && Int(w[$0 - 1]) != nil
        }),
            let max = Int(w[i - 1])
        {
            params.append(("max", .int(max)))
            if let per = w[i...].firstIndex(where: { $0 == "per" || $0 == "/" || $0 == "every" }) {
                params += window(after: per, in: w)
            } else if i + 1 < w.count, w[i + 1] == "in" || w[i + 1] == "within" {
                // "after 60 requests in 10 s", "10 tries in a minute": the window the count is allowed in.
                params += window(after: i + 1, in: w)
            }
        } else if let i = w.indices.first(where: {
            $0 + 1 < w.count && (w[$0 + 1] == "per" || w[$0 + 1] == "/") && Int(w[$0]) != nil
        }),
            let max = Int(w[i])
        {
            // "limited to 10 per minute, then 429": a count straight before "per".
            params.append(("max", .int(max)))
            params += window(after: i + 1, in: w)
        }
        if let (method, path) = c.code.lazy.compactMap(CodeSpan.request).first {
            params.append(("method", .string(method)))
            params.append(("path", .string(path)))
        } else if let path = c.code.first(where: CodeSpan.isURLPath) {
            params.append(("path", .string(path)))
        } else if c.own.hasAny(["login", "logins", "sign in", "signin", "authentication", "auth"]) {
            params.append(("target", .string("login")))
        }
        return Recognition(Kind(.http, "rate_limit"), params, rule: "rate limit")
    }

    /// The window after `w[at]` ("per", "/", "every", "in"): "15 minutes", "10 s", "minute", "a minute".
    static func window(after at: Int, in w: [String]) -> [(String, Params.Value)] {
        var rest = Array(w[(at + 1)...])
        if let first = rest.first, ["a", "an", "one"].contains(first) { rest.removeFirst() }
        if let seconds = ThresholdParser.firstDurationSeconds(in: Tokens(rest.joined(separator: " "))) {
            return [("window", .int(seconds))]
        }
        if let unit = rest.first, let (dimension, f) = ThresholdParser.unit(unit), dimension == .time {
            return [("window", .int(ThresholdParser.clampedInt(f / 1000)))]
        }
        return []
    }

    /// "Admin endpoints protected", "RBAC tested", "Authentication required on /api".
    static func authRequired(_ c: ItemContext) -> Recognition? {
        let admin =
            c.own.has("admin")
            && c.own.hasAny([
                "endpoint", "endpoints", "route", "routes", "api", "pages",
                "panel", "mode",
            ])
            && c.own.hasAny([
                "protected", "restricted", "secured", "require", "requires", "required",
                "locked", "guarded",
            ])
        let rbac =
            c.own.hasAny(["rbac", "role based access", "role based access control", "authorization enforced"])
            || c.own.has("access control") && c.own.hasPrefix("role")
        let auth = c.own.hasAny([
            "authentication required", "auth required", "requires authentication",
            "require authentication", "endpoints protected", "routes protected", "unauthenticated", "401",
            "requires admin", "requires login", "admin login", "login required", "requires a login", "403",
            "forbidden",
        ])
        guard admin || rbac || auth else { return nil }
        // A login flow to try, access control to implement, status codes in general: not "an endpoint refuses a
        // caller without a token", which is what this kind checks.
        if c.own.hasAny([
            "implement", "least privilege", "login works", "login flow", "proper status code", "status codes",
            "according to", "policies",
        ])
            || rbac && !c.code.contains(where: { CodeSpan.request($0) != nil || CodeSpan.isURLPath($0) })
                && !c.own.hasAny([
                    "enforced", "protected", "endpoint", "endpoints", "route", "routes", "401", "403", "forbidden",
                ])
        {
            return Recognition(.manual, rule: "access control, not an endpoint's answer")
        }
        var params: [(String, Params.Value)] = []
        let request = c.code.lazy.compactMap(CodeSpan.request).first
        let path = request?.path ?? c.code.first(where: CodeSpan.isURLPath)
        // `GET /api/customers/{id}/export`: an address to fill in, not one to ask.
        if let path, CodeSpan.hasPlaceholder(path) || path.contains("{") {
            return Recognition(.manual, rule: "a placeholder in the address")
        }
        // The role a route is for: "`/admin/jobs` needs the `ops` role", "Only `risk_officer` may call …".
        let lower = c.text.lowercased()
        let named = c.code.first { span in
            let s = span.lowercased()
            guard CodeSpan.request(span) == nil, !CodeSpan.isURLPath(span), !s.contains(" ") else { return false }
            return lower.contains("\(s) role") || lower.contains("role \(s)") || lower.contains("only \(s) may")
                || lower.contains("only \(s) can") || lower.contains("as a \(s)") || lower.contains("as an \(s)")
        }
        // "`/nginx_status` answers 403 from outside": that status, said of an address, with nothing about who asks.
        // This kind wants 401 from an anonymous caller; the sentence asks for 403 from everyone outside.
        if let path, !admin, !rbac, named == nil, c.own.has("403"),
            !c.own.hasAny([
                "401", "auth", "authentication", "authenticated", "unauthenticated", "login", "logged in", "token",
                "tokens", "role", "roles", "credentials", "user", "users", "anonymous", "session", "permission",
                "permissions", "account", "accounts",
            ])
        {
            return Recognition(
                Kind(.http, "status"),
                [("path", .string(path)), ("status", .int(403))]
                    + (request.map { [("method", .string($0.method))] } ?? []), rule: "endpoint")
        }
        if let named {
            params.append(("role", .string(named)))
        } else if admin || rbac || lower.contains("admin role") || lower.contains("admin only") {
            // ("→ 403 (admin role only)": the role the route is for, said in prose.)
            params.append(("role", .string("admin")))
        }
        if let path { params.append(("path", .string(path))) }
        if let method = request?.method { params.append(("method", .string(method))) }
        return Recognition(Kind(.http, "auth_required"), params, rule: "auth required")
    }
}
