import Testing

@testable import Catalog
@testable import Checklist

/// What the fifth fresh set (fixtures/recognition-fresh5) found read wrongly on its first run, each in other words
/// here: a settings file's line read as a variable, a unit's state as a file, a 429 with its window as a latency
/// target, words about a 429 as a rate-limit check, a probe's configuration as a health check, a flag service's
/// switch as a variable, and params the sentence gives but the plan dropped.
@Suite("Recognition: the fifth fresh set's findings")
struct FifthSetTests {
    static let manual: [(text: String, heading: String)] = [
        ("The app keeps `TIME_ZONE = \"Europe/Oslo\"`; dates are shown in local time", "Django"),
        ("`shop-web.service` and `shop-jobs.service` enabled so they come back after a reboot", "Host"),
        ("The help page explains that a 429 from the upload form means \"retry in a minute\"", "Docs"),
        ("Table `events` is partitioned by week; check that next week's partition exists", "PostgreSQL"),
        ("Editors have been told that `GET /api/reports/yearly` can take up to 40 seconds", "Support"),
        ("Readiness probe on `/ready`, liveness on `/alive`", "Kubernetes"),
        ("`NEW_CHECKOUT` stays off for now — toggled in Unleash, not via env", "Flags"),
        ("Search query mean under 40 ms in `pg_stat_statements`", "Performance"),
        ("Pages load third-party scripts with subresource integrity hashes", "Frontend"),
    ]

    @Test("a settings line, a unit's state, words about a 429, a partition, a probe, a flag service: manual")
    func manualItems() throws {
        for (text, heading) in Self.manual {
            let item = try kindOf(text, under: heading)
            #expect(item.kind == .manual, "\(text) → \(item.kind) \(item.params)")
        }
        // The SQLite integrity check itself is still read as one.
        #expect(try kindOf("SQLite integrity check passes", under: "Storage").kind == Kind(.sqlite, "integrity"))
    }

    @Test("a named file's setting is the file's line, not the behaviour it configures, nor a section header")
    func fileLines() throws {
        let force = try kindOf("`fly.toml` has `force_https = true` in the `[http_service]` block", under: "Fly")
        #expect(force.kind == Kind(.file, "contains"), "\(force.kind)")
        #expect(force.params.string("pattern") == "force_https = true", "\(force.params)")
        let release = try kindOf("`fly.toml` `[deploy]` section has `release_command = \"bin/migrate\"`", under: "Fly")
        #expect(release.params.string("pattern") == "release_command = \"bin/migrate\"", "\(release.params)")
        let toml = try kindOf("`wrangler.toml` has `STAGE = \"prod\"` under `[env.prod.vars]`", under: "Worker")
        #expect(toml.kind == Kind(.file, "contains") && toml.params.string("path") == "wrangler.toml")
        // Written as an env file writes it, it is still a variable.
        #expect(try kindOf("`APP_STAGE=prod`", under: "Environment").kind == Kind(.env, "equals"))
    }

    @Test("a variable's URL shape only when the sentence speaks of it")
    func urlShape() throws {
        #expect(try kindOf("`DATABASE_URL` set", under: "Secrets").kind == Kind(.env, "set"))
        #expect(try kindOf("Database URL: `DATABASE_URL`", under: "Environment").kind == Kind(.env, "url"))
        let scheme = try kindOf("`REDIS_URL` uses the `rediss://` scheme", under: "Environment")
        #expect(scheme.kind == Kind(.env, "url") && scheme.params.string("scheme") == "rediss")
    }

    @Test("the params the sentence gives: a 429's count and window, a JSON field's value, a page, a tag, a role")
    func params() throws {
        let login = try kindOf("`POST /session` answers 429 after 8 attempts within a minute", under: "Auth")
        #expect(login.kind == Kind(.http, "rate_limit"), "\(login.kind)")
        #expect(login.params["max"] == .int(8) && login.params["window"] == .int(60), "\(login.params)")
        let slash = try kindOf("`POST /v2/login`: 12/min, then 429 + `Retry-After`", under: "Auth")
        #expect(slash.params["max"] == .int(12) && slash.params["window"] == .int(60), "\(slash.params)")
        let field = try kindOf("`GET /healthz/cache` returns 200 with `cache` equal to `ok`", under: "Health")
        #expect(field.params.string("field") == "cache" && field.params.string("equals") == "ok", "\(field.params)")
        let page = try kindOf("Pricing page `/pricing` has LCP under 2 s", under: "Frontend")
        #expect(page.kind == Kind(.browser, "vitals") && page.params.string("path") == "/pricing", "\(page.params)")
        let tag = try kindOf("Tag `site-2026-03-01` pushed", under: "Release")
        #expect(tag.kind == Kind(.git, "tag") && tag.params.string("name") == "site-2026-03-01", "\(tag.params)")
        #expect(try kindOf("Tag `latest` moved", under: "Release").params.string("name") != "latest")
        let role = try kindOf("`DELETE /v1/admin/teams/7` with a member's token → 403 (admin role only)", under: "Auth")
        #expect(role.kind == Kind(.http, "auth_required") && role.params.string("role") == "admin", "\(role.params)")
        let account = try kindOf("`/staff` answers 403 for an ordinary customer account", under: "Auth")
        #expect(account.kind == Kind(.http, "auth_required"), "\(account.kind) \(account.params)")
    }
}
