import Testing

@testable import Catalog
@testable import Checklist

/// What the fourth fresh set (fixtures/recognition-fresh4) found read wrongly on its first run, each in other words
/// here: a path with "journal" in it read as SQLite's journal mode, a Helm value read as replication, a process's own
/// timing read as a request's latency, "refuse TLS 1.0" read as a floor, variables named in claims about something
/// else read as "set", and params the sentence gives but the plan dropped.
@Suite("Recognition: the fourth fresh set's findings")
struct FourthSetTests {
    static let manual: [(text: String, heading: String)] = [
        ("Follower `HEROKU_POSTGRESQL_TEAL` rebuilt and caught up", "Database"),
        ("Old leader `HEROKU_POSTGRESQL_PLUM` kept attached for a week", "Database"),
        ("workers × `WEB_CONCURRENCY` × dynos stays below the plan's connection cap", "Capacity"),
        ("`STATUS_PAGE_URL` points at the hosted copy", "Cutover"),
        ("The API drains and exits within 20 seconds of `SIGTERM`", "Shutdown"),
        ("gRPC `Catalog/Search` p95 < 80 ms measured in-cluster", "Performance"),
        ("Invalidate the CDN cache once the last deploy is out", "Caching"),
        ("Each outbound call to the bank carries an `Idempotency-Key` header", "Payments"),
        ("`db/schema.rb` regenerated after the merge", "Release"),
        ("Request timeout raised to 30 s in `fly.toml`", "Config"),
        ("Migration job `orders-migrate-42` completed", "Rollout"),
    ]

    @Test("claims about something a name stands for, a process's timing, clearing a cache, a request's header: manual")
    func manualItems() throws {
        for (text, heading) in Self.manual {
            let item = try kindOf(text, under: heading)
            #expect(item.kind == .manual, "\(text) → \(item.kind) \(item.params)")
        }
    }

    @Test("what a review found the new rules must not take: a search index, a 410 Gone, a floor with rejects")
    func notTaken() throws {
        let search = try planItems("# PostgreSQL\n- [ ] Meilisearch index `products` rebuilt\n")[0]
        #expect(search.kind.family != .postgres, "\(search.kind) \(search.params)")
        let gone = try kindOf("Retired routes answer `410 Gone` with the `Sunset` header", under: "API")
        #expect(gone.params["absent"] == nil, "\(gone.kind) \(gone.params)")
        let floor = try kindOf("TLS 1.2 minimum: the edge rejects older clients", under: "TLS")
        #expect(floor.params.string("min") == "1.2", "\(floor.params)")
        #expect(floor.params.strings("refuse")?.contains("1.2") != true, "\(floor.params)")
        let purpose = try kindOf("`SENTRY_DSN` for error tracking", under: "Monitoring")
        #expect(purpose.kind == Kind(.env, "set"), "\(purpose.kind)")
        let available = try kindOf("`OPENAI_API_KEY` available to the API pods", under: "Config")
        #expect(available.kind == Kind(.env, "set"), "\(available.kind)")
        let values = try kindOf("Security headers sent, `Cache-Control` with `no-store` and `max-age`", under: "Edge")
        #expect(values.params.strings("headers") == nil, "\(values.params)")
        let anchor = try kindOf("`docs/runbook.md` has no `## Legacy` section any more", under: "Docs")
        #expect(anchor.params.string("pattern") != "## Legacy" || anchor.kind != Kind(.file, "contains"))
    }

    @Test("a page path holding 'journal' is no journal mode; a Helm value is no replication")
    func wordsInsideNames() throws {
        let headers = try kindOf("Security headers on `/journal/` as well", under: "Edge")
        #expect(headers.kind == Kind(.http, "security_headers"), "\(headers.kind)")
        #expect(headers.params.string("path") == "/journal/")
        let redirect = try kindOf("`GET /diary/journal` → 301 to `/journal/`", under: "Edge")
        #expect(redirect.kind.family != .sqlite, "\(redirect.kind)")
        #expect(try kindOf("SQLite journal in WAL mode", under: "Storage").kind == Kind(.sqlite, "journal_mode"))
        let replicas = try planItems(
            "## Helm\n- [ ] `charts/app/values-prod.yaml`:\n  - [ ] `replicaCount: 4`\n")
        #expect(replicas.last?.kind.family != .postgres, "\(String(describing: replicas.last?.kind))")
        #expect(
            try kindOf("Replica streaming from the primary", under: "PostgreSQL").kind == Kind(.postgres, "replication")
        )
    }

    @Test(
        "the params the sentence gives: refused versions, an absent header, an index's name, a listed set, a heading, the root"
    )
    func params() throws {
        let tls = try kindOf("Does `api.example.com` refuse TLS 1.0 and TLS 1.1?", under: "TLS")
        #expect(tls.kind == Kind(.tls, "protocols"))
        #expect(tls.params.strings("refuse").map(Set.init) == ["1.0", "1.1"], "\(tls.params)")
        let gone = try kindOf("Is the `X-Runtime` header gone from responses?", under: "Headers")
        #expect(gone.kind == Kind(.http, "header") && gone.params["absent"] == .bool(true), "\(gone.params)")
        let index = try kindOf("Does `orders` have the unique index `orders_ref_unique`?", under: "PostgreSQL")
        #expect(index.kind == Kind(.postgres, "index") && index.params.string("name") == "orders_ref_unique")
        let listed = try kindOf(
            "The usual security headers (`X-Frame-Options`, `X-Content-Type-Options`) on API answers", under: "Edge")
        #expect(listed.kind == Kind(.http, "security_headers"))
        #expect(listed.params.strings("headers").map(Set.init) == ["X-Frame-Options", "X-Content-Type-Options"])
        let section = try kindOf("A runbook at `docs/runbook.md` with a `## Database down` section", under: "Docs")
        #expect(section.kind == Kind(.file, "contains") && section.params.string("pattern") == "## Database down")
        let root = try kindOf("Brotli on `/`", under: "Edge")
        #expect(root.kind == Kind(.http, "compression") && root.params.string("path") == "/", "\(root.params)")
        let healthy = try kindOf(
            #"Does `GET /healthz` answer 200 with `"status": "ok"` when its dependencies are healthy?"#, under: "Health"
        )
        #expect(healthy.params.string("field") == "status" && healthy.params.string("equals") == "ok")
        let degraded = try kindOf(
            #"`GET /healthz` returns `{"status": "degraded"}` when Redis is offline"#, under: "Health")
        #expect(degraded.params.string("field") == nil, "\(degraded.params)")
        let failing = try kindOf(
            #"`GET /healthz` answers 503 with `"status": "down"` when the database is unreachable"#, under: "Health")
        #expect(failing.params.string("field") == nil, "\(failing.params)")
    }
}
