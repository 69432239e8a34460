import Catalog
import Checklist
import Foundation
import Results

/// `http.*`: requests to the service through ``CurlClient``: status and JSON fields, headers, HSTS, security
/// headers, the plain-HTTP redirect, compression, cache headers, CORS, rate limits, authentication and metrics.
struct HTTPProbe: Probe {
    /// The kinds this probe runs: the keys of its table of checks (`HTTPProbe+Checks.swift`).
    var kinds: [Kind] { Self.checks.keys.sorted().map { Kind(.http, $0) } }

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
        guard let check = Self.checks[item.kind.name ?? ""] else { return .unsupported(item.kind) }
        var outcome: Outcome
        do {
            outcome = try await check(
                self, HTTPCall(probe: self, item: item, base: base, http: http, context: context, make: make))
        } catch let failure as ProbeError {
            outcome = .error(failure.description)
        } catch {
            outcome = .error("\(error)")
        }
        if http.insecure, base.hasPrefix("https") { outcome.message += " (TLS not verified: insecure mode)" }
        return outcome
    }

    /// The response to `r`; a server error (5xx) that the check does not expect is no answer to it: the check ends as
    /// `error` with that status, like a transport failure.
    func answer(_ r: HTTPProbeRequest, expecting: Int?) async throws -> HTTPProbeResponse {
        let response = try await client.send(r)
        if response.status >= 500, response.status != expecting {
            throw ProbeError.serverStatus(
                response.status, "the server answered HTTP \(response.status) to \(r.method) \(r.url)")
        }
        return response
    }

}
