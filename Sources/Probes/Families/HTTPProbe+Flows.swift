import Catalog
import Checklist
import Foundation
import Results

extension HTTPProbe {
    /// A named flow of the config: each step's request, checked in turn; `{name}` in a path or body is a value an
    /// earlier step saved from its JSON answer.
    func smoke(
        _ name: String, _ base: String, _ http: HTTPSettings, _ context: ProbeContext,
        make: (String, String, [(String, String)]) -> HTTPProbeRequest
    ) async throws -> Outcome {
        guard let steps = http.flows[name], !steps.isEmpty else {
            return .error(
                "the smoke flow “\(name)” is not defined: add `http: {flows: {\(name): [steps…]}}` to gonogo.yml")
        }
        var saved: [String: String] = [:]
        var tokens: [String: String] = [:]
        func fill(_ text: String) -> String {
            saved.reduce(text) { $0.replacingOccurrences(of: "{\($1.key)}", with: $1.value) }
        }
        for (n, step) in steps.enumerated() {
            var request = make(step.method, fill(step.path), [])
            if let body = step.body {
                request.body = Data(fill(body).utf8)
                request.headers.append(("Content-Type", "application/json"))
            }
            if let user = step.auth {
                if tokens[user] == nil {
                    let credentials = user.isEmpty ? http.credentials : http.users[user]
                    guard let credentials else {
                        return .error(
                            "step \(n + 1) of \(name) acts as \(user.isEmpty ? "the default user" : user), who has no credentials in gonogo.yml"
                        )
                    }
                    tokens[user] = try await LatencyProbe.token(
                        credentials, http, base: base, context: context, template: request)
                }
                request.headers.append(("Authorization", "Bearer \(tokens[user] ?? "")"))
            }
            let response = try await answer(request, expecting: step.expect)
            let label = "step \(n + 1) (\(step.method) \(fill(step.path)))"
            let statusOK = step.expect.map { $0 == response.status } ?? (200..<300).contains(response.status)
            guard statusOK else {
                return .fail(
                    "\(name): \(label) answered HTTP \(response.status)",
                    expected: "HTTP \(step.expect.map(String.init) ?? "2xx")",
                    observed: "HTTP \(response.status) at step \(n + 1)")
            }
            if let contains = step.contains, !String(decoding: response.body, as: UTF8.self).contains(fill(contains)) {
                return .fail(
                    "\(name): \(label) does not hold “\(fill(contains))”",
                    expected: "“\(fill(contains))” in the answer",
                    observed: "not there at step \(n + 1)")
            }
            for (variable, field) in step.save {
                var value: Any? = response.json
                for part in field.split(separator: ".") { value = (value as? [String: Any])?[String(part)] }
                guard let value else {
                    return .fail(
                        "\(name): \(label) has no field \(field) to save", expected: "a JSON field \(field)",
                        observed: "absent")
                }
                saved[variable] = "\(value)"
            }
        }
        return .pass(
            "\(name): \(steps.count) steps succeeded", expected: "every step",
            observed: "\(steps.count) of \(steps.count) steps")
    }

    /// `https://host:port` -> `http://host` (port 80): where a plain-HTTP listener usually is.
    static func plain(_ base: String) -> String? {
        guard var parts = URLComponents(string: base), parts.scheme == "https" else { return nil }
        parts.scheme = "http"
        parts.port = nil
        parts.path = ""
        return parts.string
    }

    func cors(
        _ context: ProbeContext, _ http: HTTPSettings, _ params: Params,
        request: (String, String, [(String, String)]) -> HTTPProbeRequest
    ) async throws -> Outcome {
        func send(_ r: HTTPProbeRequest) async throws -> HTTPProbeResponse { try await answer(r, expecting: nil) }
        // The origin the item names ("CORS allows only https://app.example.com"), else the config's.
        let configured =
            params.string("origin") ?? http.corsOrigin
            ?? context.environment.values["CORS_ORIGINS"]?.split(separator: ",").first.map {
                $0.trimmingCharacters(in: .whitespaces)
            }
        let path = params.string("path") ?? http.corsPath
        let foreign = "https://gonogo-foreign.invalid"
        var problems: [String] = []
        var seen: [String] = []
        // What a browser sends: a preflight, and a simple GET, from a foreign origin and from `null` (sandboxed
        // frames, files). A server whose preflight is right may still echo any origin on the answer itself.
        for origin in [foreign, "null"] {
            let who = origin == "null" ? "the null origin" : "a foreign origin"
            for (method, headers) in [
                ("OPTIONS", [("Origin", origin), ("Access-Control-Request-Method", "POST")]),
                ("GET", [("Origin", origin)]),
            ] {
                let answer = try await send(request(method, path, headers))
                let allowed = answer.header("access-control-allow-origin")
                let credentials = answer.header("access-control-allow-credentials")?.lowercased() == "true"
                let how = method == "OPTIONS" ? "preflight" : "GET"
                seen.append("\(how) from \(origin == "null" ? "null" : "a foreign origin"): \(allowed ?? "none")")
                if allowed == "*" {
                    problems.append(
                        credentials ? "* with credentials on the \(how)" : "any origin is allowed (*) on the \(how)")
                } else if allowed == origin {
                    problems.append("\(who) is echoed back on the \(how)" + (credentials ? ", with credentials" : ""))
                }
            }
        }
        if let configured, !configured.isEmpty, configured != "*" {
            let allowed = try await send(
                request("OPTIONS", path, [("Origin", configured), ("Access-Control-Request-Method", "POST")]))
            let got = allowed.header("access-control-allow-origin")
            seen.append("\(configured): \(got ?? "none")")
            if got != configured { problems.append("the origin \(configured) is not allowed") }
        }
        var unique: [String] = []
        for p in problems where !unique.contains(p) { unique.append(p) }
        return .check(
            unique.isEmpty,
            expected: "\(configured ?? "no origin") allowed; a foreign origin and null refused; never *",
            observed: "Access-Control-Allow-Origin: " + seen.joined(separator: "; "),
            pass: "CORS allows \(configured ?? "no origin") only", fail: unique.joined(separator: "; "))
    }

    /// A rate-limit item about logging in: `target: login`, or the config's login path named as its own.
    static func isLogin(_ params: Params, _ http: HTTPSettings) -> Bool {
        params.string("target") == "login" || params.string("path") == http.loginPath
    }

    /// What one burst saw: how many requests it sent, and the first 429 (its request number and `Retry-After`).
    struct Burst: Sendable {
        var sent: Int
        var refusedAt: Int?
        var retryAfter: String?
    }

    /// The route and budget of a rate-limit item: its method and path (the item's, else the config's, the login
    /// route for `target: login`), and the limit (the item's `max`, else the env files' variable, else chat-api's).
    func rateLimitRoute(
        _ params: Params, _ context: ProbeContext
    ) -> (method: String, path: String, limit: Int, variable: String) {
        let http = context.settings.http
        let login = Self.isLogin(params, http)
        let path = params.string("path") ?? (login ? http.loginPath : http.rateLimitPath)
        let variable = login ? "LOGIN_RATE_LIMIT_MAX" : "RATE_LIMIT_MAX_REQUESTS"
        let limit = params.int("max") ?? context.environment.values[variable].flatMap { Int($0) } ?? (login ? 5 : 100)
        return (params.string("method") ?? (login ? "POST" : "GET"), path, limit, variable)
    }

    /// A bounded burst: at most `count` requests, stopping at the first 429.
    func burst(
        _ params: Params, _ context: ProbeContext, count: Int,
        request: (String, String, [(String, String)]) -> HTTPProbeRequest
    ) async throws -> Burst {
        let route = rateLimitRoute(params, context)
        var r = request(route.method, route.path, [("Content-Type", "application/json")])
        if Self.isLogin(params, context.settings.http) {
            r.body = Data(#"{"username":"gonogo-rate-limit-probe","password":"not-the-password"}"#.utf8)
        }
        for n in 1...max(1, count) {
            let response = try await answer(r, expecting: nil)
            if response.status == 429 {
                return Burst(sent: n, refusedAt: n, retryAfter: response.header("retry-after"))
            }
        }
        return Burst(sent: max(1, count), refusedAt: nil, retryAfter: nil)
    }

    /// An item's verdict on a burst: a 429 within the limit plus one requests, with `Retry-After` (at most the
    /// item's `window`, when it states one).
    func judge(_ b: Burst, _ params: Params, _ context: ProbeContext) -> Outcome {
        let route = rateLimitRoute(params, context)
        let within = min(route.limit + 1, 2000)
        let expected = "429 with Retry-After within \(within) requests"
        guard let n = b.refusedAt else {
            return .fail(
                "\(b.sent) requests in a row were all served: no rate limit at \(route.limit) (\(route.variable))",
                expected: "429 within \(within) requests", observed: "no 429 in \(b.sent) requests")
        }
        let observed = "429 at request \(n)" + (b.retryAfter.map { ", Retry-After \($0)" } ?? ", no Retry-After")
        guard let retry = b.retryAfter else {
            return .fail(
                "429 without Retry-After: clients cannot tell when to come back", expected: expected, observed: observed
            )
        }
        if n > within {
            return .fail(
                "\(n - 1) requests were served before the first 429: more than the limit of \(route.limit)",
                expected: expected, observed: observed)
        }
        // A window the item states ("60 requests per minute"): the wait it asks for stays within it.
        if let window = params.int("window"), let seconds = Int(retry), seconds > window {
            return .fail(
                "Retry-After \(seconds) s is longer than the \(window) s window",
                expected: "Retry-After at most \(window)",
                observed: observed)
        }
        // A 429 at once: the allowance was spent before this check (by another client, or an earlier run within the
        // window), or every request is refused. A limit answers, but its size was not measured.
        if n == 1 {
            return Outcome(
                .warn, expected: expected, observed: observed,
                message: "the first request was refused: the allowance was already spent (or every request is "
                    + "refused), so the limit's size was not measured")
        }
        return .pass(observed, expected: expected, observed: observed)
    }
}
