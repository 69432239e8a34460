import Testing

@testable import Catalog
@testable import Checklist

/// Sentences that name what a check reads, but assert something else: the false automations the project's own
/// recognition corpus (fixtures/recognition/) found, each in other words here. And the params the sentence gives
/// that a check must use (the address, the JSON field, the report, the env file, the URL scheme).
@Suite("Recognition: what the sentence asserts, and what it names")
struct PrecisionTests {
    static let manual: [(text: String, heading: String)] = [
        // A command named for what it prints, as an aside, on a schedule or on another machine.
        ("All queue workers show as up in `docker compose ps`", "Containers"),
        ("`kubectl get pods` shows every pod Running", "Cluster"),
        ("Log shipping timer active (`systemctl list-timers`)", "Host"),
        ("Weekly `pg_dump` copied off-site", "Backups"),
        ("`certbot renew --dry-run` succeeds on the prod box", "TLS"),
        ("The image builds with `docker build .` to produce the release tag", "Build"),
        // A file named for something a person judges, or a directory for what happens under it.
        ("`secrets/prod.key` has mode 0400 and belongs to root", "Host"),
        ("Release notes (`docs/notes.md`) proofread by the docs team", "Docs"),
        ("Code under `billing/` had a second reviewer", "Process"),
        ("Add a `## Next` heading back to `CHANGES.md`", "Release"),
        ("`healthcheck:` set on every service in `compose.prod.yml`", "Containers"),
        // Seen in a log, a third party's console, a load test or staging.
        ("429 responses visible in the access log", "Edge"),
        ("Header violations land in the error tracker", "Edge"),
        ("Bot rule in Cloudflare disabled", "Edge"),
        ("p99 under 200 ms during the load test", "Performance"),
        ("p95 under 300 ms in staging", "Performance"),
        ("Availability SLO: 99.9% of requests under 800 ms over 30 days", "SLOs"),
        // Certificates that are not the one the service serves, and certificate files in the repository.
        ("VPN client certificates reissued", "Security"),
        ("Apple distribution certificate valid for 60 more days", "Mobile"),
        ("`infra/certs/` is git-ignored", "Repo"),
        // An address with a placeholder; a variable whose value the sentence gives in other words.
        ("`DELETE /api/users/{id}` requires authentication", "API"),
        ("`REGION` is the primary region of the account, `EU_WEST_1`", "Config"),
        ("`BUILD_SHA` set in the workflow", "CI"),
        ("`SENTRY_DSN` is set in `.github/workflows/deploy.yml`", "CI"),
        ("`git status` is clean", "Release"),
        ("`.env` is 0600", "Host"),
        ("`secrets.yml` perms are 600", "Host"),
    ]

    @Test("a sentence that names what a check reads but asserts something else stays manual", arguments: manual)
    func staysManual(_ case_: (text: String, heading: String)) throws {
        let item = try kindOf(case_.text, under: case_.heading)
        #expect(item.kind == .manual, "\(case_.text) got \(item.kind) by \(item.rule)")
    }

    @Test("a command whose success is the assertion is still a check; one named for its output is not")
    func commands() throws {
        for text in [
            "`npm audit --omit=dev` passes", "Lint: `npm run lint`", "`bundle exec rubocop` has zero offenses",
            "`flake8 src` exits 0", "`terraform validate` is clean",
        ] {
            #expect(try kindOf(text, under: "CI").kind == Kind(.command, "run"), "\(text)")
        }
    }

    @Test("params the sentence names: the address, the JSON field, the report, the env file, the URL scheme")
    func params() throws {
        let compressed = try kindOf("`/static/site.css` is served compressed (gzip or br)", under: "Web")
        #expect(compressed.kind == Kind(.http, "compression"))
        #expect(compressed.params.string("path") == "/static/site.css")
        let status = try kindOf("`GET /status` returns 200 with `{\"queue\": \"idle\"}`", under: "Ops")
        #expect(status.kind == Kind(.http, "status"))
        #expect(status.params.string("field") == "queue" && status.params.string("equals") == "idle")
        let coverage = try kindOf("Line coverage at least 80% in `build/cobertura.xml`", under: "CI")
        #expect(coverage.kind == Kind(.artifact, "coverage"))
        #expect(coverage.params.string("path") == "build/cobertura.xml")
        let env = try kindOf("`APP_MODE=live` in `.env.live`", under: "Config")
        #expect(env.kind == Kind(.env, "equals"))
        #expect(env.params.string("env_file") == ".env.live")
        let url = try kindOf("`CACHE_URL` is a `rediss://` URL", under: "Config")
        #expect(url.kind == Kind(.env, "url") && url.params.string("scheme") == "rediss")
        let hsts = try kindOf("HSTS sent with a max-age of at least 63072000", under: "Edge")
        #expect(hsts.params["max_age"] == .int(63_072_000))
        let ignored = try kindOf("`.env.local` is listed in `.dockerignore`", under: "Containers")
        #expect(ignored.kind == Kind(.file, "contains"))
        #expect(ignored.params.string("path") == ".dockerignore" && ignored.params.string("pattern") == ".env.local")
        let directive = try kindOf("`server_tokens off;` in `ops/nginx/site.conf`", under: "nginx")
        #expect(directive.params.string("path") == "ops/nginx/site.conf" && directive.params["target"] == nil)
        let value = try kindOf("`BUILD_VERSION = 2.0.1` in `app/build.gradle`", under: "Mobile")
        #expect(value.kind == Kind(.file, "contains") && value.params.string("path") == "app/build.gradle")
    }

    @Test("what the review found read wrongly: a document's path, a failure's body, a folder, an env var's name")
    func reviewed() throws {
        // A document or a config the sentence mentions is not the address the check asks.
        let documented = try kindOf("HSTS enabled; runbook at `/wiki/tls`", under: "Edge")
        #expect(documented.kind == Kind(.http, "hsts") && documented.params["path"] == nil)
        let limits = try kindOf("Rate limiting returns 429; limits in `/mnt/config/limits.yml`", under: "API")
        #expect(limits.params["path"] == nil)
        // A body for a failure, a boolean or an object is not the field a success must show.
        for text in [
            "`/healthz` returns 200; on failure it returns `{\"status\": \"degraded\"}`",
            "`/healthz` returns 200 with `{\"ok\": true}`",
            "`/healthz` returns 200 with `{\"checks\": {\"db\": \"ok\"}}`",
        ] {
            let item = try kindOf(text, under: "Ops")
            #expect(item.params["field"] == nil && item.params["equals"] == nil, "\(text): \(item.params)")
        }
        let inFolder = try kindOf("`robots.txt` is present in `public/`", under: "Web")
        #expect(inFolder.kind == Kind(.file, "exists") && inFolder.params.string("path") == "public/robots.txt")
        // A variable's name in the prose is not a place ("FIREBASE", "CLOUDFLARE").
        #expect(try kindOf("CLOUDFLARE_ZONE_ID is set in production", under: "Config").rule != "seen elsewhere")
        // "http or https" names no scheme; "is set (used by `sentry-sdk`)" is still a check that it is set.
        #expect(try kindOf("`API_URL` is a valid URL (http or https)", under: "Config").params["scheme"] == nil)
        #expect(try kindOf("`SENTRY_DSN` is set (used by `sentry-sdk`)", under: "Config").kind == Kind(.env, "set"))
        // Commands whose success words are in their own name are not asserted to succeed.
        #expect(try kindOf("`npm run e2e:pass` output checked", under: "CI").kind == .manual)
    }

    @Test("a parent that only introduces a file's contents is a group")
    func introducesFile() throws {
        let items = try planItems(
            """
            ## Risk
            - [ ] Limits file `config/limits.yaml` contains:
              - [ ] `max_orders_per_second: 20`
              - [ ] `price_collar_bps: 150`
            """)
        #expect(items[0].kind == .group)
    }

    @Test("a config line under the item that names its file is that file's contents, whatever words it holds")
    func configLines() throws {
        let items = try planItems(
            """
            ## Edge
            - [ ] In `ops/proxy/tls.conf`:
              - [ ] `ssl_protocols TLSv1.2 TLSv1.3;`
              - [ ] `ssl_prefer_server_ciphers on;`
            - [ ] Security settings in `portal/settings/prod.py`:
              - [ ] `SECURE_HSTS_SECONDS = 63072000`
            - [ ] Limits file `config/limits.yaml` contains:
              - [ ] `max_orders_per_second: 20`
            - [ ] In `.env.prod`:
              - [ ] `APP_MODE=live`
            """)
        let lines = [
            "ssl_protocols TLSv1.2 TLSv1.3;", "ssl_prefer_server_ciphers on;", "SECURE_HSTS_SECONDS = 63072000",
        ]
        for (item, (path, pattern)) in zip(
            [items[1], items[2], items[4], items[6]],
            [
                ("ops/proxy/tls.conf", lines[0]), ("ops/proxy/tls.conf", lines[1]),
                ("portal/settings/prod.py", lines[2]), ("config/limits.yaml", "max_orders_per_second: 20"),
            ])
        {
            #expect(item.kind == Kind(.file, "contains"), "\(item.item.text): \(item.kind) by \(item.rule)")
            #expect(item.params.string("path") == path && item.params.string("pattern") == pattern)
        }
        // An env file's lines are variables.
        #expect(items[8].kind == Kind(.env, "equals"))
    }

    @Test("what the sentence says exactly: a version switched on, a status, a role, a budget, a registry name")
    func exactly() throws {
        // "TLS 1.3 on" asks that 1.3 be accepted; it says nothing of older versions.
        let on = try kindOf("TLS 1.3 on", under: "Edge")
        #expect(on.kind == Kind(.tls, "protocols") && on.params["accept"] == .list(["1.3"]) && on.params["min"] == nil)
        // A name from TLS's registry is no variable.
        let scsv = try kindOf("Downgrade signal: `TLS_FALLBACK_SCSV` respected", under: "Edge")
        #expect(scsv.kind == Kind(.tls, "fallback_scsv"), "\(scsv.kind) by \(scsv.rule)")
        #expect(CodeSpan.isTLSIdentifier("TLS_FALLBACK_SCSV") && !CodeSpan.isTLSIdentifier("TLS_CERT_FILE"))
        // 403 said of an address with nothing about who asks: that status, not "401 without a token".
        let status = try kindOf("`/server-status` answers 403 from outside", under: "Edge")
        #expect(status.kind == Kind(.http, "status") && status.params["status"] == .int(403))
        #expect(status.params.string("path") == "/server-status")
        // The role a route is for, named by the sentence.
        let ops = try kindOf("`/admin/queues` needs the `ops` role: 401 anonymous, 403 for others", under: "Security")
        #expect(ops.kind == Kind(.http, "auth_required") && ops.params.string("role") == "ops")
        let only = try kindOf("Only `auditor` may call `GET /audit/export`; anyone else gets 403", under: "Security")
        #expect(only.params.string("role") == "auditor" && only.params.string("path") == "/audit/export")
        // "429 after 10 tries": ten allowed.
        let budget = try kindOf("`POST /session`: 429 after 10 tries in a minute", under: "Abuse")
        #expect(budget.kind == Kind(.http, "rate_limit") && budget.params["max"] == .int(10))
        // A value the sentence gives in other words than an assignment, even shaped like a name.
        #expect(try kindOf("`VENDOR_ID` is the id the vendor issued us, `ACME_7`", under: "Config").kind == .manual)
        // A file named in a clause about what happened is not asked to exist.
        #expect(try kindOf("Token rotated since `.env.staging` leaked in a ticket", under: "Security").kind == .manual)
        // The count a migrations table must reach; the address a cache rule is about.
        let migrations = try kindOf(
            "`schema_migrations` holds at least 30 rows (migrations applied)", under: "PostgreSQL")
        #expect(migrations.kind == Kind(.postgres, "migrations") && migrations.params["min"] == .int(30))
        // A number of the address is no status.
        let store = try kindOf("`GET /v1/stores/118/kpis` returns 200", under: "API")
        #expect(store.kind == Kind(.http, "status") && store.params["status"] == .int(200), "\(store.params)")
        let cache = try kindOf(
            "Fingerprinted files like `/assets/app.9f8e.js` come back with `Cache-Control` max-age of 30 days or more",
            under: "CDN")
        #expect(cache.kind == Kind(.http, "cache_headers") && cache.params.string("path") == "/assets/app.9f8e.js")
    }
}
