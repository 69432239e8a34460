/// Response headers: the security set, one header named, a header written out in full.
extension Recognizers {
    /// "XSS protection enabled", "Security headers set", "Clickjacking protection".
    static func securityHeaders(_ c: ItemContext) -> Recognition? {
        guard
            c.own.hasAny([
                "xss", "clickjacking", "security headers", "content security policy", "csp", "x frame options",
                "nosniff",
                "referrer policy", "x content type options", "mime sniffing",
            ])
        else { return nil }
        // "`public/_headers` contains `X-Frame-Options: DENY`": a file's contents (the file rule's).
        if let first = c.code.first, CodeSpan.isFilePath(first), !CodeSpan.isURLPath(first) { return nil }
        // The address the sentence names: "Full security header set (…) on `/`".
        let path =
            c.code.first(where: { $0 == "/" || CodeSpan.isURLPath($0) }).map { [("path", Params.Value.string($0))] }
            ?? []
        if let (name, value) = c.code.lazy.compactMap(CodeSpan.header).first {
            return Recognition(
                Kind(.http, "header"), path + [("name", .string(name)), ("value", .string(value))], rule: "header")
        }
        // One header the sentence names ("Add CSP header", "X-Frame-Options set"): that header, present.
        let named: [(phrases: [String], header: String)] = [
            (["content security policy", "csp"], "Content-Security-Policy"),
            (["x frame options"], "X-Frame-Options"), (["x xss protection"], "X-XSS-Protection"),
            (["x content type options", "nosniff", "mime sniffing"], "X-Content-Type-Options"),
            (["referrer policy"], "Referrer-Policy"), (["clickjacking"], "X-Frame-Options"),
        ]
        // Subresource integrity, a CSP directive to add: the pages' markup and a policy's contents, not a header's
        // presence.
        if c.own.hasAny(["subresource integrity", "sri", "directive"]) {
            return Recognition(.manual, rule: "a policy's contents")
        }
        // One directive the policy must include ("CSP on `/dashboard` includes `frame-ancestors 'none'`"): part of
        // the header's value, which the header kind compares whole.
        let directives = ["frame-ancestors", "base-uri", "form-action", "upgrade-insecure-requests", "report-uri"]
        if c.code.contains(where: { span in
            let first = span.split(separator: " ").first.map(String.init) ?? ""
            return first.hasSuffix("-src") || directives.contains(first)
        }) {
            return Recognition(.manual, rule: "a policy's contents")
        }
        // Violation reports a policy sends, and their triage: read by a person where they arrive.
        if c.own.hasAny(["violation reports", "violation report", "report endpoint", "triaged"]) {
            return Recognition(.manual, rule: "reports about the policy")
        }
        let headers = Array(Set(named.filter { $0.phrases.contains(where: c.own.contains) }.map(\.header)))
        if !c.own.hasAny(["security headers"]), headers.count == 1 {
            // "X-XSS-Protection header removed": the header must be absent.
            // ("'unsafe-inline' removed from the CSP" removes a source from the policy, not the header.)
            let absent =
                (c.own.hasAny(["removed", "not sent", "absent", "dropped"]) || saidGone(headers[0], c))
                && !c.own.hasAny(["unsafe inline", "unsafe eval", "directive", "source", "sources"])
            var params: [(String, Params.Value)] = path + [("name", .string(headers[0]))]
            if absent {
                params.append(("absent", .bool(true)))
            } else if let value = namedValue(of: headers[0], in: c) {
                // "X-Frame-Options set to DENY": that value, not any.
                params.append(value)
            }
            return Recognition(Kind(.http, "header"), params, rule: "named header")
        }
        // Protection against XSS or injection in general (input validation, sanitising, integrity of scripts):
        // code and process, not a response header.
        guard c.own.hasAny(["security headers", "header", "headers"]) else {
            return Recognition(.manual, rule: "protection in code, not a header")
        }
        // The headers the sentence lists ("the usual security headers (`X-Content-Type-Options`,
        // `Permissions-Policy`)"): checked beside the kind's own set (nosniff, frame options, referrer policy).
        // (Capitalised, as header names are written: `max-age` and `no-store` are values.)
        let listed = c.code.filter { span in
            span.contains("-") && span.first?.isUppercase == true
                && span.allSatisfy { ($0.isLetter && $0.isASCII) || $0 == "-" }
        }
        if listed.count >= 2 {
            return Recognition(
                Kind(.http, "security_headers"), path + [("headers", .list(listed))], rule: "security headers")
        }
        return Recognition(Kind(.http, "security_headers"), path, rule: "security headers")
    }

    /// The value a sentence states for a header it names: `X-Frame-Options` DENY or SAMEORIGIN, `nosniff` (the only
    /// value there is), a referrer policy, a CSP "without unsafe-inline" (as `excludes`).
    static func namedValue(of header: String, in c: ItemContext) -> (String, Params.Value)? {
        switch header {
        case "X-Frame-Options":
            // One value named is that value; "DENY or SAMEORIGIN" asks only that the header be there.
            let deny = c.own.has("deny")
            let same = c.own.hasAny(["sameorigin", "same origin"])
            if deny != same { return ("value", .string(deny ? "DENY" : "SAMEORIGIN")) }
        case "X-Content-Type-Options":
            return ("value", .string("nosniff"))
        case "Referrer-Policy":
            let policies = [
                "strict-origin-when-cross-origin", "no-referrer-when-downgrade", "origin-when-cross-origin",
                "strict-origin", "same-origin", "no-referrer",
            ]
            let found = policies.filter { c.own.contains($0) }
            // "strict-origin" and "origin-when-cross-origin" are in "strict-origin-when-cross-origin".
            let named = found.filter { p in !found.contains { $0 != p && $0.includes(p) } }
            if named.count == 1 { return ("value", .string(named[0])) }
        case "Content-Security-Policy":
            // The negation next to the source it refuses: "no unsafe-inline", "without 'unsafe-eval'",
            // "unsafe-inline removed" (not "unsafe-inline allowed for styles", not "not report-only").
            let unsafe = ["unsafe inline", "unsafe eval"].filter { source in
                [
                    "no", "without", "not", "never", "nor", "disallow", "forbid", "free of",
                    // "CSP does not allow `'unsafe-eval'`"
                    "not allow", "doesn t allow", "don t allow", "never allow", "disallows",
                ].contains {
                    c.own.contains("\($0) \(source)")
                }
                    || ["removed", "disallowed", "forbidden", "not allowed", "not used"].contains {
                        c.own.contains("\(source) \($0)")
                    }
            }
            if !unsafe.isEmpty {
                return ("excludes", .list(unsafe.map { "'" + $0.replacing(" ", with: "-") + "'" }))
            }
        default: break
        }
        return nil
    }

    /// "The `X-Powered-By` header is gone", "`Server` gone from responses": gone said of the header, right after its
    /// name (not "answers `410 Gone`", not "data gone from shared caches").
    static func saidGone(_ name: String, _ c: ItemContext) -> Bool {
        let lower = c.text.lowercased()
        let n = name.lowercased()
        return ["\(n) gone", "\(n) header gone", "\(n) is gone", "\(n) header is gone", "\(n) header be gone"].contains
        {
            lower.contains($0)
        }
    }

    /// A header named in a code span: "`X-Frame-Options: DENY` sent", "No `X-Powered-By: Next.js`", "Responses carry
    /// the `X-Model-Version` header".
    static func header(_ c: ItemContext) -> Recognition? {
        // A header the sentence refuses ("No `X-Powered-By: Next.js` (we set …)", "no `X-Application-Context`" under
        // "Response headers", "`X-Powered-By` not sent"): it must be absent, whatever its value. (Outside asides: an
        // aside says how.)
        if let first = c.code.first, CodeSpan.isFilePath(first), !CodeSpan.isURLPath(first) { return nil }
        // What people are told about a header ("announced as deprecated in the newsletter") is not what it answers.
        if c.own.hasAny(["announced", "newsletter", "communicated"]) { return nil }
        // A header on the calls the service makes ("every call carries the `Idempotency-Key` header"), not on its
        // answers.
        if c.own.hasAny(["every call", "each call", "outgoing", "outbound", "calls to", "retries to"]) {
            return Recognition(.manual, rule: "a header on the service's own calls")
        }
        // (Both readings below need a header in a code span; most items have none.)
        guard c.code.contains(where: { CodeSpan.header($0) != nil || isHeaderName($0) }) else { return nil }
        let outside = c.tokens(c.text.replacingAsides())
        let refused =
            outside.words.first.map { ["no", "never", "remove", "strip", "hide", "drop"].contains($0) } == true
            || outside.hasAny(["not sent", "never sent", "absent", "not present", "removed", "stripped", "hidden"])
            || c.code.contains { saidGone(CodeSpan.header($0)?.name ?? $0, c) }
        if let (name, value) = c.code.lazy.compactMap(CodeSpan.header).first,
            // `Name: value` is a header where the sentence speaks of headers, or the name is one ("no `User:*` ACLs"
            // is not).
            name.contains("-") || c.own.hasAny(["header", "headers", "response", "responses"])
                || c.parent.hasAny(["header", "headers"])
                || ["server", "via", "allow", "vary", "expires", "pragma", "location", "link", "refresh", "age"]
                    .contains(name.lowercased())
        {
            if refused {
                return Recognition(
                    Kind(.http, "header"), [("name", .string(name)), ("absent", .bool(true))], rule: "header absent")
            }
            guard c.own.hasAny(["header", "headers", "sent", "set", "returned", "present"]) else { return nil }
            return Recognition(
                Kind(.http, "header"), [("name", .string(name)), ("value", .string(value))], rule: "header")
        }
        // A header named without a value (`X-Request-ID`: capitalised words joined by dashes), where the sentence or
        // its parent speaks of headers or of what every response carries. (Not a header a request must send, nor one
        // passed on to other services: what the service answers is what this kind reads.)
        guard let name = c.code.first(where: isHeaderName),
            c.own.hasAny([
                "header", "headers", "sent", "every response", "responses carry", "comes back", "carries", "carry",
            ]) || c.parent.hasAny(["header", "headers"]) && refused,
            !c.own.hasAny([
                "request header", "request headers", "required", "requires", "require", "propagated", "forwarded",
                "passed", "accepted", "client", "clients",
            ])
        else { return nil }
        let absent: [(String, Params.Value)] = refused ? [("absent", .bool(true))] : []
        return Recognition(Kind(.http, "header"), [("name", .string(name))] + absent, rule: "named header")
    }

    /// `X-Request-ID`, `Permissions-Policy`: words of letters, each capitalised, joined by dashes.
    static func isHeaderName(_ s: String) -> Bool {
        let parts = s.split(separator: "-", omittingEmptySubsequences: false)
        return parts.count >= 2
            && parts.allSatisfy { p in
                p.first?.isUppercase == true && p.allSatisfy { $0.isASCII && $0.isLetter }
            }
    }
}
