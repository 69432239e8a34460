import Testing

@testable import Catalog
@testable import Checklist

/// What the fresh validation set (fixtures/recognition-fresh/) found read wrongly, each in other words: files, names
/// and numbers a sentence mentions while it asserts something else, and params a sentence names that a check dropped.
@Suite("Recognition: things named in passing, and params the sentence names")
struct PassingMentionTests {
    static let manual: [(text: String, heading: String)] = [
        // A rule for people, a file in an aside, what a file does or says.
        ("Nobody copies `.env.prod` into the team chat", "Secrets"),
        ("Announce the release in #general (text: `docs/announce.md`)", "Release"),
        ("`api/handlers/login.ts` does not log passwords", "Privacy"),
        ("The README's setup section says why `.env` stays out of git", "Docs"),
        ("Fixture sizes documented in `tests/data/NOTES.md`", "Data"),
        ("`.env.sample` committed and lists every variable (names only, no values)", "Config"),
        // A command that is a step, or a CI job's result; a migration tool run from a hook.
        ("`poetry lock` done on Monday and the new `poetry.lock` committed", "Dependencies"),
        ("`make verify` passes in CI", "CI"),
        ("Run `bin/rails db:migrate` from the deploy hook", "Database"),
        // A hosting provider's or a cluster's tools.
        ("Replica lag under 1s on the provider dashboard", "Database"),
        ("`PREVIEW_LIST_ID` for deploy previews is the test list (see the host's UI)", "Config"),
        ("cert-manager `Certificate` shows Ready", "Cluster"),
        ("Search dashboard queries p95 under 3 s", "Analytics"),
        // Upper-case names that the sentence does not call variables: a warehouse's objects.
        ("Warehouse `LOAD_WH` suspends after 60 s idle", "Warehouse"),
        ("Backup clone `SALES_BEFORE_V7` created", "Warehouse"),
        // Data checks run on production data, not a CI report.
        ("Expectations suite `orders.critical` passes on the first prod run", "Data quality"),
        // A request other than GET asked for a header.
        ("Preflight `OPTIONS /api/find` answers with `Access-Control-Max-Age: 300`", "CORS"),
    ]

    @Test("a file, a command or a name mentioned in passing leaves the item manual", arguments: manual)
    func staysManual(_ case_: (text: String, heading: String)) throws {
        let item = try kindOf(case_.text, under: case_.heading)
        #expect(item.kind == .manual, "\(case_.text) got \(item.kind) by \(item.rule)")
    }

    @Test("what a review found these rules must not take: the same words in a claim gonogo can check")
    func stillChecked() throws {
        let cases: [(String, String, Kind)] = [
            ("`deploy/Dockerfile` has `USER nobody`", "Containers", Kind(.file, "contains")),
            ("No one-off debug routes: `/debug` returns 404", "API", Kind(.http, "status")),
            ("HSTS enabled on the API and the admin dashboard", "Edge", Kind(.http, "hsts")),
            ("Systemd unit installed (`deploy/systemd/app.service`)", "Host", Kind(.file, "exists")),
            ("`npm test` passes locally and in CI", "CI", Kind(.command, "run")),
            ("`FORWARDED_ALLOW_IPS` restricted to the load balancer", "Reverse proxy", Kind(.env, "not_wildcard")),
            ("TLS certificate (issued by cert-manager) valid for 30 more days", "Edge", Kind(.tls, "expiry")),
        ]
        for (text, heading, kind) in cases {
            let item = try kindOf(text, under: heading)
            #expect(item.kind == kind, "\(text) got \(item.kind) by \(item.rule)")
        }
        // A value that is an address, a duration or a range is not the variable's exact value.
        for text in [
            "`REDIS_URL` set to redis.internal:6379", "`GUNICORN_TIMEOUT` set to 120s", "`WEB_CONCURRENCY` set to 2-4",
        ] {
            #expect(try kindOf(text, under: "Config").kind != Kind(.env, "equals"), "\(text)")
        }
        // A mode named after "not" is refused, not asked for; a word like "Next.js" in a heading is no file.
        let wal = try kindOf("SQLite journal mode is WAL, not `DELETE`", under: "SQLite")
        #expect(wal.params.string("mode") == "wal", "\(wal.params)")
        let next = try planItems("## Next.js\n- [ ] `output: 'standalone'`\n")
        #expect(next[0].params.string("path") != "Next.js", "\(next[0].kind) \(next[0].params)")
        // Permissions said beside existence are still a person's to judge.
        #expect(try kindOf("`tls/privkey.pem` exists, owned by root", under: "Host").kind == .manual)
    }

    @Test("an image reference is no file path")
    func images() {
        #expect(!CodeSpan.isFilePath("ghcr.io/acme/api:3.4.0"))
        #expect(!CodeSpan.isFilePath("registry.example.com/team/app@sha256:abc"))
        #expect(CodeSpan.isFilePath("deploy/app.yaml"))
    }

    @Test("params the sentence names: counts, reports, paths, values, roles, budgets")
    func params() throws {
        let junit = try kindOf("JUnit file `out/junit.xml`: 250 tests, all green", under: "CI")
        #expect(junit.kind == Kind(.artifact, "junit") && junit.params["tests"] == .int(250), "\(junit.params)")
        let results = try kindOf("E2E report `out/e2e/results.xml` has no failures", under: "CI")
        #expect(results.kind == Kind(.artifact, "junit") && results.params.string("path") == "out/e2e/results.xml")
        let coverage = try kindOf("Coverage ≥ 75% (`out/coverage.xml`)", under: "Warehouse release")
        #expect(coverage.kind == Kind(.artifact, "coverage") && coverage.params.string("path") == "out/coverage.xml")
        let sets = try kindOf("`site.toml` sets `output = \"public\"`", under: "Hosting")
        #expect(sets.kind == Kind(.file, "contains") && sets.params.string("pattern") == "output = \"public\"")
        let headerFile = try kindOf("`static/_headers` contains `X-Frame-Options: DENY`", under: "Headers")
        #expect(headerFile.kind == Kind(.file, "contains") && headerFile.params.string("path") == "static/_headers")
        let region = try kindOf("`AWS_REGION` set to us-east-2", under: "Config")
        #expect(region.kind == Kind(.env, "equals") && region.params.string("value") == "us-east-2")
        let cors = try kindOf("CORS: only `https://shop.example` may call `/api/cart`", under: "API")
        #expect(cors.params.string("origin") == "https://shop.example" && cors.params.string("path") == "/api/cart")
        let field = try kindOf("`GET /api/where` returns 200 with `city` set", under: "API")
        #expect(field.kind == Kind(.http, "status") && field.params.string("field") == "city")
        let equals = try kindOf("`GET /health` returns 200 with `db.status` = `up`", under: "Ops")
        #expect(equals.params.string("field") == "db.status" && equals.params.string("equals") == "up")
        let headers = try kindOf("Security header set (nosniff, referrer policy) on `/`", under: "Edge")
        #expect(headers.kind == Kind(.http, "security_headers") && headers.params.string("path") == "/")
        let immutable = try kindOf("`Cache-Control` on `/` must not contain `immutable`", under: "CDN")
        #expect(immutable.kind == Kind(.http, "header") && immutable.params["excludes"] == .list(["immutable"]))
        let viewer = try kindOf("`DELETE /api/v1/docs/7` as a `reader` is refused with 403", under: "Auth")
        #expect(viewer.kind == Kind(.http, "auth_required") && viewer.params.string("role") == "reader")
        let throttle = try kindOf("The proxy throttles logins: 6 attempts per 30 seconds per IP", under: "Abuse")
        #expect(throttle.params["max"] == .int(6) && throttle.params["window"] == .int(30), "\(throttle.params)")
        let accepted = try kindOf("TLS 1.3 accepted", under: "Edge")
        #expect(accepted.params["accept"] == .list(["1.3"]) && accepted.params["refuse"] == nil)
        let journal = try kindOf("Journal mode is `delete`, not WAL, for `data/fixture.db`", under: "SQLite")
        #expect(journal.kind == Kind(.sqlite, "journal_mode") && journal.params.string("mode") == "delete")
    }

    @Test("a heading naming one config file governs the config lines under it; a report a parent names, its children")
    func fromAbove() throws {
        let items = try planItems(
            """
            ## Values (`deploy/chart/values-prod.yaml`)
            - [ ] `replicas: 4`
            ## Frontend
            - [ ] Lighthouse on the landing page (`.lighthouseci/lhr-landing.json`):
              - [ ] LCP < 2 s
              - [ ] `uses-text-compression` audit passes
            """)
        #expect(items[0].kind == Kind(.file, "contains"), "\(items[0].kind) by \(items[0].rule)")
        #expect(items[0].params.string("path") == "deploy/chart/values-prod.yaml")
        for item in items[2...3] {
            #expect(item.kind == Kind(.artifact, "lighthouse"), "\(item.item.text): \(item.kind)")
            #expect(item.params.string("path") == ".lighthouseci/lhr-landing.json", "\(item.item.text)")
        }
    }
}
