/// Whether the service is up and working: health endpoints, dependencies, smoke flows, metrics.
extension Recognizers {
    /// "Health check endpoint: `/health`", "API health check passes", "`/ready` returns 200".
    static func health(_ c: ItemContext) -> Recognition? {
        let request = c.code.lazy.compactMap(CodeSpan.request).first
        // A path, or the path of a URL the item names (`https://api.example.com/health`).
        let urlPath = c.code.lazy.compactMap(CodeSpan.pathOfURL).first
        let path = request?.path ?? c.code.first(where: CodeSpan.isURLPath) ?? urlPath
        let healthy = c.own.hasAny(["health", "healthcheck", "health check", "readiness", "liveness"])
        // Health checks being set up or watched ("Health monitoring active", "Liveness probes configured", "Monitor
        // health"), or a health check that names no endpoint: not a request gonogo can make for the sentence.
        if healthy && path == nil && !c.code.contains(where: CodeSpan.isCommand) {
            let setUp = c.own.hasAny([
                "monitor", "monitoring", "monitored", "probe", "probes", "configured", "script", "deployed", "set up",
                "setup", "continuously", "hourly", "scheduled", "alert", "alerts",
            ])
            if setUp || !c.own.has("endpoint") { return Recognition(.manual, rule: "health checks, no endpoint named") }
        }
        // A probe pointed at a path ("Readiness probe on `/health/ready`, liveness on `/health/live`"): the
        // orchestrator's configuration, which the sentence says nothing of the answer of.
        if c.own.hasAny(["probe", "probes"]),
            !c.own.hasAny(["returns", "responds", "answers", "answer", "200", "ok", "healthy", "passes", "passing"])
        {
            return Recognition(.manual, rule: "a probe's configuration")
        }
        let endpoint =
            path != nil
            && c.own.hasAny([
                "endpoint", "accessible", "reachable", "returns", "responds", "available", "200", "ok", "up", "serves",
                "live", "answers", "healthy",
            ])
        guard healthy || endpoint else { return nil }
        // A header the answer must carry ("Preflight `OPTIONS /api/search` answers with `Access-Control-Max-Age:
        // 600`", "`/ready` answers 503 with `Retry-After: 5` while draining"): the status alone would pass without
        // it, and a header check alone would drop the status and the request; the config can name both.
        if c.code.contains(where: { CodeSpan.header($0) != nil }) {
            return Recognition(.manual, rule: "a status and a header together")
        }
        var params: [(String, Params.Value)] = [("path", .string(path ?? "/health")), ("status", .int(200))]
        if let method = request?.method, method != "GET" { params.append(("method", .string(method))) }
        // The status in the prose, never a number of the address (`/v1/stores/118/kpis`).
        if let status = c.prose(c.text).words.first(where: { Int($0).map { (100...599).contains($0) } ?? false }) {
            params[1] = ("status", .int(Int(status)!))
        }
        // A field of the JSON answer: "returns 200 with `country` set", "with `metadatabase.status` = `healthy`".
        let fields = c.code.filter { $0 != path && $0 != request.map { "\($0.method) \($0.path)" } }
        // Or a field and its value side by side: "returns `db` = `ok`", "→ 200, `status` = `UP`", "its JSON says
        // `model_loaded` is `true`" (not a condition: "answers 503 while `state` is `draining`").
        let pair =
            fields.count == 2
            && [
                "\(fields[0]) = \(fields[1])", "\(fields[0]) is \(fields[1])", "\(fields[0]) equal to \(fields[1])",
                "\(fields[0]) equals \(fields[1])", "`\(fields[0])` equal to `\(fields[1])`",
                "`\(fields[0])` equals `\(fields[1])`",
            ].contains { said in
                guard let at = c.text.firstRange(of: said) else { return false }
                let before = c.tokens(String(c.text[..<at.lowerBound]))
                return !before.hasAny(["when", "if", "while", "unless", "otherwise"])
            }
        if let field = fields.first, fields.count <= 2, c.own.has("with") || pair, !["true", "false"].contains(field),
            field.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }),
            c.text.contains("with `\(field)`") || c.text.contains("with \(field)") || pair
        {
            params.append(("field", .string(field)))
            let value = fields.count == 2 ? fields[1] : ""
            if fields.count == 2,
                [
                    "`\(field)` = `\(value)`", "`\(field)` is `\(value)`", "\(field) = \(value)",
                    "\(field) is \(value)",
                    "`\(field)` equal to `\(value)`", "\(field) equal to \(value)", "`\(field)` equals `\(value)`",
                    "\(field) equals \(value)",
                ].contains(where: c.text.contains)
            {
                params.append(("equals", .string(fields[1])))
            } else if fields.count == 2 {
                // ("with `status` and `version`": two fields; the first is checked, the second is not a value.)
                params.removeLast()
            }
        }
        return Recognition(Kind(.http, "status"), params, rule: healthy ? "health endpoint" : "endpoint")
    }

    /// "LLM API connectivity verified", "Redis reachable": a dependency's connectivity. Which request shows it is the
    /// deployment's knowledge, not the sentence's: `manual`, unless the config names the check (`items:` with
    /// `kind: http.status`, `params: {path: /health, field: llm, equals: ok}`).
    static func connectivity(_ c: ItemContext) -> Recognition? {
        guard let i = c.own.words.firstIndex(where: { ["connectivity", "reachable", "reachability"].contains($0) }),
            i > 0
        else { return nil }
        // A command that shows it ("`curl -sf https://…` succeeds") is the command rule's.
        if c.code.contains(where: CodeSpan.isCommand) { return nil }
        return Recognition(.manual, rule: "dependency connectivity")
    }

    /// Under "Smoke tests": "Chat message flow works", "Admin mode (Text-to-SQL) works"; anywhere: "Checkout flow works",
    /// "SQL injection prevention verified".
    static func smoke(_ c: ItemContext) -> Recognition? {
        let verdictWords = [
            "works", "work", "working", "passes", "verified", "succeeds", "ok", "functional", "persists",
        ]
        let inSmoke = c.scope.has("smoke") || c.scope.hasAny(["smoke test", "smoke tests"])
        let flow = c.own.hasAny(["flow", "flows"]) && c.own.hasAny(verdictWords)
        // A flow the sentence names but does not spell out ("Chat message flow works", "SQL injection attempts
        // blocked"): which requests make it up is the deployment's knowledge, so it is `manual` until the config
        // links the item to one of its `http.flows` (`items:` with `kind: http.smoke`, `params: {flow: NAME}`).
        guard (inSmoke && c.own.hasAny(verdictWords)) || flow || c.own.has("sql injection"),
            !c.code.contains(where: CodeSpan.isCommand)  // "`npm run test:smoke` passes": the command rule's
        else { return nil }
        return Recognition(.manual, rule: "a flow the config defines")
    }

    /// Under monitoring: "API response time tracked", "Memory usage monitored".
    static func metrics(_ c: ItemContext) -> Recognition? {
        // A Prometheus metric family named in a code span: `http_server_requests_seconds`, `ingest_rows_total`.
        let suffixes = ["_total", "_seconds", "_bytes", "_count", "_bucket", "_ratio", "_info", "_milliseconds"]
        if let family = c.code.first(where: { f in CodeSpan.isIdentifier(f) && suffixes.contains { f.hasSuffix($0) } })
        {
            var params: [(String, Params.Value)] = [("metric", .string(family))]
            if let path = c.code.first(where: CodeSpan.isURLPath) { params.append(("path", .string(path))) }
            return Recognition(Kind(.http, "metrics"), params, rule: "metric family")
        }
        // The nearest heading and the parents decide: "Monitoring › Frontend Logging" is not about metrics.
        let near = [Tokens(c.item.section.last ?? ""), c.ancestors]
        let monitoring = near.contains {
            $0.hasPrefix("monitor") || $0.hasAny(["metrics", "observability", "telemetry"])
        }
        guard monitoring || c.own.has("prometheus"),
            c.own.hasAny([
                "tracked", "monitored", "measured", "exported", "exposed", "recorded", "collected", "metrics",
            ]),
            !c.own.hasAny(["disk", "host", "hosts", "node", "nodes", "uptime", "cost", "costs", "server", "servers"])
        else { return nil }
        // A metric named in a code span without a Prometheus suffix (`orders_created`), under monitoring.
        if let named = c.code.first(where: { CodeSpan.isIdentifier($0) && $0.contains("_") && !CodeSpan.isEnvName($0) })
        {
            var params: [(String, Params.Value)] = [("metric", .string(named))]
            if let path = c.code.first(where: CodeSpan.isURLPath) { params.append(("path", .string(path))) }
            return Recognition(Kind(.http, "metrics"), params, rule: "metric named")
        }
        // A metric being tracked, with no metric named: a monitor set up, which a person attests (or the config
        // names the metric: `items:` with `kind: http.metrics`, `params: {metric: …}`). Never a name made of the
        // sentence's words.
        return Recognition(.manual, rule: "monitoring set up")
    }
}
