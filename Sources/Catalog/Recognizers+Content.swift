/// What a response carries beside its status: compression and cache headers. Redirects, headers, CORS, rate limits
/// and auth: Recognizers+HTTP.swift.
extension Recognizers {
    /// "Gzip compression enabled", "Compression enabled (gzip)", "Brotli on".
    static func compression(_ c: ItemContext) -> Recognition? {
        guard c.own.hasAny(["gzip", "brotli", "compression", "compressed", "deflate", "zstd"]),
            !c.own.hasAny(["backup", "backups", "log", "logs", "archive", "archives", "image", "images"])
        else { return nil }
        // Every encoding named, in the order named: "gzip or brotli" is either (`gzip|br`), "gzip and brotli" each
        // (`gzip,br`); none named is gzip.
        var named: [String] = []
        for word in c.own.words {
            let encoding: String? =
                switch word {
                case "gzip": "gzip"
                case "brotli", "br": "br"
                case "zstd": "zstd"
                case "deflate": "deflate"
                default: nil
                }
            if let encoding, !named.contains(encoding), c.own.contains(word) { named.append(encoding) }  // as evidence
        }
        let encoding = named.isEmpty ? "gzip" : named.joined(separator: c.own.has("or") ? "|" : ",")
        return Recognition(Kind(.http, "compression"), [("encoding", .string(encoding))], rule: "compression")
    }

    /// "Cache headers configured", "Cache policy: 1 year for versioned files", "Request/response caching configured".
    static func caching(_ c: ItemContext) -> Recognition? {
        let headers = c.own.has("cache") && c.own.hasAny(["header", "headers", "control", "policy", "policies"])
        let responses =
            c.own.hasPrefix("cach")
            && (c.own.hasAny(["response", "responses", "http", "browser", "cdn", "html", "pages", "assets", "static"])
                || c.own.has("cached"))
        guard headers || responses || c.code.contains(where: { $0.lowercased().hasPrefix("cache-control") }),
            !c.own.hasAny(["layer", "redis", "memcached", "memcache", "if using"]), c.own.words.first != "update"
        else { return nil }
        // Clearing a cache ("Purge the CDN cache after the final deploy"): an act, not the headers it leaves.
        if c.own.hasAny(["purge", "purged", "invalidate", "invalidated", "flush", "flushed", "clear", "cleared"]) {
            return Recognition(.manual, rule: "clearing a cache")
        }
        // What an in-memory store caches, under its heading ("Cached features expire after 15 minutes" under
        // "Redis"): the application's cache, not a response's headers, unless the sentence speaks of HTTP.
        if c.scope.hasAny(["redis", "memcached", "memcache", "valkey"]), c.code.isEmpty, !headers,
            !c.own.hasAny(["response", "responses", "http", "browser", "cdn", "html", "pages", "assets", "static"])
        {
            return Recognition(.manual, rule: "an application cache")
        }
        // "`Cache-Control` on `/` must not contain `immutable`": the header, without that value.
        if c.code.contains(where: { $0.lowercased() == "cache-control" }),
            c.own.hasAny(["not contain", "never contain", "without", "must not include", "not include"]),
            let refused = c.code.last(where: {
                $0.lowercased() != "cache-control" && $0 != "/" && !CodeSpan.isURLPath($0)
            })
        {
            var params: [(String, Params.Value)] = [("name", .string("Cache-Control"))]
            if let path = c.code.first(where: { $0 == "/" || CodeSpan.isServicePath($0) }) {
                params.insert(("path", .string(path)), at: 0)
            }
            return Recognition(Kind(.http, "header"), params + [("excludes", .list([refused]))], rule: "header")
        }
        // A header written out in full is checked as written: `Cache-Control: no-store` on `/v1/batches`.
        if let (name, value) = c.code.lazy.compactMap(CodeSpan.header).first {
            var params: [(String, Params.Value)] = [("name", .string(name)), ("value", .string(value))]
            if let path = c.code.first(where: CodeSpan.isURLPath) { params.append(("path", .string(path))) }
            return Recognition(Kind(.http, "header"), params, rule: "header")
        }
        var params: [(String, Params.Value)] = []
        let all = c.code.joined(separator: " ").lowercased()
        if let r = all.firstRange(of: "max-age="), let v = Double(all[r.upperBound...].prefix { $0.isNumber }) {
            params.append(("threshold", .threshold(Threshold(metric: "max_age", op: ">=", value: v, unit: "s"))))
        } else if let bound = ThresholdParser(tokens: c.own).all().first(where: { $0.dimension == .time }) {
            params.append(("threshold", .threshold(bound.threshold(metric: "max_age", timeBase: "s"))))
        } else if let seconds = ThresholdParser.firstDurationSeconds(in: c.own) {
            params.append(
                ("threshold", .threshold(Threshold(metric: "max_age", op: ">=", value: Double(seconds), unit: "s"))))
        }
        // The address the sentence names ("`/static/css/app.3f9a1c.css` comes back with …"): that one's headers.
        if let path = c.code.first(where: CodeSpan.isServicePath) { params.insert(("path", .string(path)), at: 0) }
        return Recognition(Kind(.http, "cache_headers"), params, rule: "cache headers")
    }
}
