import Catalog
import Foundation
import Histogram
import Results

/// `latency.request`: an open-loop probe (wrk2's model). Requests leave at a steady rate whether or not earlier ones
/// have come back, and each latency is measured from when its request was due, so a stalled server shows as
/// queueing instead of being hidden (coordinated omission). Recorded in an HdrHistogram after a warm-up.
struct LatencyProbe: Probe {
    /// The kinds this probe runs: exactly its family's in `Kind.registry` (`ProbeTableTests`).
    let kinds = ["request"].map { Kind(.latency, $0) }

    /// In flight at once before the probe calls its own client saturated.
    static let maxInFlight = 2000

    func run(_ item: PlannedItem, in context: ProbeContext) async -> Outcome {
        // The frontend's pages (target: frontend, "Page load time < 3s") are measured on its own base URL.
        let frontend = item.params.string("target") == "frontend"
        let configured = frontend ? context.settings.frontendURL : context.settings.apiURL
        guard let base = configured.map({ $0.hasSuffix("/") ? String($0.dropLast()) : $0 }) else {
            return .error(
                frontend
                    ? "the item measures the frontend, which has no URL: pass --frontend-url or set `frontend_url:` in gonogo.yml"
                    : "no API URL: pass --api-url or set `api_url:` in gonogo.yml")
        }
        let http = context.settings.http
        let name = item.params.string("request") ?? "page"
        // The config's request of that name; else the method and path the item itself names ("GET /orders").
        let own = item.params.string("path").map {
            NamedRequest(method: item.params.string("method") ?? "GET", path: $0)
        }
        // What the report calls it: the config's name, or the item's own request ("GET /health").
        let label = http.requests[name] == nil ? own.map { "\($0.method) \($0.path)" } ?? name : name
        guard let named = http.requests[name] ?? own else {
            return .error(
                "the item measures the request “\(name)”, which the config does not define: add "
                    + "`http: {requests: {\(name): {method: GET, path: /…}}}` to gonogo.yml")
        }
        let threshold = item.params.threshold ?? Threshold(metric: "p95", op: "<", value: 500, unit: "ms")
        var request = HTTPProbeRequest(named.method, base + named.path)
        request.timeout = http.timeout
        request.caFile = http.caFile.map(context.settings.resolve)
        request.insecure = http.insecure
        request.maxBody = 64 << 10
        if let body = named.body {
            request.body = Data(body.utf8)
            request.headers.append(("Content-Type", "application/json"))
        }
        do {
            if named.auth {
                let token = try await Self.token(http, base: base, context: context, template: request)
                request.headers.append(("Authorization", "Bearer \(token)"))
            }
        } catch let failure as ProbeError {
            return .error("cannot get a token for \(label): \(failure.description)")
        } catch {
            return .error("cannot get a token for \(label): \(error)")
        }
        let settings = http.latency
        let measured = await Self.measure(request, settings)
        return Self.judge(
            measured, threshold, name: label, settings: settings, assumed: item.params["metric_assumed"] == .bool(true))
    }

    /// A bearer token: from the variable the config names, or by logging in.
    static func token(
        _ http: HTTPSettings, base: String, context: ProbeContext, template: HTTPProbeRequest
    ) async throws
        -> String
    {
        guard let credentials = http.credentials else {
            throw ProbeError.notConfigured("the request needs a token: add `http: {credentials: …}` to gonogo.yml")
        }
        return try await token(credentials, http, base: base, context: context, template: template)
    }

    static func token(
        _ credentials: Credentials, _ http: HTTPSettings, base: String, context: ProbeContext,
        template: HTTPProbeRequest
    ) async throws -> String {
        if let variable = credentials.tokenVariable {
            guard let token = context.environment.values[variable], !token.isEmpty else {
                throw ProbeError.notConfigured("\(variable) is not set")
            }
            return token
        }
        var login = template
        login.method = "POST"
        login.url = base + http.loginPath
        login.headers = [("Content-Type", "application/json")]
        let body = ["username": credentials.username ?? "", "password": credentials.password ?? ""]
        login.body = try JSONSerialization.data(withJSONObject: body)
        let response = try await CurlClient.shared.send(login)
        guard response.status == 200, let token = response.json?[credentials.tokenField] as? String else {
            throw ProbeError.serverStatus(
                response.status, "logging in at \(http.loginPath) answered HTTP \(response.status)")
        }
        return token
    }

    typealias Measured = CurlLoad.Result

    /// Connections one probe opens to the server at most (wrk's benchmarks here use 16 to 32); a request due while
    /// all are busy waits in the probe's queue, and that wait counts in its latency.
    static let maxConnections = 64

    /// Sends at `settings.rate` for the warm-up and then the sampling time; records the sampled latencies (µs).
    static func measure(_ request: HTTPProbeRequest, _ settings: LatencySettings) async -> Measured {
        let plan = CurlLoad.Plan(
            interval: .nanoseconds(Int64(1_000_000_000 / settings.rate)),
            warm: Int(settings.rate * Double(settings.warmup.wholeMilliseconds) / 1000),
            sampled: max(1, Int(settings.rate * Double(settings.duration.wholeMilliseconds) / 1000)),
            maxInFlight: maxInFlight, maxConnections: maxConnections)
        var measured = await CurlLoad.run(request, plan)
        let n = Double(max(1, measured.answered))
        measured.timing = .init(
            dns: measured.timing.dns / n, connect: measured.timing.connect / n, tls: measured.timing.tls / n,
            firstByte: measured.timing.firstByte / n, total: measured.timing.total / n)
        return measured
    }

    /// The statistic a k6-style metric names, in milliseconds.
    static func statistic(_ metric: String, _ h: Histogram<UInt64>) -> Double? {
        let m = metric.lowercased().replacingOccurrences(of: "(", with: "").replacingOccurrences(of: ")", with: "")
        switch m {
        case "avg", "mean": return h.mean / 1000
        case "min": return Double(h.min) / 1000
        case "max": return Double(h.max) / 1000
        case "med", "median", "p50": return Double(h.valueAtPercentile(50)) / 1000
        default:
            guard m.hasPrefix("p"), let p = Double(m.dropFirst()), p > 0, p <= 100 else { return nil }
            return Double(h.valueAtPercentile(p)) / 1000
        }
    }

    static func judge(
        _ m: Measured, _ threshold: Threshold, name: String, settings: LatencySettings, assumed: Bool
    ) -> Outcome {
        let h = m.histogram
        func ms(_ v: Double) -> String { v < 10 ? String(format: "%.2f ms", v) : String(format: "%.0f ms", v) }
        let percentiles: [(String, Double)] = [
            ("min", Double(h.min) / 1000), ("p50", Double(h.valueAtPercentile(50)) / 1000),
            ("mean", h.mean / 1000), ("p90", Double(h.valueAtPercentile(90)) / 1000),
            ("p95", Double(h.valueAtPercentile(95)) / 1000), ("p99", Double(h.valueAtPercentile(99)) / 1000),
            ("max", Double(h.max) / 1000),
        ]
        let achieved = m.elapsed > 0 ? Double(m.sent) / m.elapsed : 0
        // The probe's own cost: its sending thread's CPU time per request handed to the server (warm-up included).
        let cpuPerRequest = Double(m.cpu.wholeMicroseconds) / Double(max(1, m.requests))
        let errorRate = m.sent == 0 ? 1 : Double(m.errors) / Double(m.sent)
        let details: JSONValue = .object([
            ("request", .string(name)), ("count", .int(m.sent)), ("errors", .int(m.errors)),
            ("rate", .double(settings.rate)), ("achievedRate", .double((achieved * 10).rounded() / 10)),
            ("cpuPerRequestUs", .double((cpuPerRequest * 10).rounded() / 10)),
            ("percentilesMs", .object(percentiles.map { ($0.0, .double(($0.1 * 100).rounded() / 100)) })),
            (
                "timingMs",
                .object([
                    ("dns", .double(m.timing.dns * 1000)), ("connect", .double(m.timing.connect * 1000)),
                    ("tls", .double(m.timing.tls * 1000)), ("firstByte", .double(m.timing.firstByte * 1000)),
                    ("total", .double(m.timing.total * 1000)),
                ])
            ),
        ])
        guard let value = statistic(threshold.metric, h) else {
            return Outcome(
                .error, message: "unknown statistic \(threshold.metric) (avg, min, med, max, p(90), p(95), p(99))",
                details: details)
        }
        let unit = threshold.unit == "s" ? 1000.0 : 1.0
        let met = threshold.isMet(by: value / unit)
        let observed =
            "\(threshold.metric) \(ms(value)) over \(m.sent) requests at \(String(format: "%.0f", achieved))/s, "
            + "\(m.errors) errors (med \(ms(percentiles[1].1)), p(99) \(ms(percentiles[5].1)))"
        let note = assumed ? " (\(threshold.metric) assumed: the item names no statistic)" : ""
        var outcome: Outcome
        if errorRate > 0.01 {
            outcome = Outcome(
                .fail, expected: threshold.description, observed: observed,
                message: "\(name): \(m.errors) of \(m.sent) requests failed (\(m.firstError ?? "")): above 1%")
        } else {
            outcome = Outcome(
                met ? .pass : .fail, expected: threshold.description + note, observed: observed,
                message:
                    "\(name): \(threshold.metric) \(ms(value)) \(met ? "meets" : "misses") \(threshold.description)\(note)"
            )
        }
        outcome.details = details
        return outcome
    }
}
