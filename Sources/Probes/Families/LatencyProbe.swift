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

    struct Measured: Sendable {
        var histogram = Histogram<UInt64>(highestTrackableValue: 120_000_000, numberOfSignificantValueDigits: .three)
        var sent = 0
        var errors = 0
        var firstError: String?
        var elapsed: Double = 0
        var timing = HTTPProbeResponse.Timing(dns: 0, connect: 0, tls: 0, firstByte: 0, total: 0)
    }

    /// Sends at `settings.rate` for the warm-up and then the sampling time; records the sampled latencies (µs).
    static func measure(_ request: HTTPProbeRequest, _ settings: LatencySettings) async -> Measured {
        let clock = ContinuousClock()
        let interval = Duration.nanoseconds(Int64(1_000_000_000 / settings.rate))
        let warm = Int(settings.rate * Double(settings.warmup.wholeMilliseconds) / 1000)
        let sampled = max(1, Int(settings.rate * Double(settings.duration.wholeMilliseconds) / 1000))
        let start = clock.now.advanced(by: .milliseconds(10))
        // Each request records its own result: the sender never waits for one to come back.
        let shared = LockedBox(Measured())
        let inFlight = LockedBox(0)
        @Sendable func record(
            _ sample: Bool, _ latency: Duration, _ timing: HTTPProbeResponse.Timing?, _ error: String?
        ) {
            inFlight.withLock { $0 -= 1 }
            guard sample else { return }
            shared.withLock { m in
                if let error {
                    m.errors += 1
                    if m.firstError == nil { m.firstError = error }
                }
                let us = UInt64(max(0, latency.wholeMicroseconds))
                _ = m.histogram.record(min(us, 120_000_000))
                if let timing {
                    m.timing.dns += timing.dns
                    m.timing.connect += timing.connect
                    m.timing.tls += timing.tls
                    m.timing.firstByte += timing.firstByte
                    m.timing.total += timing.total
                }
            }
        }
        await withTaskGroup(of: Void.self) { group in
            for i in 0..<(warm + sampled) {
                let due = start.advanced(by: interval * i)
                // No tolerance: a timer allowed to fire late would count its own slack as the server's latency.
                // Cancelled (the check's timeout): no further request leaves, and those in flight are removed.
                do { try await clock.sleep(until: due, tolerance: .zero) } catch { break }
                let sample = i >= warm
                if sample { shared.withLock { $0.sent += 1 } }
                let admitted = inFlight.withLock {
                    guard $0 < maxInFlight else { return false }
                    $0 += 1
                    return true
                }
                guard admitted else {
                    if sample {
                        shared.withLock {
                            $0.errors += 1
                            $0.firstError = $0.firstError ?? "more than \(maxInFlight) requests in flight"
                        }
                    }
                    continue
                }
                group.addTask {
                    do {
                        let response = try await CurlClient.shared.send(request)
                        record(
                            sample, due.duration(to: response.finishedAt), response.timing,
                            response.status >= 400 ? "HTTP \(response.status)" : nil)
                    } catch {
                        record(sample, due.duration(to: clock.now), nil, "\(error)")
                    }
                }
            }
        }
        var measured = shared.withLock { $0 }
        measured.elapsed = Double(start.advanced(by: interval * warm).duration(to: clock.now).wholeMilliseconds) / 1000
        let n = Double(max(1, measured.sent - measured.errors))
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
        let errorRate = m.sent == 0 ? 1 : Double(m.errors) / Double(m.sent)
        let details: JSONValue = .object([
            ("request", .string(name)), ("count", .int(m.sent)), ("errors", .int(m.errors)),
            ("rate", .double(settings.rate)), ("achievedRate", .double((achieved * 10).rounded() / 10)),
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
