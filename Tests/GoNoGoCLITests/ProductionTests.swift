import Foundation
import TestSupport
import Testing

/// A production deployment shaped like deploy/: PostgreSQL (a server of its own), chat-api on it with an
/// OpenAI-compatible model (a stand-in on loopback: the hosted one cannot run here), and nginx (Debian's) in front with
/// the shipped site file, TLS from a certificate the test makes. Its folder is the deployment repository: the env
/// file, the development SQLite database, docs/ and deploy/, in git with release tags.
final class ProductionDeployment: @unchecked Sendable {
    /// What can be broken, one at a time.
    enum Fault: String, CaseIterable, Sendable {
        case walOff, indexDropped, hstsRemoved, tls10Enabled, debugOn, envTracked, slowModel, databaseStopped
        /// The web app's page broken: an error logged while it loads, a banner pushing its content down after load,
        /// an asset it links to missing.
        case consoleError, layoutShift, missingAsset
    }

    static let adminPassword = "canary-admin-pw-4f1d9e"
    static let probePassword = "canary-probe-pw-77ac02"
    static let llmKey = "sk-canary-llm-key-3b9e61d0"

    let root: URL
    let cluster: String
    let databaseURL: String
    let httpPort: Int
    let httpsPort: Int
    var chatPort = 0
    /// The second chat-api instance behind nginx, on the same PostgreSQL.
    var secondPort = 0
    /// The web app's main script (content-hashed), for the cache-policy item.
    var webAsset = ""
    let fault: Fault?
    private var servers: [ServerProcess] = []
    private var nginx: Process?

    var repository: String { Executables.repositoryRoot }
    var nginxDir: URL { root.appendingPathComponent("nginx") }

    init(fault: Fault?) throws {
        self.fault = fault
        root = try Executables.temporaryDirectory("production")
        cluster = root.path + "-pg"
        httpPort = try Ports.free()
        httpsPort = try Ports.free()
        let started = try Shell.run(Executables.repositoryRoot + "/scripts/pg-cluster", ["start", cluster])
        guard started.status == 0 else { throw ServerProcess.ServerError(description: "PostgreSQL: \(started.stderr)") }
        databaseURL = started.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Everything up, with the fault (if any) in place before verification.
    func start() async throws {
        let fm = FileManager.default
        for folder in ["docs", "deploy"] {
            try fm.copyItem(atPath: repository + "/" + folder, toPath: root.path + "/" + folder)
        }
        try installWeb()
        try write("README.md", "# chat-api deployment\n\nDeployment instructions: deploy/README.md.\n")
        try write(".gitignore", ".env\n.env.*\n!.env.example\ndata/\nbackups/\ntls/\nnginx/\n")
        try write(".env", "# a developer's local settings\nDEBUG=true\n")
        _ = try await TestPostgres.psql(databaseURL, "CREATE DATABASE restore_test")

        let llm = ServerProcess(
            path: "/usr/bin/python3",
            [repository + "/fixtures/servers/fake_openai.py", fault == .slowModel ? "3.3" : "0", Self.llmKey],
            environment: [:], directory: root.path)
        let llmPort = try await Blocking.run { try llm.start() }
        servers.append(llm)

        var env: [String: String] = [
            "HOST": "127.0.0.1", "PORT": "0", "DATABASE_URL": databaseURL, "DATABASE_POOL_MIN": "5",
            "DATABASE_POOL_MAX": "20", "LLM_BASE_URL": "http://127.0.0.1:\(llmPort)/v1", "LLM_API_KEY": Self.llmKey,
            "LLM_MODEL": "gpt-4", "LLM_TIMEOUT": "10", "CORS_ORIGINS": "https://chat.example.com",
            "RATE_LIMIT_WINDOW": "60", "RATE_LIMIT_MAX_REQUESTS": "100", "LOGIN_RATE_LIMIT_MAX": "5",
            "SESSION_TTL": "3600", "REMEMBER_ME_TTL": "2592000", "DEBUG": fault == .debugOn ? "true" : "false",
            "LOG_LEVEL": "info", "LOG_FORMAT": "json", "TRUSTED_PROXIES": "127.0.0.1,::1",
            "RESTORE_TEST_DATABASE_URL": TestPostgres.replacingDatabase(in: databaseURL, with: "restore_test"),
            "WEB_ROOT": "web/dist", "WEB_API_URL": "https://127.0.0.1:\(httpsPort)",
        ]
        // The development database, as a developer's `chat-api migrate` and `seed` leave it.
        let dev = env.merging(["DATABASE_URL": "sqlite:data/messages.db"]) { _, new in new }
        try tool(["seed", "--sessions", "3", "--messages", "4"], env: dev)
        // Production: the users gonogo probes with, some history, then the service.
        for (name, role, password) in [
            ("gonogo-admin", "admin", Self.adminPassword), ("gonogo-probe", "user", Self.probePassword),
        ] {
            try tool(
                ["user", "add", "--username", name, "--role", role, "--password-stdin"], env: env, stdin: password)
        }
        try tool(["seed", "--sessions", "5", "--messages", "4"], env: env)
        let chat = ServerProcess("chat-api", ["serve"], environment: env, directory: root.path)
        chatPort = try await Blocking.run { try chat.start() }
        servers.append(chat)
        // A second instance on the same database, as deploy/nginx/chat-api.conf's upstream has it.
        let second = ServerProcess("chat-api", ["serve"], environment: env, directory: root.path)
        secondPort = try await Blocking.run { try second.start() }
        servers.append(second)
        env["PORT"] = String(chatPort)
        try write(
            ".env.production",
            env.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "\n") + "\n")

        try git(["init", "-q", "-b", "main"])
        try git(["add", "."])
        try git(["commit", "-q", "-m", "chat-api 1.0.0-s4"])
        try git(["tag", "v1.0.0-s4"])
        try git(["commit", "-q", "--allow-empty", "-m", "chat-api 1.0.0-s5"])
        try git(["tag", "v1.0.0-s5"])

        try await startNginx()
        try await applyFault()
    }

    /// The web app as CI leaves it: its sources and lint beside the deployment, the build (scripts/build-web) in
    /// web/dist for chat-api to serve, and the E2E suite's JUnit report (scripts/test writes it) in test-results/.
    /// A web fault is put into the build before chat-api reads it.
    func installWeb() throws {
        let fm = FileManager.default
        let build = repository + "/.build/web"
        let junit = repository + "/.build/test-results/e2e-junit.xml"
        try #require(fm.fileExists(atPath: build + "/index.html"), "the web app is not built: run scripts/build-web")
        try #require(
            fm.fileExists(atPath: junit),
            "no E2E JUnit report at .build/test-results/e2e-junit.xml: scripts/test's browser phase writes it")
        // Written by a run of this build's E2E tests on this web build, not left by an older one.
        func modified(_ path: String) -> Date {
            (try? fm.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? .distantPast
        }
        try #require(
            modified(junit) > max(modified(build + "/index.html"), modified(Executables.path("chat-api"))),
            "the E2E JUnit report is older than the web app or chat-api it should report on: run scripts/test")
        for (from, to) in [
            ("web", "web"), (".build/web", "web/dist"), ("scripts/web-lint.mjs", "scripts/web-lint.mjs"),
            (".build/test-results/e2e-junit.xml", "test-results/e2e-junit.xml"),
        ] {
            try fm.createDirectory(
                atPath: root.path + "/" + (to as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try fm.copyItem(atPath: repository + "/" + from, toPath: root.path + "/" + to)
        }
        let assets = root.path + "/web/dist/assets"
        let page = try String(contentsOfFile: root.path + "/web/dist/index.html", encoding: .utf8)
        let main = try #require(page.firstMatch(of: /src="\/assets\/([^"]+\.js)"/).map { String($0.1) })
        webAsset = "/assets/" + main
        func appendToMain(_ script: String) throws {
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: assets + "/" + main))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(script.utf8))
            try handle.close()
            // The precompressed copies would serve the script as it was.
            for suffix in [".gz", ".br"] { try? fm.removeItem(atPath: assets + "/" + main + suffix) }
        }
        switch fault {
        case .consoleError:
            try appendToMain("\nconsole.error('fault: the widget failed to render');\n")
        case .layoutShift:
            try appendToMain(
                """

                addEventListener('load', () => setTimeout(() => { const b = document.createElement('div');
                  b.style.height = '300px'; b.textContent = 'Announcement'; document.body.prepend(b); }, 50));

                """)
        case .missingAsset:
            let style = try #require(page.firstMatch(of: /href="\/assets\/([^"]+\.css)"/).map { String($0.1) })
            for suffix in ["", ".gz", ".br", ".map"] { try? fm.removeItem(atPath: assets + "/" + style + suffix) }
        default: break
        }
    }

    func startNginx() async throws {
        let fm = FileManager.default
        for dir in ["tmp", "tls", "www"] {
            try fm.createDirectory(at: nginxDir.appendingPathComponent(dir), withIntermediateDirectories: true)
        }
        let (cert, key) = try await Certificates.selfSigned(in: nginxDir.appendingPathComponent("tls"), days: 90)
        // The shipped site, with this host's ports and certificate.
        var site = try String(contentsOfFile: root.path + "/deploy/nginx/chat-api.conf", encoding: .utf8)
        site = site.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.contains("listen [::]") }
            .joined(separator: "\n")
        for (from, to) in [
            ("listen 80;", "listen 127.0.0.1:\(httpPort);"),
            ("listen 443 ssl http2;", "listen 127.0.0.1:\(httpsPort) ssl http2;"),
            ("return 301 https://$host$request_uri;", "return 301 https://$host:\(httpsPort)$request_uri;"),
            ("/etc/letsencrypt/live/chat.example.com/fullchain.pem", cert),
            ("/etc/letsencrypt/live/chat.example.com/privkey.pem", key),
            ("server 127.0.0.1:8000 max_fails", "server 127.0.0.1:\(chatPort) max_fails"),
            ("server 127.0.0.1:8001 max_fails", "server 127.0.0.1:\(secondPort) max_fails"),
            ("root /var/www/chat;", "root \(nginxDir.path)/www;"),
        ] {
            #expect(site.contains(from), "deploy/nginx/chat-api.conf no longer has `\(from)`")
            site = site.replacingOccurrences(of: from, with: to)
        }
        if fault == .hstsRemoved {
            site = site.split(separator: "\n").filter { !$0.contains("Strict-Transport-Security") }.joined(
                separator: "\n")
        }
        if fault == .tls10Enabled {
            site = site.replacingOccurrences(
                of: "ssl_protocols TLSv1.2 TLSv1.3;",
                with: "ssl_protocols TLSv1 TLSv1.1 TLSv1.2 TLSv1.3;\n    ssl_ciphers DEFAULT:@SECLEVEL=0;")
        }
        try Data(site.utf8).write(to: nginxDir.appendingPathComponent("site.conf"))
        let d = nginxDir.path
        let main = """
            \(getuid() == 0 ? "user root;" : "")
            worker_processes 1;
            pid \(d)/nginx.pid;
            error_log \(d)/error.log warn;
            events { worker_connections 256; }
            http {
                access_log off;
                default_type application/octet-stream;
                client_body_temp_path \(d)/tmp/body;
                proxy_temp_path \(d)/tmp/proxy;
                fastcgi_temp_path \(d)/tmp/fastcgi;
                uwsgi_temp_path \(d)/tmp/uwsgi;
                scgi_temp_path \(d)/tmp/scgi;
                include \(d)/site.conf;
            }

            """
        try Data(main.utf8).write(to: nginxDir.appendingPathComponent("nginx.conf"))
        let binary = try #require(Shell.which("nginx") ?? ["/usr/sbin/nginx"].first { fm.isExecutableFile(atPath: $0) })
        let check = try await Shell.run(binary, ["-p", d, "-c", d + "/nginx.conf", "-t"])
        try #require(check.status == 0, "nginx -t: \(check.stderr)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["-p", d, "-c", d + "/nginx.conf", "-g", "daemon off;"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        nginx = process
        // Ready when both ports accept connections (nginx prints nothing when it is).
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: .seconds(30))
        while !(Ports.accepts(httpsPort) && Ports.accepts(httpPort)), clock.now < deadline, process.isRunning {
            try await Task.sleep(for: .milliseconds(50))
        }
        try #require(
            Ports.accepts(httpsPort),
            "nginx did not start: \((try? String(contentsOfFile: d + "/error.log", encoding: .utf8)) ?? "")")
    }

    func applyFault() async throws {
        switch fault {
        case .walOff:
            _ = try await Shell.run(
                "python3",
                [
                    "-c",
                    "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('PRAGMA journal_mode=DELETE'); c.close()",
                    root.path + "/data/messages.db",
                ])
        case .indexDropped:
            _ = try await TestPostgres.psql(databaseURL, "DROP INDEX idx_chat_messages_created_at")
        case .envTracked:
            try git(["add", "-f", ".env"])
            try git(["commit", "-q", "-m", "oops: the local env file"])
        case .databaseStopped:
            let stopped = try await Shell.run(repository + "/scripts/pg-cluster", ["stop", cluster])
            try #require(stopped.status == 0, "\(stopped.stderr)")
        default: break
        }
    }

    /// `gonogo verify` of the Sprint 5 checklist with the shipped production config, as a release pipeline runs it.
    func verify(_ extra: [String] = []) throws -> Run {
        try gonogo(
            [
                "verify", "checklists/sprint5-production.md", "--config", "checklists/production.gonogo.yml",
                "--root", root.path, "--allow-commands", "--gate", "ci", "--format", "json",
            ] + extra,
            environment: [
                "GONOGO_API_URL": "https://127.0.0.1:\(httpsPort)", "GONOGO_PLAIN_URL": "http://127.0.0.1:\(httpPort)",
                "GONOGO_CA_FILE": nginxDir.path + "/tls/cert.pem", "GONOGO_ADMIN_PASSWORD": Self.adminPassword,
                "GONOGO_PROBE_PASSWORD": Self.probePassword, "GONOGO_CHAT_API": Executables.path("chat-api"),
                "GONOGO_WEB_ASSET": webAsset,
            ])
    }

    /// How many `/api/…` requests the instance on `port` has answered, from its `/metrics` (Hummingbird's
    /// `hb_requests` counter, by route).
    static func apiRequestsServed(port: Int) async throws -> Int {
        let metrics = try await Shell.run("curl", ["-sf", "--max-time", "10", "http://127.0.0.1:\(port)/metrics"])
        let lines = metrics.stdout.split(separator: "\n").filter { $0.hasPrefix("hb_requests") && $0.contains("/api/") }
        let counts: [Double] = lines.compactMap { line in line.split(separator: " ").last.flatMap { Double($0) } }
        return Int(counts.reduce(0, +))
    }

    func stop() {
        if let nginx, nginx.isRunning {
            nginx.terminate()
            nginx.waitUntilExit()
        }
        for server in servers.reversed() { server.stop() }
        _ = try? Shell.run(repository + "/scripts/pg-cluster", ["destroy", cluster])
    }

    private func write(_ name: String, _ text: String) throws {
        try Data(text.utf8).write(to: root.appendingPathComponent(name))
    }

    private func tool(_ arguments: [String], env: [String: String], stdin: String? = nil) throws {
        let run = try Executables.run("chat-api", arguments, environment: env, stdin: stdin, directory: root.path)
        try #require(run.status == 0, "chat-api \(arguments.first ?? ""): \(run.stderr)")
    }

    private func git(_ arguments: [String]) throws {
        let run = try Shell.run(
            "git", ["-C", root.path, "-c", "user.name=gonogo test", "-c", "user.email=test@localhost"] + arguments)
        try #require(run.status == 0, "git \(arguments.first ?? ""): \(run.stderr)")
    }
}

@Suite("end to end: gonogo demo, and a production deployment (PostgreSQL, chat-api, nginx)", .serialized)
struct ProductionTests {
    @Test("two chat-api instances behind nginx share a client's budget: its 101st request in a minute gets 429")
    func sharedLimit() async throws {
        let deployment = try ProductionDeployment(fault: nil)
        defer { deployment.stop() }
        try await deployment.start()
        let ports = [deployment.chatPort, deployment.secondPort]
        var before: [Int] = []
        for port in ports { before.append(try await ProductionDeployment.apiRequestsServed(port: port)) }
        // One client (nginx passes its address as X-Real-IP), 101 requests on one connection, no token: the budget
        // of RATE_LIMIT_MAX_REQUESTS=100 a minute is spent on 401s, the next is refused.
        let url = "https://127.0.0.1:\(deployment.httpsPort)/api/sessions"
        let transfers = Array(repeating: [url, "-o", "/dev/null"], count: 101).flatMap { $0 }
        let burst = try await Shell.run("curl", ["-sk", "--max-time", "120", "-w", "%{http_code}\n"] + transfers)
        let codes = burst.stdout.split(separator: "\n").map(String.init)
        try #require(codes.count == 101, "\(burst.stderr)")
        #expect(codes.prefix(100).allSatisfy { $0 == "401" }, "\(codes)")
        #expect(codes.last == "429", "\(codes)")
        // nginx spread them over both instances: each served part of the burst, and counted against one budget.
        var served: [Int] = []
        for (port, earlier) in zip(ports, before) {
            served.append(try await ProductionDeployment.apiRequestsServed(port: port) - earlier)
        }
        #expect(served.allSatisfy { $0 > 0 } && served.reduce(0, +) >= 101, "\(served)")
    }

    @Test("every automated item passes: GO with --gate ci, at least 70% of the checklist checked automatically")
    func healthy() async throws {
        let deployment = try ProductionDeployment(fault: nil)
        defer { deployment.stop() }
        try await deployment.start()
        let run = try await Blocking.run { try deployment.verify() }
        let report = Report(run)
        let problems = report.items.filter { ["fail", "error", "warn"].contains($0["status"] as? String ?? "") }
            .map { "\($0["status"] ?? ""): \($0["id"] ?? ""): \($0["message"] ?? "")" }
        // The one warning: replication is advisory ("if applicable") and this server has no replica.
        #expect(
            problems == [
                "warn: database-preparation/postgresql-production/replication-tested-if-applicable: no replica is streaming from this server (advisory)"
            ], "\(problems.joined(separator: "\n"))")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(report.json["verdict"] as? String == "GO")
        // Of the items that apply to this deployment (the rest are skipped with a reason: the frontend, the original
        // stack's tools), at least 70% are decided by a check; the others await a person's attestation.
        let coverage = report.json["coverage"] as? [String: Int] ?? [:]
        let (applicable, checked) = (coverage["applicable"] ?? 0, coverage["checked"] ?? 0)
        #expect(applicable > 0 && Double(checked) / Double(applicable) >= 0.70, "\(coverage)")
        print("coverage: \(checked) of \(applicable) applicable items checked automatically, \(coverage)")
        // Groups are their children's status, counted once in them (as in every format).
        let items = report.items.filter { $0["kind"] as? String != "group" }
        #expect(applicable + (coverage["notApplicable"] ?? 0) == items.count)
        #expect(checked + (coverage["awaitingAttestation"] ?? 0) == applicable)
        let manual = items.filter { $0["status"] as? String == "manual" }.count
        #expect(manual == coverage["awaitingAttestation"] ?? 0)
        // No secret of the deployment appears anywhere in the report.
        for secret in [
            ProductionDeployment.adminPassword, ProductionDeployment.probePassword, ProductionDeployment.llmKey,
        ] {
            #expect(!run.stdout.contains(secret) && !run.stderr.contains(secret))
        }
        #expect(!run.stdout.contains(deployment.databaseURL.split(separator: ":")[2].split(separator: "@")[0]))

        // The rate-limit item's burst through nginx, spread over two instances, met its 429 within the configured 100
        // (counted per instance, 101 requests split over two would meet none): the crisp test is sharedLimit below.
        let limits = report.items.filter {
            $0["kind"] as? String == "http.rate_limit" && ($0["params"] as? [String: Any])?["target"] == nil
        }
        let burst = limits.compactMap { ($0["observed"] as? String)?.firstMatch(of: /429 at request (\d+)/) }
        let refusedAt = try #require(burst.first.flatMap { Int($0.1) }, "\(limits)")
        #expect((1...101).contains(refusedAt), "\(limits)")

        // scripts/bench-production: more runs against the same deployment, their wall time printed (never asserted:
        // speed belongs to the benchmark, docs/benchmarks.md).
        let runs = Int(ProcessInfo.processInfo.environment["GONOGO_BENCH_RUNS"] ?? "") ?? 0
        for i in 0..<runs {
            for (label, extra) in [
                ("full", [String]()),
                ("no-latency", ["--skip", "performance-optimization/api/response-time-targets-met/*"]),
            ] {
                // chat-api's limit of 100 requests a minute per client (which the checklist demands) was spent by the
                // run before: wait the window out so each run meets a fresh allowance, as a pipeline's run would.
                try await Task.sleep(for: .seconds(61))
                let clock = ContinuousClock()
                let started = clock.now
                let again = try await Blocking.run { try deployment.verify(extra) }
                let wall = started.duration(to: clock.now)
                let ms = wall.components.seconds * 1000 + wall.components.attoseconds / 1_000_000_000_000_000
                print(
                    "bench: run \(i + 1) \(label) exit \(again.status) wall_ms \(ms) report_ms \(Report(again).json["durationMs"] ?? 0)"
                )
            }
        }
    }

    /// The items each fault must fail (or, for an outage, leave unchecked), and only those.
    static let expected: [ProductionDeployment.Fault: Set<String>] = [
        .walOff: ["database-preparation/sqlite-development/wal-mode-enabled"],
        .indexDropped: ["database-preparation/postgresql-production/indexes-created"],
        .hstsRemoved: ["api-server-configuration/ssl-tls/hsts-header-strict-transport-security-max-age-31536000"],
        .tls10Enabled: ["api-server-configuration/ssl-tls/ssl-protocols-tlsv1-2-minimum"],
        .debugOn: ["secrets-configuration/environment-variables/debug-mode-disabled-debug-false"],
        .envTracked: ["secrets-configuration/secrets-management/never-commit-env-file-to-git"],
        // Text-to-SQL asks the same model: its budget goes too.
        .slowModel: [
            "performance-optimization/api/response-time-targets-met/llm-response-3s",
            "performance-optimization/api/response-time-targets-met/text-to-sql-2s",
        ],
        // The web app's page: the error it logs fails the console items (the error-boundary one included: a page that
        // errors while loading is not judged further); the banner fails CLS and the Core Web Vitals; the missing
        // stylesheet is a failed request of the page's assets, which the console items count too.
        .consoleError: [
            "monitoring-logging/frontend-logging/console-errors-captured",
            "monitoring-logging/frontend-logging/error-boundary-configured",
        ],
        .layoutShift: [
            "performance-optimization/frontend/cumulative-layout-shift-cls-0-1",
            "frontend-deployment/performance/core-web-vitals-targets-met",
        ],
        .missingAsset: [
            "frontend-deployment/static-files/public-assets-accessible-public",
            "monitoring-logging/frontend-logging/console-errors-captured",
            "monitoring-logging/frontend-logging/error-boundary-configured",
        ],
    ]

    @Test(
        "one fault at a time: exactly the expected items fail, and the verdict is NO-GO",
        arguments: [
            ProductionDeployment.Fault.walOff, .indexDropped, .hstsRemoved, .tls10Enabled, .debugOn, .envTracked,
            .slowModel,
            .databaseStopped, .consoleError, .layoutShift, .missingAsset,
        ])
    func broken(fault: ProductionDeployment.Fault) async throws {
        let deployment = try ProductionDeployment(fault: fault)
        defer { deployment.stop() }
        try await deployment.start()
        let run = try await Blocking.run { try deployment.verify() }
        let report = Report(run)
        #expect(run.status == 1, "\(fault): \(run.stderr)")
        #expect(report.json["verdict"] as? String == "NO-GO")
        let failing = Set(
            report.items.filter {
                ["fail", "error"].contains($0["status"] as? String ?? "") && $0["kind"] as? String != "group"
            }
            .compactMap { $0["id"] as? String })
        if let wanted = Self.expected[fault] {
            let why = report.items.filter { failing.contains($0["id"] as? String ?? "") }
                .map { "\($0["id"] ?? ""): \($0["message"] ?? "") [\($0["observed"] ?? "")]" }
            #expect(failing == wanted, "\(fault): \(why.sorted().joined(separator: "\n"))")
        } else {
            // PostgreSQL down: every PostgreSQL item errors with the reason, /health answers 503, what needs the
            // database fails (and HTTP checks answered with a 5xx are errors: they cannot be judged); the file, env,
            // git, SQLite and TLS handshake items are untouched.
            let postgres = report.items.filter {
                ($0["kind"] as? String ?? "").hasPrefix("postgres.") && $0["status"] as? String != "skip"
            }
            #expect(
                !postgres.isEmpty && postgres.allSatisfy { $0["status"] as? String == "error" },
                "\(postgres.map { $0["message"] ?? "" })")
            #expect(failing.contains("post-deployment/smoke-tests/api-health-check-passes"), "\(failing.sorted())")
            let untouched = report.items.filter {
                ["env", "file", "git", "sqlite", "tls"].contains(
                    ($0["kind"] as? String ?? "").split(separator: ".").first.map(String.init) ?? "")
            }
            #expect(
                untouched.count > 20
                    && untouched.allSatisfy { ["pass", "skip"].contains($0["status"] as? String ?? "") })
        }
    }
}
