import Foundation
import Probes
import Reports
import Results

/// `gonogo verify --push URL`: the run's metrics (``ReportPrometheus``) PUT to a Prometheus Pushgateway, replacing
/// what the same group held before (so an item removed from the checklist leaves no stale series).
public enum Pushgateway {
    public struct PushError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Where the run goes: `URL` itself when it names a group (its path has `/metrics/job/`), else
    /// `URL/metrics/job/gonogo/checklist@base64/…`, and `/environment@base64/…` when the run names one. Label values
    /// are base64url-encoded, as the Pushgateway reads them, so a path with slashes is one value.
    public static func groupURL(_ base: String, run: VerifyRun) -> String {
        guard var parts = URLComponents(string: base), !parts.path.contains("/metrics/job/") else { return base }
        // The group goes into the path, whatever query the base carries.
        var path = parts.path.hasSuffix("/") ? String(parts.path.dropLast()) : parts.path
        path +=
            "/metrics/job/gonogo/checklist@base64/" + base64url(ReportPrometheus.checklistLabel(run.plan.document.path))
        if let environment = run.identity.environment { path += "/environment@base64/" + base64url(environment) }
        parts.percentEncodedPath = path
        return parts.string ?? base
    }

    static func base64url(_ value: String) -> String {
        guard !value.isEmpty else { return "=" }
        return Data(value.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
    }

    /// PUTs `metrics` to the run's group; throws ``PushError`` naming the address (never its password) and the reason:
    /// refused, timed out, or the status and the Pushgateway's own words.
    public static func push(
        _ metrics: String, run: VerifyRun, to base: String, timeout: Duration = .seconds(15), http: HTTPSettings
    ) async throws {
        let url = groupURL(base, run: run)
        var request = HTTPProbeRequest("PUT", url)
        request.headers = [("Content-Type", "text/plain; version=0.0.4; charset=utf-8")]
        request.body = Data(metrics.utf8)
        request.timeout = timeout
        request.maxBody = 64 << 10
        request.caFile = http.caFile
        request.insecure = http.insecure
        let shown = RunIdentity.shown(url)
        let response: HTTPProbeResponse
        do {
            response = try await CurlClient.shared.send(request)
        } catch {
            throw PushError(description: "could not push the metrics to \(shown): \(error)")
        }
        guard (200..<300).contains(response.status) else {
            let said = String(decoding: response.body.prefix(300), as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            throw PushError(
                description: "the Pushgateway at \(shown) refused the metrics: HTTP \(response.status)"
                    + (said.isEmpty ? "" : " (\(said))"))
        }
    }
}
