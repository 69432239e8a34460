import Catalog
import Checklist
import Foundation
import Results

/// One HTTP check's inputs: the item's params and the config's settings, and requests made against the base URL
/// with the config's timeout and TLS trust.
struct HTTPCall {
    let probe: HTTPProbe
    let item: PlannedItem
    let base: String
    let http: HTTPSettings
    let context: ProbeContext
    let make: (String, String, [(String, String)]) -> HTTPProbeRequest
    var params: Params { item.params }

    func request(
        _ path: String, method: String = "GET", headers: [(String, String)] = [], base other: String? = nil
    ) -> HTTPProbeRequest {
        var r = make(method, path, headers)
        if let other { r.url = other + (path.hasPrefix("/") ? path : "/" + path) }
        return r
    }

    /// The answer to `r`; a 5xx the item does not expect is no answer (``HTTPProbe/answer(_:expecting:)``).
    func send(_ r: HTTPProbeRequest) async throws -> HTTPProbeResponse {
        try await probe.answer(r, expecting: params.int("status"))
    }
}

extension HTTPProbe {
    typealias Check = @Sendable (HTTPProbe, HTTPCall) async throws -> Outcome

    /// Every `http` kind and the method that runs it: the probe's `kinds` are this table's keys, so a kind is
    /// claimed exactly when it has a method.
    static let checks: [String: Check] = [
        "status": { try await $0.status($1) },
        "header": { try await $0.header($1) },
        "hsts": { try await $0.hsts($1) },
        "security_headers": { try await $0.securityHeaders($1) },
        "redirect_https": { try await $0.redirectHttps($1) },
        "compression": { try await $0.compression($1) },
        "cache_headers": { try await $0.cacheHeaders($1) },
        "cors": { try await $0.corsCheck($1) },
        "rate_limit": { try await $0.rateLimitCheck($1) },
        "auth_required": { try await $0.authRequired($1) },
        "smoke": { try await $0.smokeCheck($1) },
        "metrics": { try await $0.metrics($1) },
    ]

    func status(_ c: HTTPCall) async throws -> Outcome {
        let path = c.params.string("path") ?? "/"
        let wanted = c.params.int("status") ?? 200
        let method = c.params.string("method") ?? "GET"
        let response = try await c.send(c.request(path, method: method))
        var observed = "HTTP \(response.status)"
        var ok = response.status == wanted
        if let field = c.params.string("field") {
            // A dotted field is a path into nested objects: `db.status` of `{"db": {"status": "ok"}}`.
            var node: Any? = response.json
            for key in field.split(separator: ".") { node = (node as? [String: Any])?[String(key)] }
            let value = node.map { "\($0)" } ?? "absent"
            observed += ", \(field)=\(value)"
            ok = ok && node != nil
            if let equals = c.params.string("equals") { ok = ok && value == equals }
        }
        let expected =
            "HTTP \(wanted)"
            + (c.params.string("field").map { ", \($0)=\(c.params.string("equals") ?? "present")" } ?? "")
        let shownPath = method == "GET" ? path : "\(method) \(path)"
        return .check(
            ok, expected: expected, observed: observed, pass: "\(shownPath): \(observed)",
            fail: "\(shownPath) answered \(observed)")
    }

    func header(_ c: HTTPCall) async throws -> Outcome {
        guard let name = c.params.string("name") else {
            return .error("no header named: add params.name in gonogo.yml")
        }
        let response = try await c.send(c.request(c.params.string("path") ?? "/"))
        // Cookies and credentials a server sends back are secrets: named, never shown.
        let sensitive = ["set-cookie", "cookie", "authorization", "proxy-authorization", "www-authenticate"]
        let received = response.values(name)
        let values = received.map { sensitive.contains(name.lowercased()) ? Redaction.mask : $0 }
        let status = Self.errorStatus(response)
        if c.params["absent"] == .bool(true) {
            let sent = values.map { "\(name): \($0)" }.joined(separator: "; ")
            return .check(
                values.isEmpty, expected: "no \(name)", observed: values.isEmpty ? "absent" : sent,
                pass: "no \(name) header", fail: "\(name) is sent (\(sent))")
        }
        let shown = status + (values.isEmpty ? "no \(name)" : values.map { "\(name): \($0)" }.joined(separator: "; "))
        if let wanted = c.params.string("value") {
            // `DENY` and `deny` are one value (header tokens are compared without case).
            let same =
                received.count == 1 && received[0].trimmingCharacters(in: " \t").lowercased() == wanted.lowercased()
            return .check(
                same, expected: "\(name): \(wanted)", observed: shown, pass: "\(name): \(wanted)",
                fail: values.isEmpty ? "no \(name) header" : "\(name) is \(values.joined(separator: ", "))")
        }
        if let excluded = c.params.strings("excludes"), !values.isEmpty {
            let found = excluded.filter { part in received.contains { $0.lowercased().contains(part.lowercased()) } }
            return .check(
                found.isEmpty, expected: "\(name) without \(excluded.joined(separator: ", "))", observed: shown,
                pass: "\(name) has none of \(excluded.joined(separator: ", "))",
                fail: "\(name) has \(found.joined(separator: ", "))")
        }
        return .check(
            !values.isEmpty, expected: "\(name) present",
            observed: values.isEmpty ? status + "absent" : status + values.joined(separator: "; "),
            pass: "\(name): \(values.first ?? "")",
            fail: "no \(name) header" + (status.isEmpty ? "" : " (\(status.dropLast(2)))"))
    }

    func hsts(_ c: HTTPCall) async throws -> Outcome {
        guard c.base.lowercased().hasPrefix("https://") else {
            return .fail(
                "the API URL is not HTTPS: HSTS is sent over HTTPS only", expected: "HTTPS with HSTS",
                observed: c.base)
        }
        let response = try await c.send(c.request(c.params.string("path") ?? "/"))
        var outcome = HSTS.check(response.values("strict-transport-security"), c.params)
        outcome.observed = Self.errorStatus(response) + (outcome.observed ?? "")
        return outcome
    }

    /// `HTTP 404: ` for an answer that is an error, else nothing: a path that answers an error may lack headers the
    /// pages have, so the status is shown with what was seen (header items probe `/` unless they name a path).
    static func errorStatus(_ response: HTTPProbeResponse) -> String {
        (200..<400).contains(response.status) ? "" : "HTTP \(response.status): "
    }

    func securityHeaders(_ c: HTTPCall) async throws -> Outcome {
        let response = try await c.send(c.request(c.params.string("path") ?? "/"))
        var missing: [String] = []
        if response.header("x-content-type-options")?.lowercased() != "nosniff" {
            missing.append("X-Content-Type-Options: nosniff")
        }
        let frames = response.header("x-frame-options")?.uppercased()
        let csp = response.header("content-security-policy") ?? ""
        if frames != "DENY" && frames != "SAMEORIGIN" && !csp.contains("frame-ancestors") {
            missing.append("X-Frame-Options (or CSP frame-ancestors)")
        }
        if response.header("referrer-policy") == nil { missing.append("Referrer-Policy") }
        // Headers the item names besides these ("Content-Security-Policy set").
        for name in c.params.strings("headers") ?? [] where response.header(name) == nil { missing.append(name) }
        let present = [
            "x-content-type-options", "x-frame-options", "referrer-policy", "content-security-policy",
        ]
        .compactMap { name in response.header(name).map { "\(name): \($0)" } }
        return .check(
            missing.isEmpty,
            expected: (["nosniff, frame options, referrer policy"] + (c.params.strings("headers") ?? []))
                .joined(separator: ", "),
            observed: Self.errorStatus(response) + (present.isEmpty ? "none" : present.joined(separator: "; ")),
            pass: "security headers present", fail: "missing \(missing.joined(separator: ", "))")
    }

    func redirectHttps(_ c: HTTPCall) async throws -> Outcome {
        guard let plain = c.http.plainURL ?? Self.plain(c.base) else {
            return .error(
                "cannot tell the plain-HTTP address: set `http: {plain_url: http://HOST[:PORT]}` in gonogo.yml")
        }
        let response: HTTPProbeResponse
        do {
            response = try await c.send(c.request(c.params.string("path") ?? "/health", base: plain))
        } catch let error as ProbeError where c.http.plainURL == nil && error.curlCode != nil {
            // The guessed address (the API's host on port 80) may not be where plain HTTP is served: say how to name it.
            return .error(
                "\(error.description) (the plain-HTTP address was guessed as \(plain): name it with --plain-url or "
                    + "`http: {plain_url: http://HOST[:PORT]}` in gonogo.yml)")
        }
        let location = response.header("location") ?? ""
        let host = URLComponents(string: plain)?.host?.lowercased() ?? ""
        let target = URLComponents(string: location)
        let ok =
            [301, 308].contains(response.status) && target?.scheme == "https"
            && target?.host?.lowercased() == host
        return .check(
            ok, expected: "301 or 308 to https://\(host)",
            observed: "HTTP \(response.status)" + (location.isEmpty ? "" : " to \(location)"),
            pass: "plain HTTP redirects to \(location)",
            fail: [302, 307].contains(response.status)
                ? "the redirect is temporary (\(response.status)): use 301 or 308"
                : "plain HTTP does not redirect to HTTPS on \(host)")
    }

    func corsCheck(_ c: HTTPCall) async throws -> Outcome {
        return try await cors(c.context, c.http, c.params, request: c.make)
    }

    /// One burst per route and run: the burst spends the service's allowance for this client, so another item about
    /// the same route ("Rate limiting configured" and "100 requests per minute") is judged on the first one's burst,
    /// against its own limit and window, and says whose burst it was. A burst that stopped short of what a later item
    /// needs (no 429 in fewer requests than its limit) is not reused.
    func rateLimitCheck(_ c: HTTPCall) async throws -> Outcome {
        let route = rateLimitRoute(c.params, c.context)
        let key = "rate_limit \(route.method) \(route.path)"
        let needed = min(route.limit + 1, 2000)
        if let (id, earlier) = c.context.shared.value(key, as: Burst.self),
            earlier.refusedAt != nil || earlier.sent >= needed
        {
            var outcome = judge(earlier, c.params, c.context)
            outcome.message =
                "judged on the burst of \(id), on the same route (one burst per route and run: it spends the "
                + "allowance): " + outcome.message
            return outcome
        }
        let b = try await burst(c.params, c.context, count: needed, request: c.make)
        c.context.shared.record(key, id: c.item.id, b)
        return judge(b, c.params, c.context)
    }

    func authRequired(_ c: HTTPCall) async throws -> Outcome {
        let path =
            c.params.string("path") ?? (c.params.string("role") == "admin" ? c.http.adminPath : "/api/sessions")
        let method = c.params.string("method") ?? (path == c.http.adminPath ? "POST" : "GET")
        let anonymous = try await c.send(
            c.request(path, method: method, headers: [("Content-Type", "application/json")]))
        let bogus = try await c.send(
            c.request(
                path, method: method,
                headers: [("Authorization", "Bearer gonogo-not-a-token"), ("Content-Type", "application/json")])
        )
        var observed = "HTTP \(anonymous.status) without, \(bogus.status) with a bad token"
        guard anonymous.status == 401 && bogus.status == 401 else {
            return .fail(
                "\(path) answers \(anonymous.status) without a token"
                    + (anonymous.status == 401 ? " and \(bogus.status) with a bad one" : ""),
                expected: "401 without a token and with a bad one", observed: observed)
        }
        // A route for a role (admin): an ordinary user's valid token (`http.users.user`) must get 403.
        guard let role = c.params.string("role"), role != "user", let user = c.http.users["user"] else {
            return .pass(
                "\(path) requires authentication"
                    + (c.params.string("role") != nil
                        ? " (a wrong role's 403 is checked with `http: {users: {user: …}}` in the config)"
                        : ""),
                expected: "401 without a token and with a bad one", observed: observed)
        }
        var template = c.request(path, method: method, headers: [("Content-Type", "application/json")])
        let token = try await LatencyProbe.token(user, c.http, base: c.base, context: c.context, template: template)
        template.headers.append(("Authorization", "Bearer \(token)"))
        let wrongRole = try await c.send(template)
        observed += ", \(wrongRole.status) with a user's token"
        return .check(
            wrongRole.status == 403, expected: "401 without a token, 403 with a user's token",
            observed: observed,
            pass: "\(path) requires authentication and the \(role) role",
            fail: "\(path) answers \(wrongRole.status) to an ordinary user's token, not 403")
    }

    func smokeCheck(_ c: HTTPCall) async throws -> Outcome {
        return try await smoke(c.params.string("flow") ?? "", c.base, c.http, c.context, make: c.make)
    }

    func metrics(_ c: HTTPCall) async throws -> Outcome {
        let path = c.params.string("path") ?? c.http.metricsPath
        let response = try await c.send(c.request(path))
        guard response.status == 200 else {
            return .fail(
                "\(path) answered HTTP \(response.status)", expected: "metrics",
                observed: "HTTP \(response.status)")
        }
        return Metrics.check(
            String(decoding: response.body, as: UTF8.self), metric: c.params.string("metric") ?? "")
    }
}
