import Testing

@testable import Catalog
@testable import Checklist

/// Plans a one-section checklist and returns its items.
func planItems(_ markdown: String) throws -> [PlannedItem] {
    try Planner.plan(ChecklistParser.parse(markdown, path: "t.md")).items
}

/// The kind of a single item written under `heading`.
func kindOf(_ text: String, under heading: String = "Release") throws -> PlannedItem {
    try planItems("## \(heading)\n- [ ] \(text)\n")[0]
}

@Suite("Recognition in other teams' words")
struct RecognitionTests {
    /// Phrasings other teams use, and the kind each must get. None of them is a sentence of the Sprint 5 checklist.
    static let phrasings: [(text: String, heading: String, kind: String)] = [
        ("Journal mode set to WAL", "Database", "sqlite.journal_mode"),
        ("SQLite uses write-ahead logging", "Storage", "sqlite.journal_mode"),
        ("TLS 1.0 and 1.1 disabled", "Edge", "tls.protocols"),
        ("Only TLS 1.3 accepted", "Edge", "tls.protocols"),
        ("p95 latency of `GET /orders` under 250 ms", "SLOs", "latency.request"),
        ("Search p99 no more than 1.2s", "SLOs", "latency.request"),
        ("Checkout API responds in under 300 milliseconds", "SLOs", "latency.request"),
        ("coverage at least 85%", "CI", "artifact.coverage"),
        ("Branch coverage ≥ 70 %", "CI", "artifact.coverage"),
        ("Certificate does not expire within 30 days", "Edge", "tls.expiry"),
        ("TLS certificate chain is trusted", "Edge", "tls.certificate"),
        ("`PAYMENTS_API_KEY` configured", "Config", "env.set"),
        ("`LOG_LEVEL=warn`", "Config", "env.equals"),
        ("`WEB_CONCURRENCY` = 8", "Config", "env.equals"),
        ("`ALLOWED_HOSTS` not a wildcard", "Config", "env.not_wildcard"),
        ("`SENTRY_DSN` points to our project URL", "Config", "env.url"),
        ("Strict-Transport-Security sent with preload", "Headers", "http.hsts"),
        ("All HTTP traffic redirected to HTTPS", "Edge", "http.redirect_https"),
        ("`X-Content-Type-Options: nosniff` header present", "Headers", "http.header"),
        ("Content Security Policy enforced", "Headers", "http.header"),
        ("`/healthz` returns 200", "Ops", "http.status"),
        ("Readiness probe passing", "Ops", "manual"),  // no endpoint named
        ("Login endpoint throttled", "Security", "http.rate_limit"),
        ("Admin routes require authentication", "Security", "http.auth_required"),
        ("Tag `v3.2.1` pushed", "Release", "git.tag"),
        ("`secrets.json` not committed", "Release", "git.untracked"),
        ("`.gitignore` lists `*.pem`", "Release", "git.ignored"),
        ("`alembic upgrade head` runs clean", "Deploy", "postgres.migrations"),  // checked, never run
        ("`make check` passes", "CI", "command.run"),
        ("`./scripts/smoke.sh` exits 0", "Deploy", "command.run"),
        ("Integration suite: 120/120 passed", "CI", "artifact.junit"),
        ("LCP below 2.5 seconds", "Web", "browser.vitals"),
        ("LCP below 2.5 seconds in the Lighthouse CI report", "Web", "artifact.lighthouse"),
        ("Lighthouse SEO score at least 90", "Web", "artifact.lighthouse"),
        ("`docs/runbook.md` written", "Docs", "file.nonempty"),
        ("Release notes published", "Release", "manual"),  // names no file: a person judges it
        ("Index `idx_orders_created` exists", "PostgreSQL", "postgres.index"),
        ("Index `idx_orders_created` exists", "SQLite cache", "sqlite.index"),
        ("All migrations applied", "Postgres", "postgres.migrations"),
        ("Read replica streaming", "PostgreSQL", "postgres.replication"),
        ("Responses gzip-compressed", "Edge", "http.compression"),
        ("Cache-Control headers on static assets", "Edge", "http.cache_headers"),
        ("Checkout flow works end to end", "Smoke", "manual"),  // the config defines the flow
        // Precision without losing what sentences do name (a review's list).
        ("`pre-commit run --all-files` passes", "CI", "command.run"),
        ("`npm test 2>&1 | tee test.log` passes", "CI", "command.run"),
        ("`docker build --tag api .` succeeds", "CI", "command.run"),
        ("Make sure `.env.production` exists", "Config", "file.exists"),
        ("README.md exists", "Docs", "file.exists"),
        ("`model/user.py` exists", "Code", "file.exists"),
        ("`curl -f https://api.example.com/health` returns 200", "Ops", "http.status"),
        ("`npm run test:smoke` passes", "Smoke tests", "command.run"),
        ("Clickjacking protection enabled", "Headers", "http.header"),
        ("RBAC: `/admin` returns 401 for viewers", "Security", "http.auth_required"),
        ("Annotated tag `v2.0.0` pushed", "Release", "git.tag"),
        ("SSL certificate installed and ready for production", "TLS", "tls.certificate"),
        ("Bump `version.txt` to the new version", "Release", "manual"),
        // Precision: a process, a judgement or a product to adopt is not a check of something else.
        ("Apply the pending database migrations", "PostgreSQL", "manual"),
        ("Schema migrations applied", "PostgreSQL", "postgres.migrations"),
        ("Pooling of database connections set up", "PostgreSQL", "manual"),
        ("Indexes added where queries need them", "PostgreSQL", "manual"),
        ("TLS certificate auto-renewal configured", "Edge", "manual"),
        ("Alerts on certificate expiry set up", "Edge", "manual"),
        ("Register the site on the HSTS preload list", "Edge", "manual"),
        ("Cut traffic to the old region (rate limit)", "Cutover", "manual"),
        ("Every link in the marketing pages uses HTTPS URLs", "Content", "manual"),
        ("SSH logins by key only, no passwords", "Hosts", "manual"),
        ("Threads: 8", "Server configured:", "manual"),  // which variable holds it is the deployment's
        ("`notes/CHANGES.md` should be updated with this release", "Release", "manual"),
        ("Run `./tools/refresh-update-cache.sh` before tagging", "Release", "manual"),
        ("All tests passing", "CI", "manual"),  // no suite, no count: which report?
        ("`SESSION_COOKIE_SECURE = True`", "Django", "manual"),  // settings.py, not the environment
        ("`SECURE_HSTS_SECONDS` at least a year", "Security", "http.hsts"),  // the served header says it
        ("`DJANGO_SECRET_KEY` set", "Security", "env.set"),
        ("Previous model version available for rollback", "Models", "manual"),
        ("API tests: 212/212 passing", "CI", "artifact.junit"),
        ("Run `./check.py [API_KEY]` to see which translations are done", "Release", "manual"),
        ("`git remote add upstream https://example.com/x.git`", "Release", "manual"),
        ("TLS 1.0 and 1.1 are no longer supported; TLS 1.2 is the minimum", "Edge", "tls.protocols"),
        ("Never deploy with `DEBUG=True`", "Config", "env.not_equals"),
        ("NODE_ENV=production", "Config", "env.equals"),
        ("`ALLOWED_HOSTS` does not contain `*`", "Config", "env.not_wildcard"),
        ("Source maps not deployed to production", "Web", "file.absent"),
        ("`.env` is listed in `.gitignore`", "Repo", "git.ignored"),
        ("Access-Control-Allow-Origin never `*`", "Headers", "http.cors"),
        ("Certificate chain valid for api.pay.example.com", "Edge", "tls.certificate"),
        ("`GET /healthz` returns 200", "Ops", "http.status"),
        ("Returns 429 with `Retry-After` past the limit", "API", "http.rate_limit"),
        ("p95 latency must not exceed 300 ms", "SLOs", "latency.request"),
        ("Search p95 under 250\u{00A0}ms", "SLOs", "latency.request"),
        ("`max_connections` at least 200", "PostgreSQL", "postgres.setting"),
        ("PgBouncer pool size: max 50", "PostgreSQL", "postgres.pool"),
        // Not what the words first suggest.
        ("Owner: Alice", "Setup", "manual"),
        ("Backups: daily", "Setup", "manual"),
        ("Elasticsearch index rebuilt", "PostgreSQL", "manual"),
        ("Product pages indexed by Google", "SEO", "manual"),
        ("Penetration test passed", "Security", "manual"),
        ("Load test passed at 2x expected traffic", "Performance", "manual"),
        ("Incident response time under 15 minutes", "Ops", "manual"),
        ("Synthetic monitoring coverage for checkout and login", "Ops", "manual"),
        // Targets for people, not measurements.
        ("Rollback completes in < 10 minutes (estimated)", "Ops", "manual"),
        ("Alert when p95 > 2s", "Alerting", "manual"),
        ("Stakeholders informed", "Comms", "manual"),
        ("Legal reviewed the privacy policy", "Comms", "manual"),
        ("Changelog reviewed by product", "Docs", "manual"),  // a person read it; the file's existence says nothing
    ]

    @Test("each phrasing gets its kind", arguments: phrasings)
    func phrasing(_ case_: (text: String, heading: String, kind: String)) throws {
        let item = try kindOf(case_.text, under: case_.heading)
        #expect(item.kind.description == case_.kind, "\(case_.text) under \(case_.heading) (rule \(item.rule))")
    }

    @Test("units normalise to base units in the threshold shape")
    func units() throws {
        let cases: [(String, Threshold)] = [
            ("API latency < 2.5s", Threshold(metric: "p95", op: "<", value: 2500, unit: "ms")),
            ("API latency under 250 ms", Threshold(metric: "p95", op: "<", value: 250, unit: "ms")),
            ("API p99 response no more than 2 minutes", Threshold(metric: "p99", op: "<=", value: 120_000, unit: "ms")),
            ("API median response ≤ 1 second", Threshold(metric: "med", op: "<=", value: 1000, unit: "ms")),
            ("API average response less than 0.5 sec", Threshold(metric: "avg", op: "<", value: 500, unit: "ms")),
            ("API 99th percentile response within 300ms", Threshold(metric: "p99", op: "<=", value: 300, unit: "ms")),
        ]
        for (text, expected) in cases {
            #expect(try kindOf(text).params.threshold == expected, "\(text)")
        }
        #expect(
            try kindOf("Coverage no less than 75 percent").params.threshold
                == Threshold(metric: "line", op: ">=", value: 75, unit: "%"))
        #expect(
            try kindOf("Coverage: 90% or more").params.threshold
                == Threshold(metric: "line", op: ">=", value: 90, unit: "%"))
        #expect(try kindOf("Certificate valid for at least 2 weeks", under: "TLS").params.int("min_days") == 14)
        #expect(try kindOf("HSTS max age at least 2 years").params.int("max_age") == 63_072_000)
        // A setting named in words names no variable: manual, not a guessed SESSION_TIMEOUT.
        #expect(try kindOf("Session timeout configured: 45 minutes").kind == .manual)
    }

    @Test("numbers too large for an Int are clamped, never a crash")
    func hugeNumbers() throws {
        #expect(
            try kindOf("Certificate valid for 99999999999999999999 days", under: "TLS").params.int("min_days")
                == 1_000_000_000_000_000)
        #expect(try kindOf("HSTS max-age at least 999999999999999999 years").params.int("max_age") != nil)
        #expect(
            try kindOf("`products` holds at least 99999999999999999999 rows", under: "SQLite").params.int("min")
                == 1_000_000_000_000_000)
    }

    @Test("months are a unit; rate limits keep their count and window; names come from method and path")
    func moreParams() throws {
        #expect(try kindOf("HSTS max-age at least 6 months").params.int("max_age") == 15_552_000)
        let limit = try kindOf("Login throttled after 5 attempts per minute")
        #expect(limit.params.int("max") == 5)
        #expect(limit.params.int("window") == 60)
        let charge = try kindOf("95th percentile response time of `POST /v1/charges` under 400 ms")
        #expect(charge.params.string("request") == "post-v1-charges")
        #expect(charge.params.threshold?.metric == "p95")
        #expect(try kindOf("Average latency below 120 ms for search").params.string("request") == "search")
        #expect(try kindOf("Jest: 1,204/1,204 tests pass").params.int("tests") == 1204)
    }

    @Test("a secret value in an assignment is masked: the check is that it is set, and it is nowhere in the plan")
    func maskedSecrets() throws {
        let plan = try Planner.plan(
            ChecklistParser.parse(
                """
                ## Deploy to postgres://admin:TopSecret1@db/x
                - [ ] `DB_PASSWORD=hunter2` in the vault
                - [ ] `DATABASE_URL=postgres://orders:S3cretPass@db/orders`
                - [ ] Broker `amqp://u:pa/ss#word@mq/vhost?password=Hunter22` reachable
                - [ ] Custom <!-- gonogo: postgres.connect url="postgres://app:AnnotSecret@db/app" -->
                """, path: "t.md"))
        let json = plan.json.serialized()
        for secret in ["TopSecret1", "hunter2", "S3cretPass", "pa/ss", "Hunter22", "AnnotSecret"] {
            #expect(!json.contains(secret), "\(secret) leaked")
        }
        #expect(plan.items[0].kind == Kind(.env, "set"))
        #expect(plan.items[0].params["secret"] == .bool(true))
        #expect(plan.items[1].kind == Kind(.env, "url"))
    }

    @Test("latency without a percentile means p95, and the plan says it assumed so")
    func assumedMetric() throws {
        let assumed = try kindOf("History retrieval < 500ms")
        #expect(assumed.params["metric_assumed"] == .bool(true))
        let named = try kindOf("History retrieval p99 < 500ms")
        #expect(named.params["metric_assumed"] == nil)
        #expect(named.params.threshold?.metric == "p99")
    }

    @Test("context counts: the heading and the parent decide the database and the index")
    func context() throws {
        let items = try planItems(
            """
            ## PostgreSQL
            - [ ] Indexes created:
              - [ ] `orders_by_day`
            ## SQLite
            - [ ] Indexes created:
              - [ ] `orders_by_day`
            """)
        #expect(items.map(\.kind.description) == ["group", "postgres.index", "group", "sqlite.index"])
        #expect(items[1].params.string("name") == "orders_by_day")
    }

    @Test("a document's production database is the default where an item names none")
    func defaultEngine() throws {
        let items = try planItems(
            "## PostgreSQL (production)\n- [ ] Pool ok\n## Ops\n- [ ] Database migrations applied\n")
        #expect(items[1].kind == Kind(.postgres, "migrations"))
        let none = try planItems("## Ops\n- [ ] Database migrations applied\n")
        #expect(none[0].kind == .manual)
    }

    @Test("optional, if applicable, if enabled, if using: advisory, and so are their children")
    func advisory() throws {
        let items = try planItems(
            """
            - [ ] CDN configured (optional):
              - [ ] Cache policy: 1 year
            - [ ] Replication tested (if applicable)
            - [ ] Dark mode tested (if enabled)
            - [ ] `REDIS_URL` set (if using Redis)
            - [ ] Redis URL (if caching enabled): `REDIS_URL`
            - [ ] WAL mode enabled
            - [ ] Backups are not optional
            - [ ] Mozilla recommended TLS configuration: TLS 1.2 minimum
            - [ ] Metrics exported (  IF Prometheus runs)
            - [ ] Restore drill done (iffy last time)
            """)
        #expect(
            items.map(\.severity) == [
                .advisory, .advisory, .advisory, .advisory, .advisory, .advisory, .blocker, .blocker, .blocker,
                .advisory, .blocker,
            ])
    }

    @Test("a parent whose children check the same family is a group; one adding another family keeps its check")
    func groups() throws {
        let items = try planItems(
            """
            ## Config
            - [ ] CORS origins configured:
              - [ ] `CORS_ORIGINS` restricted to domain(s)
            - [ ] LLM keys configured:
              - [ ] `LLM_API_KEY` set
            """)
        #expect(items.map(\.kind.description) == ["http.cors", "env.not_wildcard", "group", "env.set"])
    }

    @Test("secret names are marked so their values are never shown")
    func secrets() throws {
        for name in ["LLM_API_KEY", "DB_PASSWORD", "GITHUB_TOKEN", "DATABASE_URL", "SENTRY_DSN", "JWT_SECRET"] {
            #expect(try kindOf("`\(name)` set").params["secret"] == .bool(true), "\(name)")
        }
        #expect(try kindOf("`LOG_LEVEL` set").params["secret"] == .bool(false))
    }
}

@Suite("Annotations")
struct AnnotationTests {
    @Test("an annotation overrides recognition, with typed params")
    func overrides() throws {
        let item = try kindOf(
            #"Orders are loaded <!-- gonogo: sqlite.rows path="data/app db.sqlite" table=orders min=3 -->"#)
        #expect(item.kind == Kind(.sqlite, "rows"))
        #expect(item.source == .annotation)
        #expect(item.params.string("path") == "data/app db.sqlite")
        #expect(item.params["min"] == .int(3))
        #expect(item.params["table"] == .string("orders"))
        #expect(item.item.text == "Orders are loaded")
        let indexes = try kindOf("Indexes <!-- gonogo: postgres.index names=idx_a,idx_b -->")
        #expect(indexes.params["names"] == .list(["idx_a", "idx_b"]))
        let hsts = try kindOf("HSTS <!-- gonogo: http.hsts max_age=31536000 preload=true -->")
        #expect(hsts.params["preload"] == .bool(true))
        #expect(hsts.params["max_age"] == .int(31_536_000))
    }

    @Test("an annotation can force manual, and can carry a threshold")
    func manualAndThreshold() throws {
        let forced = try kindOf("WAL mode enabled <!-- gonogo: manual -->")
        #expect(forced.kind == .manual)
        let latency = try kindOf(#"Orders fast <!-- gonogo: latency.request request=orders threshold="p99 < 1.5s" -->"#)
        #expect(latency.params.threshold == Threshold(metric: "p99", op: "<", value: 1500, unit: "ms"))
    }

    @Test(
        "malformed annotations are errors naming the line",
        arguments: [
            "<!-- gonogo: -->",
            "<!-- gonogo: sqlite.journal_mod mode=wal -->",
            "<!-- gonogo: nosuchfamily.check -->",
            "<!-- gonogo: env.set name -->",
            "<!-- gonogo: env.set name=\"unterminated -->",
            "<!-- gonogo: env.set name=A name=B -->",
            "<!-- gonogo: env.set bad-key=1 -->",
            "<!-- gonogo: latency.request threshold=fast -->",
        ])
    func malformed(_ annotation: String) {
        let markdown = "## S\n- [ ] first\n- [ ] second \(annotation)\n"
        do {
            _ = try Planner.plan(ChecklistParser.parse(markdown, path: "t.md"))
            Issue.record("no error for \(annotation)")
        } catch let error as ChecklistError {
            #expect(error.file == "t.md")
            #expect(error.line == 3)
            #expect(error.description.hasPrefix("t.md:3: malformed gonogo annotation"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test("an unknown kind or param suggests the nearest one")
    func suggestion() {
        for (annotation, hint) in [
            ("sqlite.journal_mod", "did you mean `sqlite.journal_mode`"),
            // A misspelt param would otherwise be ignored and the check run on its default.
            (
                "sqlite.journal_mode mdoe=wal",
                "`mdoe` is not a parameter of sqlite.journal_mode (it takes: path, mode); did you mean `mode`?"
            ),
            (
                "tls.certificate host=example.com",
                "`host` is not a parameter of tls.certificate (it takes: valid, ocsp, min_key_bits, signature, chain)"
            ),
            ("manual host=example.com", "manual takes no parameters, not `host`"),
            // Thresholds by hand are read strictly: a unit gonogo does not know, a negative bound, the wrong dimension.
            (#"latency.request request=x threshold="p95 < 200 parsecs""#, "threshold `p95 < 200 parsecs` is not like"),
            (#"latency.request request=x threshold="p95 < -5ms""#, "threshold `p95 < -5ms` is not like"),
            (#"latency.request request=x threshold="p95 < 200%""#, "a latency bound needs a time unit"),
            (#"artifact.coverage threshold="> 200ms""#, "a coverage bound is a percentage"),
        ] {
            do {
                _ = try Planner.plan(ChecklistParser.parse("- [ ] x <!-- gonogo: \(annotation) -->\n", path: "t.md"))
                Issue.record("no error for \(annotation)")
            } catch let error as ChecklistError {
                #expect(error.reason.contains(hint), "\(error.reason)")
                #expect(error.line == 1)
            } catch {
                Issue.record("unexpected \(error)")
            }
        }
    }

    @Test("two annotations on one item are refused")
    func two() {
        #expect(throws: ChecklistError.self) {
            try Planner.plan(
                ChecklistParser.parse("- [ ] x <!-- gonogo: manual --> <!-- gonogo: git.tag -->\n", path: "t.md"))
        }
    }
}

@Suite("Text helpers of the recognisers")
struct TextHelperTests {
    @Test("a host name is dotted labels ending in two letters or more; versions, paths and files are not")
    func hostNames() {
        for host in ["shop.example.com", "api.example.io", "a-b.example.co.uk", "EXAMPLE.COM"] {
            #expect(Recognizers.isHostName(Substring(host)), "\(host)")
        }
        for word in ["1.2", "v2", "./certs", "example.c", "example..com", "example.com,", "a/b.com"] {
            #expect(!Recognizers.isHostName(Substring(word)), "\(word)")
        }
    }

    @Test("includes finds a run of bytes anywhere, and nothing that is not there")
    func includes() {
        #expect("postgresql://db/app".includes("://"))
        #expect("x YOUR_KEY".includes("YOUR_"))
        #expect("aab".includes("ab"))
        #expect(!"a:/b".includes("://"))
        #expect(!"ab".includes("abc"))
        #expect("anything".includes(""))
    }

    @Test("a number word counts as a bound only before a unit; an item with neither number nor unit has none")
    func numberGate() {
        let week = ThresholdParser(tokens: Tokens("renewed within a week")).all()
        #expect(week.map(\.value) == [604_800_000], "\(week)")
        #expect(ThresholdParser(tokens: Tokens("under a minute")).all().first?.value == 60_000)
        #expect(ThresholdParser(tokens: Tokens("under a load balancer")).all().isEmpty)
        #expect(ThresholdParser(tokens: Tokens("p95 under 250 ms")).all().first?.value == 250)
    }
}

@Suite("TLS items read as people mean them")
struct TLSWordingTests {
    func params(_ text: String) throws -> (kind: String, params: Params) {
        let item = try kindOf(text, under: "Edge")
        return (item.kind.description, item.params)
    }

    @Test("supported is accepted, not 'only'; below a version refuses the older ones; SSLv3 named is SSLv3 refused")
    func protocols() throws {
        let supported = try params("TLS 1.3 supported")
        #expect(supported.kind == "tls.protocols")
        #expect(supported.params.strings("accept") == ["1.3"] && supported.params["min"] == nil)
        let below = try params("Disable TLS < 1.2")
        #expect(below.params["min"] == .string("1.2") && below.params.strings("refuse") == ["1.0", "1.1"])
        let older = try params("TLS versions older than 1.2 disabled")
        #expect(older.params["min"] == .string("1.2"), "\(older.params)")
        let only = try params("Only TLS 1.3 accepted")
        #expect(only.params["min"] == .string("1.3") && only.params["accept"] == nil)
        let both = try params("TLS 1.3 enabled; TLS 1.0 and 1.1 disabled")
        #expect(both.params.strings("accept") == ["1.3"] && both.params["min"] == .string("1.2"), "\(both.params)")
        // SSL versions named are refused, with no floor: a server offering TLS 1.0 and no SSL passes "SSLv3 disabled".
        let ssl = try params("SSLv2 and SSLv3 disabled")
        #expect(
            ssl.kind == "tls.protocols" && ssl.params.strings("refuse") == ["ssl2", "ssl3"] && ssl.params["min"] == nil)
        #expect(try params("SSL 3.0 disabled").params.strings("refuse") == ["ssl3"])
        let sslAndTLS = try params("SSLv3, TLS 1.0 and TLS 1.1 disabled")
        #expect(
            sslAndTLS.params.strings("refuse") == ["ssl3", "1.0", "1.1"] && sslAndTLS.params["min"] == .string("1.2"))
        #expect(try params("SSLv3 enabled for legacy clients").kind == "manual")
        // Clause by clause: a version listed without a verb takes the next clause's; an SSL version allowed anywhere
        // is a person's; "SSL" before a number that is no version is none.
        let listed = try params("TLS 1.0, TLS 1.1 disabled")
        #expect(listed.params["min"] == .string("1.2") && listed.params.strings("refuse") == ["1.0", "1.1"])
        let withSupported = try params("SSLv2 and SSLv3 disabled, TLS 1.2 supported")
        #expect(
            withSupported.params.strings("refuse") == ["ssl2", "ssl3"]
                && withSupported.params.strings("accept") == ["1.2"])
        #expect(try params("TLS 1.3 supported, SSLv3 disabled").params.strings("refuse") == ["ssl3"])
        for text in ["SSLv2 disabled, SSLv3 allowed for legacy clients", "SSLv3 enabled on the legacy port; no SSLv2"] {
            #expect(try params(text).kind == "manual", "\(text)")
        }
        #expect(try params("OpenSSL 3.0 installed").kind != "tls.protocols")
        #expect(try params("SSL 2-way authentication off").params["refuse"] == nil)
        // A supported version is never refused; a word far from the version is not "below it".
        let mixed = try params("TLS 1.2 supported; TLS 1.3 preferred")
        #expect(mixed.params["min"] == .string("1.2") && mixed.params.strings("refuse") == ["1.0", "1.1"])
        let stray = try params("TLS 1.1 disabled before go-live")
        #expect(stray.params.strings("refuse")?.contains("1.1") == true && stray.params["min"] == .string("1.2"))
        let supportedOnly = try params("TLS 1.2 and 1.3 supported, older versions disabled")
        #expect(supportedOnly.params["min"] == .string("1.2"), "\(supportedOnly.params)")
        #expect(try params("OCSP stapling disabled").kind == "manual")
        #expect(try params("SSL protocols: TLSv1.2 minimum").params["min"] == .string("1.2"))
    }

    @Test("a certificate sentence names its parts: validity with expiry, today for 'not expired', key bits, OCSP")
    func certificates() throws {
        let valid = try params("SSL certificate valid and not expiring within 30 days")
        #expect(valid.kind == "tls.expiry")
        #expect(valid.params["valid"] == .bool(true) && valid.params.int("min_days") == 30)
        let validFor = try params("Certificate valid for at least 30 days")
        #expect(validFor.params["valid"] == nil && validFor.params.int("min_days") == 30)
        #expect(try params("Certificate not expired").params.int("min_days") == 0)
        #expect(try params("Certificate key at least 4096 bits").params.int("min_key_bits") == 4096)
        #expect(try params("RSA 2048-bit key or stronger on the certificate").params.int("min_key_bits") == 2048)
        let ocsp = try params("OCSP stapling enabled")
        #expect(ocsp.kind == "tls.certificate" && ocsp.params["ocsp"] == .bool(true))
        // A part named alone is that part; "valid" beside it asks for validity too; nothing named is validity.
        #expect(ocsp.params["valid"] == nil)
        #expect(try params("Valid certificate with a 2048-bit key").params["valid"] == .bool(true))
        #expect(try params("SSL certificate installed").params.isEmpty)
        for text in [
            "Certificate signed with SHA-256 or stronger", "No SHA-1 certificates",
            "SHA-2 signature on the certificate",
        ] {
            #expect(try params(text).params["signature"] == .string("sha256"), "\(text)")
        }
        #expect(try params("Certificate signature SHA-384").params["signature"] == .string("sha384"))
        #expect(try params("Certificates for shard 1 installed").params["signature"] == nil)
        // A fingerprint, a pin, a checksum, a hash, other certificates, a CA kept offline: not the served certificate.
        for text in [
            "Certificate fingerprint (SHA-256) recorded in the runbook", "Certificate SHA-256 pin configured",
            "Certificate bundle MD5 checksum verified", "Signing certificates (SHA-256) rotated for JWT",
            "SAML IdP certificate uses SHA-256", "Intermediate CA certificate kept offline",
            "Root and intermediate CA certificates backed up", "mTLS client certificates issued by our intermediate CA",
            "No SSL 3rd-party certificates",
        ] {
            #expect(try params(text).kind == "manual", "\(text)")
        }
        for text in ["Full certificate chain served (intermediates included)", "Intermediate certificates installed"] {
            let chain = try params(text)
            #expect(chain.kind == "tls.certificate" && chain.params["chain"] == .bool(true), "\(text)")
        }
    }
}

@Suite("Header and CORS items read as people mean them")
struct HeaderWordingTests {
    @Test("one value named is checked; two named, only presence; a CSP source refused only where it is negated")
    func headers() throws {
        #expect(try kindOf("X-Frame-Options set to DENY", under: "Security").params["value"] == .string("DENY"))
        #expect(try kindOf("X-Frame-Options set to DENY or SAMEORIGIN", under: "Security").params["value"] == nil)
        let referrer = try kindOf("Referrer policy strict-origin-when-cross-origin", under: "Security")
        #expect(referrer.kind == Kind(.http, "header"))
        #expect(referrer.params["value"] == .string("strict-origin-when-cross-origin"))
        let removed = try kindOf("'unsafe-inline' removed from the CSP", under: "Security")
        #expect(removed.params["absent"] == nil && removed.params.strings("excludes") == ["'unsafe-inline'"])
        let allowed = try kindOf("CSP enforced (not report-only), unsafe-inline allowed for styles", under: "Security")
        #expect(allowed.params["excludes"] == nil, "\(allowed.params)")
        #expect(
            try kindOf("CSP without unsafe-eval", under: "Security").params.strings("excludes") == ["'unsafe-eval'"])
    }

    @Test("an origin a sentence refuses or removes is not the one to allow")
    func corsOrigins() throws {
        #expect(try kindOf("Remove http://localhost:3000 from CORS origins", under: "API").params["origin"] == nil)
        #expect(try kindOf("CORS blocks https://evil.example", under: "API").params["origin"] == nil)
        #expect(
            try kindOf("CORS allows only https://app.example.com", under: "API").params["origin"]
                == .string("https://app.example.com"))
    }
}

@Suite("Recognition: what the sentence names goes into the params")
struct NamedTargetTests {
    @Test("a page named in a code span is the browser check's path; an assets folder or a file is not a page")
    func browserPath() throws {
        #expect(try kindOf("No console errors on `/shop/`", under: "Site").params.string("path") == "/shop/")
        #expect(try kindOf("Core Web Vitals pass on `/menu/`", under: "Site").params.string("path") == "/menu/")
        let assets = try kindOf("Public assets accessible: `/public/*`", under: "Frontend")
        #expect(assets.kind.description == "browser.assets" && assets.params.string("path") == nil)
        #expect(try kindOf("No console errors on the home page", under: "Site").params.string("path") == nil)
    }

    @Test("days written as a floor, a git-ignored database file, a file not in the package, a conditional step")
    func readings() throws {
        #expect(try kindOf("cert has 14+ days left", under: "TLS").params.int("min_days") == 14)
        #expect(try kindOf("`data/lookup.db` is git-ignored", under: "Repo").kind.description == "git.ignored")
        let absent = try kindOf("`publish/appsettings.Development.json` is not in the package", under: "Build")
        #expect(absent.kind.description == "file.absent")
        #expect(try kindOf("Rebuild the cache if the snapshot is older than a day: `make cache`").kind == .manual)
        #expect(try kindOf("no `User:*` ACLs anywhere", under: "Kafka").kind == .manual)
        #expect(
            try kindOf("`Cors__AllowedOrigins` is not a wildcard", under: "API").kind.description == "env.not_wildcard")
    }

    @Test("the same rules do not reach further than they should")
    func bounds() throws {
        #expect(try kindOf("`Navbar__menu` collapses on mobile", under: "Frontend").kind.family != .env)
        #expect(try kindOf("`README.md` is not in sync with the API", under: "Docs").kind.description != "file.absent")
        let calls = try kindOf("API calls from the page to `/api/orders` use HTTPS", under: "Frontend")
        #expect(calls.kind.description == "browser.https_only" && calls.params.string("path") == nil)
        #expect(try kindOf("Order service certificate valid for 30+ days", under: "TLS").kind.family == .tls)
        #expect(try kindOf("`npm audit --audit-level=high` passes (CI fails if not)").kind.description == "command.run")
        #expect(
            try kindOf("Search p95 < 300 ms with 1M rows in PG", under: "SLOs").kind.description == "latency.request")
    }
}
