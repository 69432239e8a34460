import Foundation
import GRDB
import TestSupport
import Testing

/// A project tree shaped like the Sprint 5 deployment: env files (with canary secrets), docs, an nginx site, a git
/// repository with tags, and a SQLite database made by chat-api itself. Built fresh for each test.
enum VerifyFixture {
    static let canaries = ["sk-canary-5e1f0c2a9d7b4e38", "canary-pg-password-71c3", "canary-sentry-key-9a2f"]

    static let env = """
        # production settings
        export LLM_API_KEY=\(canaries[0])
        LLM_MODEL=gpt-4
        LLM_BASE_URL=https://api.openai.com/v1
        DATABASE_URL="postgresql://chat:\(canaries[1])@db.internal:5432/chat"
        REDIS_URL=redis://cache.internal:6379/0
        DEBUG=false
        CORS_ORIGINS=https://chat.example.com
        RATE_LIMIT_WINDOW=60
        RATE_LIMIT_MAX_REQUESTS=100
        UVICORN_WORKERS=4
        UVICORN_TIMEOUT=120
        UVICORN_KEEP_ALIVE=65
        PORT=8000
        NEXT_PUBLIC_API_URL=https://api.example.com
        LOG_FORMAT=json
        LOG_LEVEL=INFO   # production
        SENTRY_DSN='https://\(canaries[2])@o1.ingest.sentry.io/1'
        SENTRY_RELEASE=chat@1.0.0
        SESSION_TIMEOUT=3600
        REMEMBER_ME_TTL=2592000

        """

    static let config = """
        # gonogo.yml for the fixture project
        root: .
        env_files: [.env.production]
        sqlite: data/messages.db
        targets:
          docs: ["docs/**/*.md", README.md]
          nginx: [deploy/nginx/*.conf]
        artifacts:
          junit: [reports/junit/*.xml]
          coverage: [reports/coverage.xml]
          lighthouse: [reports/lighthouse.json]
        items:
          "*/ssh-key-based-auth-no-passwords":
            kind: file.contains
            params: {path: deploy/sshd_config, pattern: PasswordAuthentication no}
          "*/certificate-renewal-automated-certbot":
            kind: tls.expiry
            params: {min_days: 30}

        """

    static let files: [String: String] = [
        "README.md": "# Chat\n\nSee the deployment guide in docs/.\n",
        "frontend/doc/api-contract.md": "# API contract\n",
        "docs/ARCHITECTURE_S5.md": "# Architecture\n",
        "docs/TESTING_GUIDE_S5.md": "# Testing guide\n",
        "docs/operations.md": """
        # Operations
        ## Deployment guide
        ## Runbook
        ## Known issues
        ## Backup strategy
        ## Secret rotation policy
        ## Contact information
        ## Release notes
        """,
        "deploy/nginx/chat.conf": """
        limit_req_zone $binary_remote_addr zone=api:10m rate=10r/s;
        server {
            location / {
                limit_req zone=api burst=20;
                proxy_pass http://localhost:8000;
                proxy_set_header X-Real-IP $remote_addr;
                proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            }
        }
        """,
        "deploy/sshd_config": "PasswordAuthentication no\n",
        ".gitignore": ".env\n.env.production\ndata/\n",
        ".env": "NEXT_PUBLIC_API_URL=https://api.example.com\n",
        "static/app.js.map": "{}\n",
        "reports/junit/backend.xml": junit([("unit", 30, 0), ("integration", 16, 0), ("performance", 15, 0)]),
        "reports/junit/frontend.xml": junit([("e2e", 29, 0), ("component rendering", 12, 0)]),
        "reports/coverage.xml": """
        <?xml version="1.0" ?>
        <coverage line-rate="0.853" branch-rate="0.71" version="7.4" timestamp="1">
          <packages/>
        </coverage>
        """,
        "reports/lighthouse.json": lighthouse(performance: 0.95, lcp: 2100, cls: 0.04, tti: 3900, tbt: 120),
    ]

    /// A JUnit XML file of suites (name, tests, failures), each test a `<testcase>`; no counts in attributes for the
    /// odd-numbered suites, so both ways of counting are exercised.
    static func junit(_ suites: [(String, Int, Int)]) -> String {
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n"
        for (n, (name, tests, failures)) in suites.enumerated() {
            xml +=
                n % 2 == 0
                ? "  <testsuite name=\"\(name)\" tests=\"\(tests)\" failures=\"\(failures)\" errors=\"0\" skipped=\"0\">\n"
                : "  <testsuite name=\"\(name)\">\n"
            for t in 0..<tests {
                xml += "    <testcase classname=\"\(name)\" name=\"t\(t)\">"
                xml += t < failures ? "<failure message=\"boom\">trace</failure>" : ""
                xml += "</testcase>\n"
            }
            xml += "  </testsuite>\n"
        }
        return xml + "</testsuites>\n"
    }

    /// A Lighthouse JSON report with the fields gonogo reads.
    static func lighthouse(performance: Double, lcp: Double, cls: Double, tti: Double, tbt: Double) -> String {
        let audits: [String: Any] = [
            "largest-contentful-paint": ["numericValue": lcp, "score": 0.9],
            "cumulative-layout-shift": ["numericValue": cls, "score": 1],
            "interactive": ["numericValue": tti, "score": 0.9],
            "total-blocking-time": ["numericValue": tbt, "score": 0.95],
            "unused-javascript": ["score": 1, "title": "Reduce unused JavaScript"],
            "uses-optimized-images": ["score": 1, "title": "Efficiently encode images"],
            "font-display": ["score": 1, "title": "All text remains visible during webfont loads"],
        ]
        let report: [String: Any] = [
            "lighthouseVersion": "12.0.0", "categories": ["performance": ["score": performance]], "audits": audits,
        ]
        let data = try! JSONSerialization.data(withJSONObject: report, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    /// Makes the tree in a new directory and returns it.
    static func make() throws -> URL {
        let dir = try Executables.temporaryDirectory("verify-fixture")
        for (path, text) in files.merging([".env.production": env, "gonogo.yml": config], uniquingKeysWith: { $1 }) {
            let url = dir.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        let database = ["DATABASE_URL": "sqlite:data/messages.db"]
        for arguments in [["migrate"], ["seed", "--sessions", "2", "--messages", "4"]] {
            let run = try Executables.run("chat-api", arguments, environment: database, directory: dir.path)
            guard run.status == 0 else { throw ServerProcess.ServerError(description: run.stderr) }
        }
        let git = ["-c", "user.name=Fixture", "-c", "user.email=fixture@example.com"]
        for arguments in [
            ["init", "-q"], git + ["add", "."], git + ["commit", "-q", "-m", "v0.9"], ["tag", "v0.9.0"],
            git + ["commit", "-q", "--allow-empty", "-m", "s5"], ["tag", "v1.0.0-s5"],
        ] {
            let run = try Executables.run(path: "/usr/bin/git", arguments, directory: dir.path)
            guard run.status == 0 else { throw ServerProcess.ServerError(description: run.stderr) }
        }
        return dir
    }

    static var checklist: String { Executables.repositoryRoot + "/checklists/sprint5-production.md" }
}

/// The report of a run, parsed.
struct Report {
    let run: Run
    let json: [String: Any]
    var items: [[String: Any]] { json["items"] as? [[String: Any]] ?? [] }
    func item(_ id: String) -> [String: Any]? { items.first { $0["id"] as? String == id } }

    init(_ run: Run) {
        self.run = run
        json = (try? JSONSerialization.jsonObject(with: Data(run.stdout.utf8))) as? [String: Any] ?? [:]
    }
}

@Suite("gonogo verify: local checks")
struct VerifyTests {
    func postgresItems(_ report: Report) -> [[String: Any]] {
        report.items.filter { ($0["kind"] as? String ?? "").hasPrefix("postgres.") }
    }

    static let localFamilies = ["env", "file", "git", "sqlite", "command", "artifact"]

    @Test("the Sprint 5 checklist against the fixture: every env, file, git, sqlite and artifact item runs and passes")
    func sprint5() async throws {
        let dir = try await VerifyFixture.make()
        let out = dir.appendingPathComponent("report")
        let run = try await gonogo([
            "verify", VerifyFixture.checklist, "--config", dir.path + "/gonogo.yml", "--format", "json", "--out",
            out.path,
        ])
        let report = Report(run)
        #expect(report.json["schema"] as? String == "gonogo.report/v1", "\(run.stderr)")
        let local = report.items.filter {
            Self.localFamilies.contains(String(($0["kind"] as? String ?? "").prefix { $0 != "." }))
        }
        #expect(local.count >= 50)
        for item in local {
            let status = item["status"] as? String ?? ""
            let kind = item["kind"] as? String ?? ""
            let expected = kind.hasPrefix("command.") ? "skip" : "pass"
            #expect(
                status == expected,
                "\(item["id"] ?? ""): \(status): \(item["message"] ?? "") (observed \(item["observed"] ?? "-"))")
        }
        // No item of these families is reported as not implemented (postgres has no URL here: its own test has one).
        #expect(!(local + postgresItems(report)).contains { ($0["message"] as? String ?? "").contains("cannot run") })
        let postgres = postgresItems(report)
        #expect(
            !postgres.isEmpty && postgres.allSatisfy { ($0["message"] as? String ?? "").contains("no PostgreSQL URL") })
        // PostgreSQL, HTTP and TLS items have nothing to reach here: errors, never passes; NO-GO and exit code 1.
        #expect(report.json["verdict"] as? String == "NO-GO")
        #expect(run.status == 1)
        let wal = report.item("database-preparation/sqlite-development/wal-mode-enabled")
        #expect(wal?["observed"] as? String == "journal_mode=wal")
        // report.json holds the same report.
        let written = try String(contentsOf: out.appendingPathComponent("report.json"), encoding: .utf8)
        #expect(written == run.stdout)
        // The canaries are nowhere.
        for canary in VerifyFixture.canaries {
            #expect(!run.stdout.contains(canary) && !run.stderr.contains(canary), "\(canary) leaked")
        }
        // Nor in any report a person or a dashboard reads (SARIF with its passes: every item in every format).
        let formats = try await gonogo(
            [
                "verify", VerifyFixture.checklist, "--config", dir.path + "/gonogo.yml", "--out", dir.path + "/all",
                "--sarif-passes",
            ] + ["json", "junit", "markdown", "html", "sarif"].flatMap { ["--format", $0] })
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path + "/all")
        #expect(files.count == 5, "\(files) \(formats.stderr)")
        for name in files {
            let text = try String(contentsOfFile: dir.path + "/all/" + name, encoding: .utf8)
            #expect(text.contains("LLM_API_KEY"), "\(name) does not show the item at all")
            for canary in VerifyFixture.canaries { #expect(!text.contains(canary), "\(canary) leaked into \(name)") }
        }
        for canary in VerifyFixture.canaries {
            #expect(!formats.stdout.contains(canary) && !formats.stderr.contains(canary), "\(canary) leaked")
        }
        // The API key is reported as set, with its length at most.
        let key = report.items.first { ($0["params"] as? [String: Any])?["name"] as? String == "LLM_API_KEY" }
        #expect(key?["observed"] as? String == "set (\(VerifyFixture.canaries[0].count) characters)")
    }

    @Test("the report validates against docs/report.schema.json (Python's jsonschema, an independent validator)")
    func schema() async throws {
        let dir = try await VerifyFixture.make()
        let run = try await gonogo([
            "verify", VerifyFixture.checklist, "--config", dir.path + "/gonogo.yml", "--out", dir.path + "/out",
        ])
        #expect(run.status == 1)
        let validate = try await Executables.run(
            path: "/usr/bin/env",
            [
                "python3", "-c",
                """
                import json, sys, jsonschema
                schema = json.load(open(sys.argv[1]))
                report = json.load(open(sys.argv[2]))
                jsonschema.Draft202012Validator.check_schema(schema)
                errors = list(jsonschema.Draft202012Validator(schema).iter_errors(report))
                for e in errors[:5]: print(list(e.path), e.message)
                sys.exit(1 if errors else 0)
                """,
                Executables.repositoryRoot + "/docs/report.schema.json", dir.path + "/out/report.json",
            ])
        #expect(validate.status == 0, "\(validate.stdout)\(validate.stderr)")
    }

    @Test("WAL off: the WAL item fails with observed journal_mode=delete, NO-GO, exit 1; a dropped index is named")
    func walOff() async throws {
        let dir = try await VerifyFixture.make()
        let args = [
            "verify", VerifyFixture.checklist, "--config", dir.path + "/gonogo.yml", "--gate", "ci", "--format", "json",
            "--only", "database-preparation/sqlite-development/*",
        ]
        let good = await Report(try gonogo(args))
        #expect(good.run.status == 0, "\(good.run.stdout.prefix(2000))")
        #expect(good.json["verdict"] as? String == "GO")

        let queue = try DatabaseQueue(path: dir.path + "/data/messages.db")
        try await queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = DELETE") }
        let noWAL = await Report(try gonogo(args))
        #expect(noWAL.run.status == 1)
        #expect(noWAL.json["verdict"] as? String == "NO-GO")
        let wal = noWAL.item("database-preparation/sqlite-development/wal-mode-enabled")
        #expect(wal?["status"] as? String == "fail")
        #expect(wal?["observed"] as? String == "journal_mode=delete")
        #expect(wal?["expected"] as? String == "journal_mode=wal")

        try await queue.write { db in try db.execute(sql: "DROP INDEX idx_chat_sessions_user_id") }
        let noIndex = await Report(try gonogo(args))
        let index = noIndex.items.first { $0["text"] as? String == "idx_chat_sessions_user_id" }
        #expect(index?["status"] as? String == "fail")
        #expect((index?["message"] as? String)?.contains("idx_chat_sessions_user_id") == true)
        // The parent group takes the worst of its children.
        #expect(noIndex.item("database-preparation/sqlite-development/indexes-created")?["status"] as? String == "fail")
        // On a terminal-less stdout the text report says why.
        let text = try await gonogo(Array(args.dropLast(4)) + ["--only", "database-preparation/sqlite-development/*"])
        #expect(text.status == 1)
        #expect(text.stdout.contains("expected journal_mode=wal; observed journal_mode=delete"))
        #expect(text.stdout.contains("Verdict: NO-GO"))
    }

    @Test("--gate ci: GO when every automated item passes, manual ones only listed; --gate release: NO-GO naming them")
    func gates() async throws {
        let dir = try await VerifyFixture.make()
        let checklist = dir.appendingPathComponent("gates.md")
        try Data(
            """
            # Release
            ## Automated
            - [ ] WAL mode enabled <!-- gonogo: sqlite.journal_mode mode=wal -->
            - [ ] README present <!-- gonogo: file.exists path=README.md -->
            ## People
            - [ ] Load test reviewed with the team
            - [ ] Runbook rehearsed with on-call

            """.utf8
        ).write(to: checklist)
        let manual = ["people/load-test-reviewed-with-the-team", "people/runbook-rehearsed-with-on-call"]
        let base = ["verify", checklist.path, "--config", dir.path + "/gonogo.yml"]

        let ci = await Report(try gonogo(base + ["--gate", "ci", "--format", "json"]))
        #expect(ci.run.status == 0, "\(ci.run.stdout.prefix(2000))")
        #expect(ci.json["verdict"] as? String == "GO")
        #expect(ci.json["gate"] as? String == "ci")
        #expect(ci.items.filter { $0["status"] as? String == "pass" }.count == 2)
        for id in manual { #expect(ci.item(id)?["status"] as? String == "manual") }

        let release = await Report(try gonogo(base + ["--gate", "release", "--format", "json"]))
        #expect(release.run.status == 1)
        #expect(release.json["verdict"] as? String == "NO-GO")
        let reasons = (release.json["reasons"] as? [String] ?? []).joined(separator: "\n")
        for id in manual { #expect(reasons.contains(id), "\(reasons)") }
        // The text report's verdict line says the same to a person.
        let text = try await gonogo(base + ["--gate", "release"])
        #expect(text.status == 1)
        let verdict = text.stdout.split(separator: "\n").first { $0.hasPrefix("Verdict:") } ?? ""
        #expect(verdict.hasPrefix("Verdict: NO-GO"), "\(text.stdout.suffix(800))")
        for id in manual { #expect(verdict.contains(id), "\(verdict)") }
        // Without --gate the release gate applies (the default: docs/verify.md).
        #expect(try await gonogo(base).status == 1)
    }

    @Test("a variable the checklist marks secret=true is never shown, whatever its name; PWD is not a secret")
    func markedSecret() async throws {
        let dir = try await VerifyFixture.make()
        let canary = "leakme-canary-999"
        let env = try String(contentsOf: dir.appendingPathComponent(".env.production"), encoding: .utf8)
        try Data((env + "SESSION_SIGNING=\(canary)\n").utf8).write(to: dir.appendingPathComponent(".env.production"))
        let checklist = dir.appendingPathComponent("secrets.md")
        try Data(
            """
            # Secrets
            - [ ] Signing configured <!-- gonogo: env.equals name=SESSION_SIGNING value=abc secret=true -->
            - [ ] Signing set <!-- gonogo: env.set name=SESSION_SIGNING secret=true -->
            - [ ] Data file <!-- gonogo: sqlite.database path="\(dir.path)/nope.db" -->

            """.utf8
        ).write(to: checklist)
        let run = try await Executables.run(
            "gonogo",
            [
                "verify", checklist.path, "--config", dir.path + "/gonogo.yml", "--out", dir.path + "/out", "--format",
                "json", "--format", "markdown", "--format", "html", "--gate", "ci",
            ], environment: ["PWD": dir.path], directory: dir.path)
        let report =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: dir.appendingPathComponent("out/report.json"))) as? [String: Any]
        let items = report?["items"] as? [[String: Any]] ?? []
        try #require(items.count == 3, "\(run.stderr)")
        #expect(items[0]["status"] as? String == "fail")
        #expect(items[0]["observed"] as? String == "different")
        #expect(items[1]["observed"] as? String == "set (\(canary.count) characters)")
        #expect((items[0]["params"] as? [String: Any])?["secret"] as? Bool == true)
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.path + "/out") {
            let text = try String(contentsOfFile: dir.path + "/out/" + name, encoding: .utf8)
            #expect(!text.contains(canary), "\(canary) in \(name)")
        }
        #expect(!run.stdout.contains(canary) && !run.stderr.contains(canary))
        // The working directory is where a person looks for the file, not a secret to mask.
        let missing = items[2]["message"] as? String ?? ""
        #expect(missing.contains(dir.path) && !missing.contains("***"), "\(missing)")
    }

    @Test("commands run only with --allow-commands, in the root, with a timeout, output masked and captured")
    func commands() async throws {
        let dir = try await VerifyFixture.make()
        let checklist = dir.appendingPathComponent("commands.md")
        try Data(
            """
            # Release
            - [ ] Builds <!-- gonogo: command.run command="test -f README.md && echo built" -->
            - [ ] Lints <!-- gonogo: command.run command="echo lint-error >&2; exit 3" -->
            - [ ] Leaks <!-- gonogo: command.run command="printenv LLM_API_KEY; exit 1" -->
            - [ ] Hangs <!-- gonogo: command.run command="sleep 60" -->

            """.utf8
        ).write(to: checklist)
        let refused = await Report(
            try gonogo(["verify", checklist.path, "--config", dir.path + "/gonogo.yml", "--format", "json"]))
        #expect(refused.items.allSatisfy { $0["status"] as? String == "skip" })
        #expect((refused.items.first?["message"] as? String)?.contains("--allow-commands") == true)

        let started = Date()
        let ran = await Report(
            try gonogo(
                [
                    "verify", checklist.path, "--config", dir.path + "/gonogo.yml", "--format", "json",
                    "--allow-commands",
                    "--gate", "ci", "--timeout", "8",
                ], environment: ["LLM_API_KEY": VerifyFixture.canaries[0]]))
        #expect(Date().timeIntervalSince(started) < 30)
        let statuses = ran.items.map { $0["status"] as? String ?? "" }
        #expect(statuses == ["pass", "fail", "fail", "error"], "\(ran.run.stdout.prefix(3000))")
        #expect(((ran.items[0]["details"] as? [String: Any])?["stdout"] as? String) == "built\n")
        #expect((ran.items[1]["message"] as? String)?.contains("lint-error") == true)
        #expect(ran.items[1]["observed"] as? String == "exit 3")
        #expect(!ran.run.stdout.contains(VerifyFixture.canaries[0]))
        #expect(ran.run.status == 1)
    }

    @Test("a malformed config or env file exits 2 naming the file and line")
    func malformed() async throws {
        let dir = try await VerifyFixture.make()
        let cases: [(String, String, String)] = [
            ("gonogo.yml", "root: .\nsqlite: [a\n", "gonogo.yml:"),
            ("gonogo.yml", "root: .\nconcurency: 4\n", "gonogo.yml:2: unknown key `concurency`"),
            ("gonogo.yml", "items:\n  \"x/*\":\n    kind: sqlite.nope\n", "gonogo.yml:3: unknown kind `sqlite.nope`"),
            (
                "gonogo.yml", "not_applicable:\n  - section: Frontend\n",
                "gonogo.yml:2: a not_applicable entry needs a `reason`"
            ),
            (".env.production", "GOOD=1\nthis line is wrong\n", ".env.production:2: expected KEY=value"),
            // A param the item's kind does not read would be ignored: refused at its line, with the nearest one.
            (
                "gonogo.yml", "root: .\nitems:\n  \"*/wal-mode-enabled\":\n    params:\n      threshold: fast\n",
                "gonogo.yml:5: params.threshold `fast` is not like \"p95 < 500ms\""
            ),
            (
                "gonogo.yml", "root: .\nitems:\n  \"*/wal-mode-enabled\":\n    params: {mdoe: wal}\n",
                "gonogo.yml:3: items: “*/wal-mode-enabled” (database-preparation/sqlite-development/wal-mode-enabled): `mdoe` is not a parameter of sqlite.journal_mode (it takes: path, mode); did you mean `mode`?"
            ),
        ]
        for (file, text, message) in cases {
            let copy = try Executables.temporaryDirectory("verify-bad")
            for name in ["gonogo.yml", ".env.production"] {
                try FileManager.default.copyItem(
                    at: dir.appendingPathComponent(name), to: copy.appendingPathComponent(name))
            }
            try Data(text.utf8).write(to: copy.appendingPathComponent(file))
            let run = try await gonogo(["verify", VerifyFixture.checklist, "--config", copy.path + "/gonogo.yml"])
            #expect(run.status == 2, "\(file): \(run.stderr)")
            #expect(run.stderr.contains(message), "\(run.stderr)")
            #expect(!run.stderr.contains(VerifyFixture.canaries[0]))
        }
        // An override that matches no item (a typo in its id) is a warning with its line; the run goes on.
        try Data((VerifyFixture.config + "  \"*/wal-mode-enable\":\n    params: {mode: wal}\n").utf8)
            .write(to: dir.appendingPathComponent("gonogo.yml"))
        let typo = try await gonogo([
            "verify", VerifyFixture.checklist, "--config", dir.path + "/gonogo.yml", "--only", "*/wal-mode-enabled",
            "--gate", "ci",
        ])
        #expect(typo.status == 0, "\(typo.stderr)")
        #expect(typo.stderr.contains("gonogo.yml:19: items: “*/wal-mode-enable” matches no item of"), "\(typo.stderr)")
        // A threshold in the config is parsed as in an annotation and used; a pattern an earlier one shadows warns.
        try Data(
            (VerifyFixture.config + """
                  "*/code-coverage-80*":
                    params: {threshold: ">= 90%"}
                  "pre-deployment-verification/code-quality/code-coverage-80*":
                    params: {threshold: ">= 50%"}

                """).utf8
        ).write(to: dir.appendingPathComponent("gonogo.yml"))
        let stricter = await Report(
            try gonogo([
                "verify", VerifyFixture.checklist, "--config", dir.path + "/gonogo.yml", "--only",
                "*/code-coverage-80*",
                "--gate", "ci", "--format", "json",
            ]))
        let coverage = stricter.items.first {
            $0["kind"] as? String == "artifact.coverage" && $0["status"] as? String != "skip"
        }
        #expect(coverage?["status"] as? String == "fail", "\(coverage ?? [:])")
        #expect(coverage?["expected"] as? String == "line coverage >= 90%")
        #expect(
            stricter.run.stderr.contains(
                "gonogo.yml:21: items: “pre-deployment-verification/code-quality/code-coverage-80*” applies to nothing: “*/code-coverage-80*” (line 19) comes first"
            ), "\(stricter.run.stderr)")
        // The configs that ship are clean against the checklist they are for: no unknown param, no stray pattern.
        for shipped in ["production", "demo"] {
            let plain = try await gonogo([
                "verify", VerifyFixture.checklist, "--config",
                Executables.repositoryRoot + "/checklists/\(shipped).gonogo.yml", "--root", dir.path, "--only",
                "*/wal-mode-enabled", "--format", "json", "--gate", "ci",
            ])
            #expect(plain.status == 0, "\(shipped): \(plain.stderr)")
            #expect(!plain.stderr.contains("items:"), "\(shipped): \(plain.stderr)")
            #expect(!plain.stderr.contains("is not a parameter"), "\(shipped): \(plain.stderr)")
        }
    }

    @Test("${VAR} in the config expands from the env files and the environment; an unset one warns with its line")
    func expansion() async throws {
        let dir = try await VerifyFixture.make()
        // LOG_LEVEL comes from .env.production; GONOGO_TEST_DB from the process; GONOGO_UNSET from nowhere.
        let head = VerifyFixture.config + "not_applicable:\n  - section: ${LOG_LEVEL} section\n"
        let unsetLine = head.split(separator: "\n", omittingEmptySubsequences: false).count  // the next line
        try Data(
            (head + "    reason: from ${GONOGO_TEST_DB} and ${GONOGO_UNSET}\n"
                + "  - section: Rollback Plan\n    reason: level ${LOG_LEVEL}\n").utf8
        ).write(to: dir.appendingPathComponent("gonogo.yml"))
        let run = try await gonogo(
            ["verify", VerifyFixture.checklist, "--config", dir.path + "/gonogo.yml", "--format", "json"],
            environment: ["GONOGO_TEST_DB": "process-value"])
        let rollback = Report(run).items.filter { ($0["section"] as? [String])?.first == "Rollback Plan" }
        #expect(!rollback.isEmpty && rollback.allSatisfy { $0["message"] as? String == "not applicable: level INFO" })
        #expect(run.stderr.contains("gonogo.yml:\(unsetLine): ${GONOGO_UNSET} is not set"), "\(run.stderr)")
        #expect(!run.stderr.contains("${LOG_LEVEL}") && !run.stderr.contains("${GONOGO_TEST_DB}"))
    }

    @Test("not_applicable sections are skipped with the reason; --skip and --only select by id glob")
    func selection() async throws {
        let dir = try await VerifyFixture.make()
        try Data(
            (VerifyFixture.config + "not_applicable:\n  - section: Frontend Deployment\n    reason: no Next.js here\n")
                .utf8
        ).write(to: dir.appendingPathComponent("gonogo.yml"))
        let report = await Report(
            try gonogo([
                "verify", VerifyFixture.checklist, "--config", dir.path + "/gonogo.yml", "--format", "json",
                "--skip", "security-hardening/*",
            ]))
        let frontend = report.items.filter { ($0["section"] as? [String])?.first == "Frontend Deployment" }
        #expect(!frontend.isEmpty)
        #expect(
            frontend.allSatisfy {
                $0["status"] as? String == "skip" && $0["message"] as? String == "not applicable: no Next.js here"
            })
        let security = report.items.filter { ($0["id"] as? String)?.hasPrefix("security-hardening/") == true }
        #expect(!security.isEmpty && security.allSatisfy { $0["status"] as? String == "skip" })
        // Results stay in file order.
        let lines = report.items.compactMap { $0["line"] as? Int }
        #expect(lines == lines.sorted() && lines.count == 194)
    }
}

@Suite("gonogo verify: CI artifacts")
struct ArtifactTests {
    @Test("failing tests, low coverage, a slow page: exactly those items fail, each saying what it saw")
    func failing() async throws {
        let dir = try await VerifyFixture.make()
        let write = { (path: String, text: String) in try Data(text.utf8).write(to: dir.appendingPathComponent(path)) }
        try write(
            "reports/junit/backend.xml",
            VerifyFixture.junit([("unit", 30, 2), ("integration", 14, 0), ("performance", 15, 0)]))
        try write("reports/coverage.xml", "<coverage line-rate=\"0.62\" branch-rate=\"0.5\"></coverage>")
        try write(
            "reports/lighthouse.json",
            VerifyFixture.lighthouse(performance: 0.72, lcp: 4100, cls: 0.04, tti: 3900, tbt: 120))
        // The checklist's web vitals name no report, so gonogo measures them in a browser; a team whose evidence is
        // its Lighthouse CI report says so in its config (items appended to the fixture's `items:`).
        let overrides = [
            ("largest-contentful-paint-lcp-2-5s", "metric: largest-contentful-paint, threshold: \"< 2500 ms\""),
            ("cumulative-layout-shift-cls-0-1", "metric: cumulative-layout-shift, threshold: \"< 0.1\""),
            ("time-to-interactive-tti-5s", "metric: interactive, threshold: \"< 5000 ms\""),
        ].map {
            "  \"performance-optimization/frontend/\($0.0)\":\n    kind: artifact.lighthouse\n    params: {\($0.1)}\n"
        }
        let core =
            "  \"frontend-deployment/performance/core-web-vitals-targets-met\":\n    kind: artifact.lighthouse\n"
            + "    params: {metric: core-web-vitals}\n"
        try write("gonogo.yml", VerifyFixture.config + overrides.joined() + core)
        let report = await Report(
            try gonogo([
                "verify", VerifyFixture.checklist, "--config", dir.path + "/gonogo.yml", "--format", "json",
                "--only", "pre-deployment-verification/*", "--only", "frontend-deployment/performance/*",
                "--only", "performance-optimization/frontend/*",
            ]))
        func item(_ id: String) -> (String, String) {
            let i = report.item(id)
            return (i?["status"] as? String ?? "missing", i?["observed"] as? String ?? "")
        }
        #expect(
            item("pre-deployment-verification/backend-tests/unit-tests-30-30-passing") == (
                "fail", "30 tests, 2 failures, 0 errors, 0 skipped"
            ))
        #expect(
            item("pre-deployment-verification/backend-tests/integration-tests-16-16-passing") == (
                "fail", "14 tests, 0 failures, 0 errors, 0 skipped"
            ))
        #expect(item("pre-deployment-verification/backend-tests/performance-tests-15-15-passing").0 == "pass")
        #expect(item("pre-deployment-verification/frontend-tests/e2e-tests-29-29-passing").0 == "pass")
        #expect(
            item("pre-deployment-verification/code-quality/code-coverage-80-pytest-cov-report-html") == (
                "fail", "line coverage 62.0%"
            ))
        #expect(item("frontend-deployment/performance/lighthouse-score-90") == ("fail", "performance score 72"))
        #expect(
            item("performance-optimization/frontend/largest-contentful-paint-lcp-2-5s") == (
                "fail", "largest-contentful-paint 4100 ms"
            ))
        #expect(item("performance-optimization/frontend/cumulative-layout-shift-cls-0-1").0 == "pass")
        #expect(item("performance-optimization/frontend/time-to-interactive-tti-5s").0 == "pass")
        #expect(item("frontend-deployment/performance/core-web-vitals-targets-met").0 == "fail")
        #expect(report.run.status == 1)
    }

    @Test("LCOV coverage counts lines across files; malformed JUnit or LCOV is an error naming the file and line")
    func formats() async throws {
        let dir = try await VerifyFixture.make()
        try Data("TN:\nSF:a.py\nLF:10\nLH:9\nend_of_record\nSF:b.py\nLF:10\nLH:7\nend_of_record\n".utf8)
            .write(to: dir.appendingPathComponent("reports/coverage.xml"))
        let args = [
            "verify", VerifyFixture.checklist, "--config", dir.path + "/gonogo.yml", "--format", "json", "--only",
            "pre-deployment-verification/*",
        ]
        let lcov = await Report(try gonogo(args))
        let coverage = lcov.item("pre-deployment-verification/code-quality/code-coverage-80-pytest-cov-report-html")
        #expect(coverage?["status"] as? String == "fail")
        #expect(coverage?["observed"] as? String == "line coverage 80.0%")  // 16 of 20 lines: not above 80

        try Data(
            "<testsuites>\n  <testsuite name=\"unit\" tests=\"3\">\n    <testcase name=\"a\">\n</testsuites>\n".utf8
        )
        .write(to: dir.appendingPathComponent("reports/junit/backend.xml"))
        try Data("SF:a.py\nLF:ten\nend_of_record\n".utf8).write(to: dir.appendingPathComponent("reports/coverage.xml"))
        let bad = await Report(try gonogo(args))
        let unit = bad.item("pre-deployment-verification/backend-tests/unit-tests-30-30-passing")
        #expect(unit?["status"] as? String == "error")
        #expect(
            (unit?["message"] as? String)?.hasPrefix("reports/junit/backend.xml:") == true, "\(unit?["message"] ?? "")")
        let badCoverage = bad.item("pre-deployment-verification/code-quality/code-coverage-80-pytest-cov-report-html")
        #expect(badCoverage?["status"] as? String == "error")
        #expect(
            (badCoverage?["message"] as? String)?.hasPrefix("reports/coverage.xml:2:") == true,
            "\(badCoverage?["message"] ?? "")")
        #expect(bad.run.status == 1)
    }
}

@Suite("gonogo verify: PostgreSQL")
struct PostgresVerifyTests {
    static let ids = [
        "pre-deployment-verification/backend-tests/database-migrations-applied",
        "database-preparation/postgresql-production/*",
        "performance-optimization/database/*",
        "post-deployment/smoke-tests/database-connectivity-verified",
    ]

    @Test("against a real server with chat-api on it: each postgres item passes or fails as the server is")
    func realServer() async throws {
        let url = try await TestPostgres.newDatabase()
        let dir = try await VerifyFixture.make()
        let env = ["DATABASE_URL": url, "DATABASE_POOL_MIN": "5", "DATABASE_POOL_MAX": "20", "PORT": "0"]
        let migrated = try await Blocking.run {
            try Executables.run("chat-api", ["migrate"], environment: env, directory: dir.path)
        }
        try #require(migrated.status == 0, "\(migrated.stderr)")
        // chat-api serving holds its pool's minimum of connections open.
        let server = ServerProcess("chat-api", ["serve"], environment: env, directory: dir.path)
        _ = try await Blocking.run { try server.start() }
        defer { server.stop() }
        let password = try #require(URLComponents(string: url)?.password)

        let run = try await Blocking.run {
            try gonogo(
                [
                    "verify", VerifyFixture.checklist, "--config", dir.path + "/gonogo.yml", "--format", "json",
                    "--database-url", url,
                ]
                    + Self.ids.flatMap { ["--only", $0] })
        }
        let report = Report(run)
        func status(_ id: String) -> String { report.item(id)?["status"] as? String ?? "missing" }
        #expect(status("pre-deployment-verification/backend-tests/database-migrations-applied") == "pass")
        #expect(status("database-preparation/postgresql-production/database-created-and-permissions-set") == "pass")
        let pool = report.item("database-preparation/postgresql-production/connection-pooling-configured-min-5-max-20")
        #expect(pool?["status"] as? String == "pass", "\(pool?["message"] ?? "")")
        #expect(status("database-preparation/postgresql-production/indexes-created") == "pass")
        #expect(
            (report.item("database-preparation/postgresql-production/indexes-created")?["observed"] as? String)?
                .contains("idx_chat_messages_session_id") == true)
        #expect(status("database-preparation/postgresql-production/replication-tested-if-applicable") == "warn")
        #expect(status("post-deployment/smoke-tests/database-connectivity-verified") == "pass")
        let slowLog = report.item("performance-optimization/database/slow-query-log-enabled")
        // scripts/pg-cluster logs statements over a second, as a production server should.
        #expect(slowLog?["status"] as? String == "pass")
        #expect(slowLog?["observed"] as? String == "log_min_duration_statement=1s")
        #expect(!run.stdout.contains(password) && !run.stderr.contains(password))

        // As the server changes, so does the item: with the names the SQLite section lists (as
        // checklists/production.gonogo.yml gives them), a dropped index fails, by name.
        try Data(
            (VerifyFixture.config + """
                  "database-preparation/postgresql-production/indexes-created":
                    params: {names: [idx_chat_messages_session_id, idx_chat_sessions_user_id, idx_chat_messages_created_at]}

                """).utf8
        ).write(to: dir.appendingPathComponent("gonogo.yml"))
        _ = try await Blocking.run { try TestPostgres.psql(url, "DROP INDEX idx_chat_messages_session_id") }
        let dropped = Report(
            try await Blocking.run {
                try gonogo([
                    "verify", VerifyFixture.checklist, "--config", dir.path + "/gonogo.yml", "--format", "json",
                    "--database-url", url, "--only", "database-preparation/postgresql-production/indexes-created",
                ])
            })
        let index = dropped.item("database-preparation/postgresql-production/indexes-created")
        #expect(index?["status"] as? String == "fail")
        #expect(index?["message"] as? String == "index idx_chat_messages_session_id missing")
        #expect(index?["observed"] as? String == "missing: idx_chat_messages_session_id")
        #expect(dropped.run.status == 1)

        // Bounds in a checklist's own words, compared in each setting's unit (ms, kB); a timeout of 0 is off.
        let settings = dir.appendingPathComponent("settings.md")
        try Data(
            """
            # Database
            ## PostgreSQL
            - [ ] idle_in_transaction_session_timeout ≤ 60s
            - [ ] work_mem no lower than 1MB
            - [ ] work_mem no lower than 16GB
            - [ ] max_connections at least 10

            """.utf8
        ).write(to: settings)
        let bounded = Report(
            try await Blocking.run {
                try gonogo([
                    "verify", settings.path, "--config", dir.path + "/gonogo.yml", "--format", "json",
                    "--database-url", url, "--gate", "ci",
                ])
            })
        let summary = bounded.items.map {
            "\($0["kind"] ?? "?") \($0["status"] ?? "?"): \($0["observed"] ?? "-") \($0["message"] ?? "")"
        }
        try #require(summary.count == 4, "\(bounded.run.stderr)")
        #expect(summary.allSatisfy { $0.hasPrefix("postgres.setting") }, "\(summary)")
        #expect(bounded.items.map { $0["status"] as? String ?? "" } == ["fail", "pass", "fail", "pass"], "\(summary)")
        #expect(summary[0].contains("off or unlimited, so there is no limit"), "\(summary[0])")
        #expect(summary[2].contains("needs >= 16777216 kB"), "\(summary[2])")
    }

    @Test(
        "an unreachable server or a wrong password is an error with the reason, within the timeout, no password shown")
    func faults() async throws {
        let url = try await TestPostgres.newDatabase()
        let password = try #require(URLComponents(string: url)?.password)
        var wrong = try #require(URLComponents(string: url))
        wrong.password = "wrong-password-c4n4ry"
        // A port nobody listens on: bound then closed.
        let closed = try Ports.free()
        var refused = try #require(URLComponents(string: url))
        refused.port = closed
        let dir = try await VerifyFixture.make()
        for (candidate, reason) in [
            (wrong.string!, "password authentication failed"), (refused.string!, "Connection refused"),
        ] {
            let started = Date()
            let run = try await Blocking.run {
                try gonogo([
                    "verify", VerifyFixture.checklist, "--config", dir.path + "/gonogo.yml", "--format", "json",
                    "--database-url", candidate, "--only", "post-deployment/smoke-tests/database-connectivity-verified",
                    "--timeout", "20",
                ])
            }
            #expect(Date().timeIntervalSince(started) < 20)
            let item = Report(run).item("post-deployment/smoke-tests/database-connectivity-verified")
            #expect(item?["status"] as? String == "error")
            #expect((item?["message"] as? String)?.contains(reason) == true, "\(item?["message"] ?? "")")
            for secret in [password, "wrong-password-c4n4ry"] {
                #expect(!run.stdout.contains(secret) && !run.stderr.contains(secret))
            }
            #expect(run.status == 1)
        }
    }
}
