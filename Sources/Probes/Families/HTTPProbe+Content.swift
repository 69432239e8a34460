import Catalog
import Foundation
import Results

/// `http.compression` and `http.cache_headers`: what an answer carries beside its status.
extension HTTPProbe {
    /// `http.compression`: `encoding` is one encoding, alternatives (`gzip|br`: the client asks for all of them and
    /// any one back passes), or several each asked for alone (`gzip,br`).
    func compression(_ c: HTTPCall) async throws -> Outcome {
        let encoding = (c.params.string("encoding") ?? "gzip").lowercased()
        let path = c.params.string("path") ?? "/"
        let alternatives = encoding.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
        let each =
            alternatives.count > 1
            ? [alternatives] : encoding.split(separator: ",").map { [$0.trimmingCharacters(in: .whitespaces)] }
        var seen: [String] = []
        var missing: [String] = []
        for asked in each {
            let response = try await c.send(
                c.request(path, headers: [("Accept-Encoding", asked.joined(separator: ", "))]))
            let got = (response.header("content-encoding") ?? "none").lowercased()
            seen.append("Content-Encoding: \(got)" + (each.count > 1 ? " (asked for \(asked[0]))" : ""))
            let coded = got.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            if !asked.contains(where: coded.contains) { missing.append(asked.joined(separator: " or ")) }
        }
        let wanted =
            alternatives.count > 1
            ? alternatives.joined(separator: " or ") : encoding.replacingOccurrences(of: ",", with: " and ")
        return .check(
            missing.isEmpty, expected: "Content-Encoding: \(wanted)", observed: seen.joined(separator: "; "),
            pass: "answers are \(wanted)-compressed",
            fail: "no \(missing.joined(separator: ", no ")) compression when the client asks for it")
    }

    func cacheHeaders(_ c: HTTPCall) async throws -> Outcome {
        let response = try await c.send(c.request(c.params.string("path") ?? "/"))
        let cache = response.header("cache-control")
        guard let cache else {
            return .fail("no Cache-Control header", expected: "Cache-Control", observed: "absent")
        }
        if let threshold = c.params.threshold {
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
    }
}
