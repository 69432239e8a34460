import Catalog
import Checklist
import Crypto
import DotEnv
import Foundation
import Probes
import Reports
import Results
import Signing
import Verify

#if canImport(Glibc)
    import Glibc
#endif

/// `gonogo demo`: chat-api started as a child on loopback (SQLite in a temporary folder, HTTPS with a certificate made
/// here), seeded, then the Sprint 5 checklist verified against it with `checklists/demo.gonogo.yml`, every report
/// format and a signed envelope written, and chat-api stopped.
public enum DemoRun {
    public struct Options: Sendable {
        public var out: String
        /// The repository holding `checklists/` and `docs/`; found from the executable or the working folder.
        public var repository: String?
        /// chat-api's executable; by default beside gonogo's.
        public var chatAPI: String?
        /// Keep the temporary project folder (for a look at the database, the env file, chat-api's log).
        public var keep = false
        /// gonogo's version, for the report.
        public var toolVersion = "0.0.0"
        /// A config of the caller's instead of `checklists/demo.gonogo.yml`; read exactly as `gonogo verify` reads one
        /// (its `${GONOGO_…}` variables name the demo's deployment, see that file).
        public var config: String?
        /// Run `command` items of a caller's config (the shipped config's are always run).
        public var allowCommands = false

        public init(out: String) { self.out = out }
    }

    /// What the demo did: the run, where the reports are, the key that signed them.
    public struct Result: Sendable {
        public var run: VerifyRun
        public var files: [String]
        public var publicKey: String
        public var project: String
        public var chatAPILog: String
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        init(_ description: String) { self.description = description }
    }

    static let checklistPath = "checklists/sprint5-production.md"
    static let configPath = "checklists/demo.gonogo.yml"

    /// The child, for Ctrl-C: it must not leave chat-api running.
    static let current = LockedBox<ChildProcess?>(nil)
    static var child: ChildProcess? {
        get { current.withLock { $0 } }
        set { current.withLock { $0 = newValue } }
    }

    /// The temporary project folder to remove on Ctrl-C, when it is not kept.
    static let removable = LockedBox<String?>(nil)
    static var folder: String? {
        get { removable.withLock { $0 } }
        set { removable.withLock { $0 = newValue } }
    }

    /// Kills chat-api at once, if it runs, and removes the temporary folder (Ctrl-C).
    public static func interrupt() {
        child?.kill()
        if let folder { try? FileManager.default.removeItem(atPath: folder) }
    }

    public static func run(_ options: Options, say: @escaping @Sendable (String) -> Void) async throws -> Result {
        let repository = try options.repository ?? findRepository()
        let chatAPI = options.chatAPI ?? sibling("chat-api")
        guard FileManager.default.isExecutableFile(atPath: chatAPI) else {
            throw Failure(
                "chat-api is not built beside gonogo (\(chatAPI)): run `swift build --product chat-api`, or ./scripts/demo"
            )
        }
        let project = try makeTemporaryFolder()
        say("demo project in \(project)")
        // Removed however the demo ends (Ctrl-C: see interrupt()), unless asked to keep it: it holds a TLS key.
        if !options.keep { folder = project }
        defer {
            if !options.keep { try? FileManager.default.removeItem(atPath: project) }
            folder = nil
        }

        // The deployment: its env file, TLS certificate, docs and deploy files in a git repository.
        let port = try freePort()
        let redirectPort = try freePort()
        let tls = project + "/tls"
        try FileManager.default.createDirectory(atPath: tls, withIntermediateDirectories: true)
        try SelfSignedCertificate.write(certificate: tls + "/cert.pem", key: tls + "/key.pem", days: 90)
        let webBuild = repository + "/.build/web"
        let web = FileManager.default.fileExists(atPath: webBuild + "/index.html")
        let env = environmentFile(port: port, redirectPort: redirectPort, tls: tls, web: web)
        try write(env, to: project + "/.env.production")
        try write(
            "# chat-api, as deployed by gonogo demo\n\nDeployment instructions: deploy/README.md. Operations: "
                + "docs/operations.md.\n", to: project + "/README.md")
        try write(".env\n.env.*\n!.env.example\ndata/\ntls/\nweb/dist/\n", to: project + "/.gitignore")
        for folder in ["docs", "deploy"] {
            try FileManager.default.copyItem(atPath: repository + "/" + folder, toPath: project + "/" + folder)
        }
        // The web app as the quick start built it (scripts/build-web): its sources beside the deployment, its build in
        // web/dist (served by chat-api), the project's lint. The demo builds nothing.
        if web {
            try FileManager.default.copyItem(atPath: repository + "/web", toPath: project + "/web")
            try FileManager.default.copyItem(atPath: webBuild, toPath: project + "/web/dist")
            try FileManager.default.createDirectory(atPath: project + "/scripts", withIntermediateDirectories: true)
            try FileManager.default.copyItem(
                atPath: repository + "/scripts/web-lint.mjs", toPath: project + "/scripts/web-lint.mjs")
        } else {
            say("the web app is not built (run scripts/build-web, as ./scripts/demo does): its items will say so")
        }
        try git(project, say: say)

        // chat-api: schema, two users with random passwords, demo data, then serving HTTPS.
        let values = try DotEnv.parse(env, file: ".env.production")
        var childEnv = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("LLM_") }
        for (k, v) in values { childEnv[k] = v }
        let admin = password()
        let probe = password()
        for (name, role, secret) in [("demo-admin", "admin", admin), ("demo-probe", "user", probe)] {
            try runTool(
                chatAPI, ["user", "add", "--username", name, "--role", role, "--password-stdin"], stdin: secret,
                environment: childEnv, directory: project)
        }
        try runTool(
            chatAPI, ["seed", "--sessions", "20", "--messages", "6"], stdin: nil, environment: childEnv,
            directory: project)
        say("chat-api: users demo-admin and demo-probe (random passwords), 20 seeded sessions")
        let server = ChildProcess(chatAPI, ["serve"], environment: childEnv, directory: project)
        try server.start()
        child = server
        defer { child = nil }
        guard let listening = await server.waitForLine(startingWith: "chat-api listening on", timeout: .seconds(60)),
            await server.waitForLine(startingWith: "chat-api redirecting", timeout: .seconds(10)) != nil
        else {
            await server.stop()
            throw Failure("chat-api did not start:\n\(server.text.suffix(2000))")
        }
        say(listening.replacingOccurrences(of: "chat-api listening on", with: "chat-api serving"))

        let result: Result
        do {
            result = try await verify(
                repository: repository, project: project, chatAPI: chatAPI, port: port, redirectPort: redirectPort,
                tls: tls,
                admin: admin, probe: probe, options: options, say: say)
        } catch {
            await server.stop()
            throw error
        }
        let clean = await server.stop()
        say(clean ? "chat-api stopped" : "chat-api did not stop within 10 s and was killed")
        let log = server.text
        try? write(log, to: options.out + "/chat-api.log")
        var final = result
        final.chatAPILog = options.out + "/chat-api.log"
        return final
    }

    static func verify(
        repository: String, project: String, chatAPI: String, port: Int, redirectPort: Int, tls: String, admin: String,
        probe: String, options: Options, say: @escaping @Sendable (String) -> Void
    ) async throws -> Result {
        // Named relative to the working folder when it is the repository: reports and SARIF locations read better.
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).standardizedFileURL.path
        var inputs = VerifySession.Inputs(
            checklist: cwd == repository ? checklistPath : repository + "/" + checklistPath)
        inputs.config = options.config ?? repository + "/" + configPath
        // The browser checks' screenshots go beside the reports.
        inputs.reportDirectory = options.out
        inputs.variables["GONOGO_DEMO_ROOT"] = project
        inputs.variables["GONOGO_API_URL"] = "https://127.0.0.1:\(port)"
        inputs.variables["GONOGO_FRONTEND_URL"] = "https://127.0.0.1:\(port)"
        // The web app's main script (content-hashed), for the cache policy of versioned files.
        let page = (try? String(contentsOfFile: project + "/web/dist/index.html", encoding: .utf8)) ?? ""
        inputs.variables["GONOGO_WEB_ASSET"] =
            page.firstMatch(of: /src="(\/assets\/[^"]+\.js)"/).map { String($0.1) } ?? "/assets/main.js"
        inputs.variables["GONOGO_PLAIN_URL"] = "http://127.0.0.1:\(redirectPort)"
        inputs.variables["GONOGO_CA_FILE"] = tls + "/cert.pem"
        inputs.variables["GONOGO_ADMIN_PASSWORD"] = admin
        inputs.variables["GONOGO_PROBE_PASSWORD"] = probe
        inputs.variables["GONOGO_CHAT_API"] = chatAPI
        // The deployment's environment is its env file, not the shell of whoever runs the demo.
        inputs.checkedEnvironment = nil
        // The demo's own config ships with gonogo: its one command (a backup and restore of the demo's database) is
        // known. A config of the caller's runs commands only when asked (--allow-commands), as verify does.
        inputs.allowCommands = options.config == nil || options.allowCommands
        inputs.warn = { say("warning: \($0)") }
        let session = try VerifySession.prepare(inputs)
        let started = ContinuousClock.now
        let finished = LockedBox(0)
        let run = await session.run { done, total, _ in
            let step = max(1, total / 5)
            if done % step == 0 || done == total {
                let first = finished.withLock { last in
                    defer { last = done }
                    return last != done
                }
                if first { say("verified \(done) of \(total) checks") }
            }
        }
        say(
            "verification took \(started.duration(to: .now).formatted(.units(allowed: [.seconds], fractionalPart: .show(length: 1))))"
        )
        // Every format, and the envelope signed with a key made for this run only.
        let key = P256.Signing.PrivateKey()
        var files = try session.write(
            run, formats: ReportFormat.allCases, to: options.out, toolVersion: options.toolVersion, signingWith: key)
        let publicKey = options.out + "/demo-signing.pub"
        try write(key.publicKey.pemRepresentation + "\n", to: publicKey)
        files.append(publicKey)
        return Result(run: run, files: files, publicKey: publicKey, project: project, chatAPILog: "")
    }

    /// chat-api's settings for the demo: production values, on loopback, HTTPS with the demo's certificate.
    static func environmentFile(port: Int, redirectPort: Int, tls: String, web: Bool) -> String {
        """
        # chat-api's settings in the demo deployment (made by gonogo demo)
        HOST=127.0.0.1
        PORT=\(port)
        DATABASE_URL=sqlite:data/messages.db
        LLM_PROVIDER=builtin
        CORS_ORIGINS=https://chat.example.com
        RATE_LIMIT_WINDOW=60
        RATE_LIMIT_MAX_REQUESTS=100
        LOGIN_RATE_LIMIT_MAX=5
        SESSION_TTL=3600
        REMEMBER_ME_TTL=2592000
        DEBUG=false
        LOG_LEVEL=info
        LOG_FORMAT=json
        TLS_CERT_FILE=\(tls)/cert.pem
        TLS_KEY_FILE=\(tls)/key.pem
        HSTS_MAX_AGE=31536000
        HTTP_REDIRECT_PORT=\(redirectPort)

        """ + (web ? "WEB_ROOT=web/dist\nWEB_API_URL=https://127.0.0.1:\(port)\n" : "")
    }

    /// A git history with the release tags the rollback items look for; the env file stays out (.gitignore).
    static func git(_ project: String, say: (String) -> Void) throws {
        guard let git = which("git") else {
            say("git is not installed: the git items will say so")
            return
        }
        let identity = ["-c", "user.name=gonogo demo", "-c", "user.email=demo@localhost", "-c", "commit.gpgsign=false"]
        for arguments in [
            ["init", "-q", "-b", "main"], ["add", "."], identity + ["commit", "-q", "-m", "chat-api 1.0.0-s4"],
            identity + ["tag", "-a", "v1.0.0-s4", "-m", "Sprint 4"],
            identity + ["commit", "-q", "--allow-empty", "-m", "chat-api 1.0.0-s5"],
            identity + ["tag", "-a", "v1.0.0-s5", "-m", "Sprint 5"],
        ] {
            try runTool(
                git, arguments, stdin: nil, environment: ProcessInfo.processInfo.environment, directory: project)
        }
    }

}
