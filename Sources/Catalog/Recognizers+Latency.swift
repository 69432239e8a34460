import Checklist

/// Response-time targets measured under load.
extension Recognizers {
    /// "History retrieval < 500ms", "p95 latency of `GET /orders` under 250 ms", "Page load time < 3s".
    static func latency(_ c: ItemContext) -> Recognition? {
        // A request answered in over ten minutes is not a latency target but a process ("incident response").
        guard let bound = ThresholdParser(tokens: c.own).all().first(where: { $0.dimension == .time }),
            ["<", "<="].contains(bound.op), bound.value <= 600_000
        else { return nil }
        let timing =
            c.own.hasAny([
                "latency", "response", "responses", "respond", "responds", "retrieval", "load time", "round trip",
                "ttfb", "time to first byte", "percentile", "median", "request", "requests", "query", "queries",
                "endpoint", "lookup", "search", "api", "page", "render", "answer", "answers", "reply", "replies",
            ]) || ThresholdParser.metric(in: c.own) != nil || c.code.contains { CodeSpan.request($0) != nil }
            || c.parent.hasAny(["response time", "response times", "latency", "performance"])
        // Judge the prose, not the paths: `/v1/batches` is an endpoint, "nightly batch" a job.
        let prose = Tokens(
            c.text.split(separator: " ").filter { !$0.contains("/") && !c.code.contains(String($0)) }
                .joined(separator: " "))
        let notLatency = prose.hasAny([
            "timeout", "ttl", "retention", "rollback", "recovery", "backup", "backups", "expiry", "expires",
            "keep alive", "interval", "window", "cache", "session", "build", "deploy", "deployment", "downtime",
            "incident", "incidents", "support", "customer", "customers", "ticket", "tickets", "escalation", "on call",
            "lag", "replication", "boot", "startup", "start", "restart", "queue", "queues", "gc", "garbage",
            "pause", "pauses", "job", "jobs", "worker", "workers", "batch", "batches", "pipeline", "ingest",
            "cron", "consumer", "sidekiq", "celery",
            // A process's own timing ("exits within 25 s of SIGTERM"): not an answer to a request.
            "sigterm", "exit", "exits", "shutdown", "shut down", "graceful", "drain", "draining",
            // An objective over a window, or figures someone else measured: a report to read, not a request to send.
            "slo", "over 7 days", "over 28 days", "over 30 days", "rolling", "simulator", "staging", "attached",
            "k6 report", "load test report", "in the report",
        ])
        guard timing else { return nil }
        // A dashboard's figure ("under 2 s on Grafana"), or a render timed under emulated network or CPU throttling
        // ("charts render in under 2 s on a throttled 4G profile"): a graph or a lab, not a request gonogo sends.
        // (`manual`, so the rate-limit rule does not read "throttled".)
        if prose.hasAny([
            // gRPC calls, or a figure taken from inside a cluster: not an HTTP request gonogo sends from here.
            "grpc", "inside the cluster", "in cluster", "in-cluster",
            "grafana", "datadog", "kibana", "new relic", "4g", "3g", "network throttling", "cpu throttling",
            "throttled network", "throttled cpu",
        ]) {
            return Recognition(.manual, rule: "not a request gonogo sends")
        }
        guard !notLatency else { return nil }
        // "answers 429 after 10 attempts within a minute": a rate limit's window, not a response time. (After the
        // throttled-network branch above, which keeps "throttled 4G" away from the rate-limit rule.)
        if c.own.matches(rateLimitWords, noting: false) { return nil }
        // Watching response times ("Monitor response times (target: < 200ms)") is a monitor set up; a database's
        // own queries ("Database queries execute in < 100ms", "Query performance < 30 seconds") are not a request
        // gonogo sends. Both for a person, unless the item names a request (`GET /orders`).
        let ownRequest = c.code.contains { CodeSpan.request($0) != nil || CodeSpan.isURLPath($0) }
        if !ownRequest,
            prose.hasPrefix("monitor") || prose.hasAny(["database queries", "db queries", "query performance"])
                // (Read in the database's own statistics: "Feed query mean under 50 ms in `pg_stat_statements`".)
                || c.own.hasAny(["pg stat statements", "slow query log"])
                // Timed inside the database ("upsert latency inside PG < 10 ms (pg_stat_statements)").
                || prose.hasAny([
                    "inside pg", "inside postgres", "inside postgresql", "pg stat statements", "inside the database",
                    "inside mysql",
                ])
        {
            return Recognition(.manual, rule: "not a request gonogo sends")
        }
        // An address to fill in (`GET /v2/payments/{id}`): not one gonogo can ask.
        if c.code.contains(where: { span in
            let path = CodeSpan.request(span)?.path ?? span
            return CodeSpan.isURLPath(path) && (path.contains("{") || CodeSpan.hasPlaceholder(path))
        }) {
            return Recognition(.manual, rule: "a placeholder in the address")
        }
        let named = ThresholdParser.metric(in: c.own)
        let metric = named ?? "p95"
        var params: [(String, Params.Value)] = []
        if let (method, path) = c.code.lazy.compactMap(CodeSpan.request).first {
            params.append(("method", .string(method)))
            params.append(("path", .string(path)))
        } else if let path = c.code.first(where: CodeSpan.isURLPath) {
            params.append(("method", .string("GET")))
            params.append(("path", .string(path)))
        }
        params.append(("request", .string(requestName(c, bound: bound))))
        if c.own.has("page load") || c.own.has("page") && c.scope.hasPrefix("frontend") {
            params.append(("target", .string("frontend")))
        }
        params.append(("threshold", .threshold(bound.threshold(metric: metric))))
        if named == nil { params.append(("metric_assumed", .bool(true))) }
        return Recognition(Kind(.latency, "request"), params, rule: "response-time target")
    }

    /// A name for the measured request: its method and path when the item names them, else the words around the
    /// bound ("History retrieval < 500ms" -> history-retrieval, "Average latency below 120 ms for search" -> search).
    static func requestName(_ c: ItemContext, bound: ThresholdParser.Found) -> String {
        if let (method, path) = c.code.lazy.compactMap(CodeSpan.request).first {
            return ItemIDs.slug("\(method) \(path)", fallback: "request")
        }
        let noise: Set<String> = [
            "latency", "p95", "p99", "p90", "p50", "p999", "of", "time", "times", "response", "responses", "target",
            "targets", "median", "average", "avg", "mean", "percentile", "th", "the", "a", "an", "for", "on", "is",
            "max", "min", "maximum", "minimum", "worst", "peak",
            "are", "be", "must", "should", "stays", "stay", "remains", "all", "at", "in", "with", "under", "load",
        ]
        let words = c.own.words
        func name(_ slice: ArraySlice<String>) -> String {
            slice.filter { !noise.contains($0) && $0.contains(where: \.isLetter) }.joined(separator: " ")
        }
        let before = name(words[..<bound.start])
        let after = name(words[bound.end...])
        return ItemIDs.slug(before.isEmpty ? after : before, fallback: "request")
    }
}
