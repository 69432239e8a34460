import Catalog
import Foundation
import Results

/// Verdicts on what a page's loads measured and did (``BrowserProbe``'s survey).
enum BrowserJudge {
    static let names = [
        "load": "page load", "fcp": "first contentful paint", "lcp": "LCP", "cls": "CLS", "tbt": "total blocking time",
        "tti": "time to interactive", "ttfb": "time to first byte", "dcl": "DOMContentLoaded",
    ]

    /// The median of the loads' `metric` against the item's threshold (its unit: ms or s for times, none for CLS).
    static func vitals(_ params: Params, loads: [BrowserProbe.Load], warm: Bool) -> Outcome {
        let metric = params.string("metric") ?? "load"
        if metric == "core" { return core(loads: loads, warm: warm) }
        let values = loads.compactMap { $0.metrics.value(metric) }
        guard !values.isEmpty else { return .error("no such page metric: \(metric)") }
        // A paint that never happened is not a fast one.
        if ["lcp", "fcp"].contains(metric), values.contains(0) {
            return .error("the page painted no content (no \(names[metric] ?? metric) entry): nothing to measure")
        }
        let median = Self.median(values)
        let isScore = metric == "cls"
        let name = names[metric] ?? metric
        func show(_ v: Double) -> String {
            isScore ? String(format: "%.3f", v) : "\(Int(v.rounded())) ms"
        }
        let how = "median of \(loads.count) \(warm ? "warm" : "cold") load\(loads.count == 1 ? "" : "s")"
        var observed = "\(name) \(show(median)) (\(how): \(values.map(show).joined(separator: ", "))"
        if metric == "lcp", let tag = loads.first?.metrics.lcpElement, !tag.isEmpty { observed += "; element: \(tag)" }
        observed += ")"
        guard let bound = params.threshold else {
            return Outcome(.pass, observed: observed, message: "\(name) measured (no threshold given)")
        }
        // A bound in seconds compares in seconds; the measurements are in milliseconds.
        let value = bound.unit == "s" ? median / 1000 : median
        let limit = bound.value == bound.value.rounded() ? String(Int(bound.value)) : String(bound.value)
        let expected = "\(name) \(bound.op) \(limit)\(bound.unit.isEmpty ? "" : " " + bound.unit)"
        return .check(
            bound.isMet(by: value), expected: expected, observed: observed, pass: "\(name) within the target",
            fail: "\(name) over the target")
    }

    /// Core Web Vitals as a lab measures them: the medians of LCP ≤ 2500 ms, CLS ≤ 0.1 and Total Blocking Time
    /// ≤ 200 ms (INP's stand-in without a person's input, as Lighthouse uses it).
    static func core(loads: [BrowserProbe.Load], warm: Bool) -> Outcome {
        let (lcp, cls, tbt) = (
            median(loads.map(\.metrics.lcp)), median(loads.map(\.metrics.cls)), median(loads.map(\.metrics.tbt))
        )
        let misses = [lcp > 2500 ? "LCP" : nil, cls > 0.1 ? "CLS" : nil, tbt > 200 ? "TBT" : nil].compactMap { $0 }
        let observed =
            "LCP \(Int(lcp.rounded())) ms, CLS \(String(format: "%.3f", cls)), TBT \(Int(tbt.rounded())) ms (medians of "
            + "\(loads.count) \(warm ? "warm" : "cold") loads)"
        return .check(
            misses.isEmpty, expected: "LCP <= 2500 ms, CLS <= 0.1, TBT <= 200 ms", observed: observed,
            pass: "Core Web Vitals within Google's targets", fail: "over target: \(misses.joined(separator: ", "))")
    }

    /// Console errors, uncaught exceptions and failed requests while the page loaded.
    static func console(_ record: PageRecord, masked: (String) -> String) -> Outcome {
        var problems = record.console.map(masked)
        for r in record.all {
            if let failure = r.failure { problems.append("request failed: \(masked(r.url)) (\(failure))") }
            if let status = r.status, status >= 400 { problems.append("HTTP \(status): \(masked(r.url))") }
        }
        let observed =
            problems.isEmpty
            ? "no console error, no failed request (\(record.order.count) requests)"
            : "\(problems.count) error\(problems.count == 1 ? "" : "s"): " + problems.prefix(3).joined(separator: "; ")
        return .check(
            problems.isEmpty, expected: "no console error or failed request during load", observed: observed,
            pass: "the page loaded without errors", fail: "the page logged errors while loading")
    }

    static let assetTypes: Set<String> = ["Script", "Stylesheet", "Image", "Font", "Media", "Manifest"]

    /// Every asset the page loads (scripts, styles, images, fonts, media, manifest) answers 2xx or 3xx.
    static func assets(_ record: PageRecord) -> Outcome {
        let assets = record.all.filter { assetTypes.contains($0.type) }
        let broken = assets.filter { $0.failure != nil || ($0.status ?? 0) >= 400 || $0.status == nil }
        let observed =
            broken.isEmpty
            ? "\(assets.count) assets, all served"
            : "\(broken.count) of \(assets.count) assets not served: "
                + broken.prefix(3).map { "\($0.url) (\($0.failure ?? $0.status.map { "HTTP \($0)" } ?? "no answer"))" }
                .joined(separator: "; ")
        if assets.isEmpty {
            return Outcome(
                .fail, expected: "the page's assets served", observed: "the page loads no asset",
                message: "no asset to check")
        }
        return .check(
            broken.isEmpty, expected: "every asset the page loads answers 2xx/3xx", observed: observed,
            pass: "the page's assets are served", fail: "assets of the page are missing")
    }

    /// The page and every request it makes over HTTPS (WebSockets over wss): no mixed content, no plain-HTTP API call.
    static func httpsOnly(url: String, _ record: PageRecord) -> Outcome {
        let plain = record.all.map(\.url).filter { $0.hasPrefix("http://") || $0.hasPrefix("ws://") }
        let observed =
            plain.isEmpty
            ? "\(record.order.count) requests, all over HTTPS"
            : "\(plain.count) over plain HTTP: " + plain.prefix(3).joined(separator: "; ")
        return .check(
            plain.isEmpty, expected: "the page and its requests over HTTPS", observed: observed,
            pass: "every request over HTTPS", fail: "requests over plain HTTP")
    }

    /// Bytes on the wire for one cold load against the item's bound (kB), with the largest requests named.
    static func weight(_ params: Params, _ record: PageRecord) -> Outcome {
        let requests = record.all
        let total = requests.reduce(0) { $0 + $1.bytes }
        let largest = requests.sorted { $0.bytes > $1.bytes }.prefix(3).map {
            "\(URL(string: $0.url)?.lastPathComponent ?? $0.url) \(kB($0.bytes))"
        }
        let observed = "\(kB(total)) in \(requests.count) requests (largest: \(largest.joined(separator: ", ")))"
        guard let bound = params.threshold else {
            return Outcome(.pass, observed: observed, message: "page weight measured (no threshold given)")
        }
        let factor: Double = ["mb", "MB"].contains(bound.unit) ? 1024 : ["b", "B"].contains(bound.unit) ? 1 / 1024 : 1
        let value = Double(total) / 1024 / factor
        return .check(
            bound.isMet(by: value),
            expected: "page weight \(bound.op) \(bound.value) \(bound.unit.isEmpty ? "kB" : bound.unit)",
            observed: observed, pass: "the page's weight within the bound", fail: "the page is heavier than the bound")
    }

    /// The middle value (the mean of the two middle ones for an even count); 0 for none.
    static func median(_ values: [Double]) -> Double {
        let v = values.sorted()
        guard !v.isEmpty else { return 0 }
        return v.count % 2 == 1 ? v[v.count / 2] : (v[v.count / 2 - 1] + v[v.count / 2]) / 2
    }

    static func kB(_ bytes: Int) -> String {
        bytes >= 10 * 1024 ? "\(bytes / 1024) kB" : String(format: "%.1f kB", Double(bytes) / 1024)
    }
}
