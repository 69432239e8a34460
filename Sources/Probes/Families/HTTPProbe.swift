import Catalog
import Checklist
import Foundation
import Results

/// `http.*`: requests to the service through ``CurlClient``: status and JSON fields, headers, HSTS, security
/// headers, the plain-HTTP redirect, compression, cache headers, CORS, rate limits, authentication and metrics.
struct HTTPProbe: Probe {
    /// The kinds this probe runs: exactly its family's in `Kind.registry` (`ProbeTableTests`).
    let kinds = [
        "status", "header", "hsts", "security_headers", "redirect_https", "compression", "cache_headers", "cors",
        "rate_limit", "auth_required", "smoke", "metrics",
    ].map { Kind(.http, $0) }

    var client: CurlClient { .shared }

    /// A rate-limit check spends the client's allowance, which every other check shares: it runs after them, alone;
    /// the narrower limit (login throttling) first, or the general one would answer its burst.
    func scheduling(of item: PlannedItem, in context: ProbeContext) -> Scheduling {
        guard item.kind == Kind(.http, "rate_limit") else { return .concurrent }
        return .alone(order: Self.isLogin(item.params, context.settings.http) ? 0 : 1)
    }

    func run(_ item: PlannedItem, in context: ProbeContext) async -> Outcome {
        guard let base = context.settings.apiURL.map({ $0.hasSuffix("/") ? String($0.dropLast()) : $0 }) else {
            return .error("no API URL: pass --api-url or set `api_url:` in gonogo.yml")
        }
        let http = context.settings.http
        // Every request of a check: the base URL, the timeout and the TLS trust of the config.
        let make: (String, String, [(String, String)]) -> HTTPProbeRequest = { method, path, headers in
            var r = HTTPProbeRequest(method, base + (path.hasPrefix("/") ? path : "/" + path))
            r.headers = headers
            r.timeout = http.timeout
            r.caFile = http.caFile.map(context.settings.resolve)
            r.insecure = http.insecure
            return r
        }
        var outcome = await check(item, item.params, base, http, context, make: make)
        if http.insecure, base.hasPrefix("https") { outcome.message += " (TLS not verified: insecure mode)" }
        return outcome
    }

    func check(
        _ item: PlannedItem, _ params: Params, _ base: String, _ http: HTTPSettings, _ context: ProbeContext,
        make: (String, String, [(String, String)]) -> HTTPProbeRequest
    ) async -> Outcome {
        func request(
            _ path: String, method: String = "GET", headers: [(String, String)] = [], base other: String? = nil
        )
            -> HTTPProbeRequest
        {
            var r = make(method, path, headers)
            if let other { r.url = other + (path.hasPrefix("/") ? path : "/" + path) }
            return r
        }
        func send(_ r: HTTPProbeRequest) async throws -> HTTPProbeResponse {
            try await answer(r, expecting: params.int("status"))
        }
        do {
            switch item.kind.name ?? "" {
            case "status":
                let path = params.string("path") ?? "/"
                let wanted = params.int("status") ?? 200
                let method = params.string("method") ?? "GET"
                let response = try await send(request(path, method: method))
                var observed = "HTTP \(response.status)"
                var ok = response.status == wanted
                if let field = params.string("field") {
                    let value = response.json?[field].map { "\($0)" } ?? "absent"
                    observed += ", \(field)=\(value)"
                    if let equals = params.string("equals") { ok = ok && value == equals }
                }
                let expected =
                    "HTTP \(wanted)"
                    + (params.string("field").map { ", \($0)=\(params.string("equals") ?? "present")" } ?? "")
                let shownPath = method == "GET" ? path : "\(method) \(path)"
                return .check(
                    ok, expected: expected, observed: observed, pass: "\(shownPath): \(observed)",
                    fail: "\(shownPath) answered \(observed)")
            case "header":
                guard let name = params.string("name") else {
                    return .error("no header named: add params.name in gonogo.yml")
                }
                let response = try await send(request(params.string("path") ?? "/"))
                // Cookies and credentials a server sends back are secrets: named, never shown.
                let sensitive = ["set-cookie", "cookie", "authorization", "proxy-authorization", "www-authenticate"]
                let received = response.values(name)
                let values = received.map { sensitive.contains(name.lowercased()) ? Redaction.mask : $0 }
                if params["absent"] == .bool(true) {
                    let sent = values.map { "\(name): \($0)" }.joined(separator: "; ")
                    return .check(
                        values.isEmpty, expected: "no \(name)", observed: values.isEmpty ? "absent" : sent,
                        pass: "no \(name) header", fail: "\(name) is sent (\(sent))")
                }
                if let wanted = params.string("value") {
                    return .check(
                        received == [wanted], expected: "\(name): \(wanted)",
                        observed: values.isEmpty
                            ? "no \(name)" : values.map { "\(name): \($0)" }.joined(separator: "; "),
                        pass: "\(name): \(wanted)",
                        fail: values.isEmpty ? "no \(name) header" : "\(name) is \(values.joined(separator: ", "))")
                }
                return .check(
                    !values.isEmpty, expected: "\(name) present",
                    observed: values.isEmpty ? "absent" : values.joined(separator: "; "),
                    pass: "\(name): \(values.first ?? "")", fail: "no \(name) header")
            case "hsts":
                guard base.lowercased().hasPrefix("https://") else {
                    return .fail(
                        "the API URL is not HTTPS: HSTS is sent over HTTPS only", expected: "HTTPS with HSTS",
                        observed: base)
                }
                let response = try await send(request(params.string("path") ?? "/health"))
                return HSTS.check(response.values("strict-transport-security"), params)
            case "security_headers":
                let response = try await send(request(params.string("path") ?? "/health"))
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
                for name in params.strings("headers") ?? [] where response.header(name) == nil { missing.append(name) }
                let present = [
                    "x-content-type-options", "x-frame-options", "referrer-policy", "content-security-policy",
                ]
                .compactMap { name in response.header(name).map { "\(name): \($0)" } }
                return .check(
                    missing.isEmpty,
                    expected: (["nosniff, frame options, referrer policy"] + (params.strings("headers") ?? []))
                        .joined(separator: ", "),
                    observed: present.isEmpty ? "none" : present.joined(separator: "; "),
                    pass: "security headers present", fail: "missing \(missing.joined(separator: ", "))")
            case "redirect_https":
                guard let plain = http.plainURL ?? Self.plain(base) else {
                    return .error(
                        "cannot tell the plain-HTTP address: set `http: {plain_url: http://HOST[:PORT]}` in gonogo.yml")
                }
                let response = try await send(request(params.string("path") ?? "/health", base: plain))
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
            case "compression":
                let encoding = params.string("encoding") ?? "gzip"
                let response = try await send(
                    request(params.string("path") ?? "/", headers: [("Accept-Encoding", encoding)]))
                let got = response.header("content-encoding") ?? "none"
                return .check(
                    got.lowercased().contains(encoding), expected: "Content-Encoding: \(encoding)",
                    observed: "Content-Encoding: \(got)",
                    pass: "answers are \(encoding)-compressed",
                    fail: "no \(encoding) compression when the client asks for it")
            case "cache_headers":
                let response = try await send(request(params.string("path") ?? "/"))
                let cache = response.header("cache-control")
                guard let cache else {
                    return .fail("no Cache-Control header", expected: "Cache-Control", observed: "absent")
                }
                if let threshold = params.threshold {
                    let maxAge =
                        cache.split(separator: ",").compactMap { part -> Double? in
                            let p = part.trimmingCharacters(in: .whitespaces).lowercased()
                            return p.hasPrefix("max-age=") ? Double(p.dropFirst(8)) : nil
                        }.first ?? 0
                    return .check(
                        threshold.isMet(by: maxAge), expected: "max-age \(threshold.op) \(Int(threshold.value))",
                        observed: "Cache-Control: \(cache)",
                        pass: "Cache-Control: \(cache)", fail: "Cache-Control: \(cache) (max-age \(Int(maxAge)))")
                }
                return .pass("Cache-Control: \(cache)", expected: "Cache-Control", observed: "Cache-Control: \(cache)")
            case "cors":
                return try await cors(context, http, request: make)
            case "rate_limit":
                return try await rateLimit(params, context, request: make)
            case "auth_required":
                let path =
                    params.string("path") ?? (params.string("role") == "admin" ? http.adminPath : "/api/sessions")
                let method = params.string("method") ?? (path == http.adminPath ? "POST" : "GET")
                let anonymous = try await send(
                    request(path, method: method, headers: [("Content-Type", "application/json")]))
                let bogus = try await send(
                    request(
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
                guard let role = params.string("role"), role != "user", let user = http.users["user"] else {
                    return .pass(
                        "\(path) requires authentication"
                            + (params.string("role") != nil
                                ? " (a wrong role's 403 is checked with `http: {users: {user: …}}` in the config)"
                                : ""),
                        expected: "401 without a token and with a bad one", observed: observed)
                }
                var template = request(path, method: method, headers: [("Content-Type", "application/json")])
                let token = try await LatencyProbe.token(user, http, base: base, context: context, template: template)
                template.headers.append(("Authorization", "Bearer \(token)"))
                let wrongRole = try await send(template)
                observed += ", \(wrongRole.status) with a user's token"
                return .check(
                    wrongRole.status == 403, expected: "401 without a token, 403 with a user's token",
                    observed: observed,
                    pass: "\(path) requires authentication and the \(role) role",
                    fail: "\(path) answers \(wrongRole.status) to an ordinary user's token, not 403")
            case "smoke":
                return try await smoke(params.string("flow") ?? "", base, http, context, make: make)
            case "metrics":
                let path = params.string("path") ?? http.metricsPath
                let response = try await send(request(path))
                guard response.status == 200 else {
                    return .fail(
                        "\(path) answered HTTP \(response.status)", expected: "metrics",
                        observed: "HTTP \(response.status)")
                }
                return Metrics.check(
                    String(decoding: response.body, as: UTF8.self), metric: params.string("metric") ?? "")
            default:
                return .unsupported(item.kind)
            }
        } catch let failure as HTTPProbeFailure {
            return .error("\(failure.description)")
        } catch {
            return .error("\(error)")
        }
    }

    /// The response to `r`; a server error (5xx) that the check does not expect is no answer to it: the check ends as
    /// `error` with that status, like a transport failure.
    func answer(_ r: HTTPProbeRequest, expecting: Int?) async throws -> HTTPProbeResponse {
        let response = try await client.send(r)
        if response.status >= 500, response.status != expecting {
            throw HTTPProbeFailure(
                code: -1, description: "the server answered HTTP \(response.status) to \(r.method) \(r.url)")
        }
        return response
    }

}
