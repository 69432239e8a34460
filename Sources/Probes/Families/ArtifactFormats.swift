import Catalog
import Foundation
import Results

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Coverage from Cobertura XML (`line-rate`, `branch-rate` on the root) or LCOV (`LF`/`LH`, `BRF`/`BRH`).
enum Coverage {
    static func percent(_ file: String, root: String, metric: String) throws -> Double {
        let data = try readArtifact(file, root: root)
        let text = String(decoding: data, as: UTF8.self)
        if text.contains("<coverage") {
            let parser = XMLParser(data: data)
            final class Rates: NSObject, XMLParserDelegate {
                var line: Double?
                var branch: Double?
                func parser(
                    _ parser: XMLParser, didStartElement element: String, namespaceURI: String?,
                    qualifiedName: String?, attributes: [String: String] = [:]
                ) {
                    guard element == "coverage", line == nil else { return }
                    line = attributes["line-rate"].flatMap(Double.init)
                    branch = attributes["branch-rate"].flatMap(Double.init)
                }
            }
            let rates = Rates()
            parser.delegate = rates
            guard parser.parse(), parser.parserError == nil else {
                throw ProbeError.input(file: file, line: parser.lineNumber, "not valid Cobertura XML")
            }
            guard let rate = metric == "branch" ? rates.branch : rates.line else {
                throw ProbeError.input(file: file, line: nil, "no \(metric)-rate on <coverage>")
            }
            return rate * 100
        }
        // LCOV: sum the per-file totals.
        var (found, hit, lineNumber, sawRecord) = (0, 0, 0, false)
        let (foundKey, hitKey) = metric == "branch" ? ("BRF:", "BRH:") : ("LF:", "LH:")
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            if line.hasPrefix("SF:") { sawRecord = true }
            if line.hasPrefix(foundKey) || line.hasPrefix(hitKey) {
                guard let n = Int(line.dropFirst(foundKey.count)) else {
                    throw ProbeError.input(file: file, line: lineNumber, "expected a count after \(line.prefix(3))")
                }
                if line.hasPrefix(foundKey) { found += n } else { hit += n }
            }
        }
        guard sawRecord else {
            throw ProbeError.input(
                file: file, line: nil, "neither Cobertura XML nor LCOV (no <coverage>, no SF: record)")
        }
        return found == 0 ? 0 : Double(hit) * 100 / Double(found)
    }

    static func check(_ params: Params, files: [String], root: String) throws -> Outcome {
        let threshold = params.threshold ?? Threshold(metric: "line", op: ">=", value: 80, unit: "%")
        let metric = threshold.metric == "branch" ? "branch" : "line"
        let values = try files.map { try percent($0, root: root, metric: metric) }
        let value = values.reduce(0, +) / Double(values.count)
        let shown = String(format: "%.1f%%", value)
        return .check(
            threshold.isMet(by: value), expected: "\(metric) coverage \(threshold.op) \(Int(threshold.value))%",
            observed: "\(metric) coverage \(shown)", pass: "\(metric) coverage \(shown)",
            fail: "\(metric) coverage is \(shown), needs \(threshold.op) \(Int(threshold.value))%")
    }
}

/// Lighthouse's JSON report (`lighthouse --output json`): `categories.*.score` (0–1, reported as 0–100),
/// `audits.*.numericValue` for metrics (ms, or unitless for CLS), `audits.*.score` for audits (passing at 0.9).
enum Lighthouse {
    static let vitals: [(audit: String, limit: Double, unit: String)] = [
        ("largest-contentful-paint", 2500, "ms"), ("cumulative-layout-shift", 0.1, ""),
        ("total-blocking-time", 200, "ms"),
    ]

    static func check(_ params: Params, files: [String], root: String) throws -> Outcome {
        let file = files[0]
        let data = try readArtifact(file, root: root)
        guard let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw ProbeError.input(file: file, line: nil, "not a Lighthouse JSON report (not a JSON object)")
        }
        let audits = json["audits"] as? [String: Any] ?? [:]
        func audit(_ id: String) -> [String: Any]? { audits[id] as? [String: Any] }
        if let category = params.string("category") {
            guard let score = ((json["categories"] as? [String: Any])?[category] as? [String: Any])?["score"] as? Double
            else {
                throw ProbeError.input(file: file, line: nil, "no score for the category \(category)")
            }
            let threshold = params.threshold ?? Threshold(metric: "score", op: ">=", value: 90, unit: "")
            let value = (score * 100).rounded()
            return .check(
                threshold.isMet(by: value), expected: "\(category) score \(threshold.op) \(Int(threshold.value))",
                observed: "\(category) score \(Int(value))", pass: "\(category) score \(Int(value))",
                fail: "\(category) score is \(Int(value)), needs \(threshold.op) \(Int(threshold.value))")
        }
        if let metric = params.string("metric") {
            let checks: [(String, Threshold)] =
                metric == "core-web-vitals"
                ? vitals.map { ($0.audit, Threshold(metric: $0.audit, op: "<=", value: $0.limit, unit: $0.unit)) }
                : [(metric, params.threshold ?? Threshold(metric: metric, op: "<=", value: .infinity, unit: ""))]
            var observed: [String] = []
            var failing: [String] = []
            for (id, threshold) in checks {
                guard let value = audit(id)?["numericValue"] as? Double else {
                    throw ProbeError.input(file: file, line: nil, "no numericValue for the audit \(id)")
                }
                let shown = threshold.unit == "ms" ? "\(Int(value.rounded())) ms" : String(format: "%.3f", value)
                observed.append("\(id) \(shown)")
                if !threshold.isMet(by: value) { failing.append("\(id) \(shown) (needs \(threshold.description))") }
            }
            return .check(
                failing.isEmpty, expected: checks.map { $0.1.description }.joined(separator: ", "),
                observed: observed.joined(separator: ", "), pass: observed.joined(separator: ", "),
                fail: failing.joined(separator: "; "))
        }
        if let id = params.string("audit") {
            guard let entry = audit(id) else {
                throw ProbeError.input(file: file, line: nil, "no audit \(id) in the report")
            }
            guard let score = entry["score"] as? Double else {
                return .skip("the audit \(id) does not apply to this page (score null)")
            }
            return .check(
                score >= 0.9, expected: "audit \(id) passing (score ≥ 0.9)", observed: "score \(score)",
                pass: "audit \(id) passes",
                fail: "audit \(id) fails (score \(score)): \(entry["title"] as? String ?? "")")
        }
        return .error("nothing to check: add params.category, metric or audit in gonogo.yml")
    }
}
