import Catalog
import Checklist
import Foundation
import Results

/// `Strict-Transport-Security`, parsed (RFC 6797): exactly one header, `max-age` required, `includeSubDomains`,
/// `preload`.
enum HSTS {
    static func check(_ values: [String], _ params: Params) -> Outcome {
        guard let header = values.first else {
            return .fail(
                "no Strict-Transport-Security header", expected: "Strict-Transport-Security", observed: "absent")
        }
        guard values.count == 1 else {
            return .fail(
                "Strict-Transport-Security is sent \(values.count) times: browsers may ignore it",
                expected: "one header", observed: values.joined(separator: " | "))
        }
        var maxAge: Int? = nil
        var subdomains = false
        var preload = false
        for directive in header.split(separator: ";") {
            let d = directive.trimmingCharacters(in: .whitespaces).lowercased()
            if d.hasPrefix("max-age=") {
                maxAge = Int(d.dropFirst(8).trimmingCharacters(in: CharacterSet(charactersIn: "\"")))
            }
            if d == "includesubdomains" { subdomains = true }
            if d == "preload" { preload = true }
        }
        var problems: [String] = []
        let wanted = params.int("max_age") ?? 31_536_000
        if let maxAge {
            if maxAge < wanted { problems.append("max-age \(maxAge) is below \(wanted)") }
        } else {
            problems.append("no valid max-age")
        }
        if params["include_subdomains"] == .bool(true), !subdomains { problems.append("no includeSubDomains") }
        if params["preload"] == .bool(true), !preload { problems.append("no preload") }
        return .check(
            problems.isEmpty, expected: "max-age ≥ \(wanted)", observed: "Strict-Transport-Security: \(header)",
            pass: "HSTS max-age \(maxAge ?? 0)", fail: problems.joined(separator: "; "))
    }
}

/// Which Prometheus families answer a monitoring item: the metric names `/metrics` exposes, matched by meaning.
enum Metrics {
    static let families: [String: [String]] = [
        "api-response-time": ["request_duration", "response_time", "request_latency"],
        "error-rate": ["requests_total", "hb_requests", "http_requests", "errors_total"],
        "database-query-performance": ["database", "db_", "query_duration", "sql"],
        "llm-api-latency": ["model_latency", "llm", "completion"],
        "memory-usage": ["resident_memory", "memory_bytes", "heap"],
    ]

    static func check(_ text: String, metric: String) -> Outcome {
        let names = Set(
            text.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.isEmpty }.map {
                String($0.prefix { $0 != "{" && $0 != " " })
            })
        let needles = families[metric] ?? [metric.replacingOccurrences(of: "-", with: "_")]
        let found = names.filter { name in needles.contains { name.contains($0) } }.sorted()
        return .check(
            !found.isEmpty, expected: "a metric for \(metric)",
            observed: found.isEmpty
                ? "\(names.count) metric series, none for \(metric)" : found.prefix(3).joined(separator: ", "),
            pass: "\(metric): \(found.first ?? "")", fail: "no metric for \(metric) among \(names.count) series")
    }
}
