import Catalog
import Checklist
import DotEnv
import Foundation

/// The release gate: `release` (the default) needs attestations for manual blockers and every role's sign-off;
/// `ci` lets them wait.
public enum Gate: String, Sendable, CaseIterable {
    case release, ci
}

/// Everything a run needs: the config file's settings with the command line's on top.
public struct VerifyOptions: Sendable {
    /// The directory paths are relative to (absolute once resolved).
    public var root: String = FileManager.default.currentDirectoryPath
    public var envFiles: [String] = []
    public var sqlite: String?
    public var databaseURL: String?
    public var apiURL: String?
    /// The frontend's base URL, for items whose `target` is `frontend` ("Page load time < 3s").
    public var frontendURL: String?
    public var artifacts: [String: [String]] = [:]
    public var targets: [String: [String]] = [:]
    public var notApplicable: [VerifyConfig.NotApplicable] = []
    public var overrides: [VerifyConfig.ItemOverride] = []
    public var http = HTTPSettings()
    public var allowCommands = false
    public var only: [String] = []
    public var skip: [String] = []
    public var gate: Gate = .release
    public var failOnWarn = false
    public var itemTimeout: Duration = defaultItemTimeout
    /// Each check's limit when neither the config nor a flag sets one.
    public static let defaultItemTimeout: Duration = .seconds(30)
    public var timeout: Duration = .seconds(300)
    public var concurrency = max(4, 2 * ProcessInfo.processInfo.activeProcessorCount)
    /// Attestations, waivers and the roster (`--attestations`, `--waivers`, `--roster`).
    public var signoff = SignoffInputs()
    /// Where ``signoff`` comes from, relative to ``root`` unless absolute; read by ``loadSignoff()``.
    public var attestationsFile: String?
    public var waiversFile: String?
    public var rosterFile: String?

    /// Reads the attestations, waivers and roster files into ``signoff``. Throws `InputFileError` (file and line).
    public mutating func loadSignoff() throws {
        signoff.attestations = try attestationsFile.map { try AttestationFile.load(path: resolve($0)) } ?? []
        signoff.waivers = try waiversFile.map { try WaiverFile.load(path: resolve($0)) } ?? []
        signoff.roster = try rosterFile.map { try Roster.load(path: resolve($0)) }
    }

    public init() {}

    /// `config`'s settings; paths in it are relative to the config file's directory, its `root` too.
    public init(config: VerifyConfig) {
        let base =
            config.path.map { URL(fileURLWithPath: $0).deletingLastPathComponent().path }
            ?? FileManager.default.currentDirectoryPath
        root = Self.absolute(config.root, base: base)
        envFiles = config.envFiles
        sqlite = config.sqlite
        databaseURL = config.databaseURL
        apiURL = config.apiURL
        frontendURL = config.frontendURL
        artifacts = config.artifacts
        targets = config.targets
        notApplicable = config.notApplicable
        overrides = config.items
        if let t = config.timeout { timeout = .milliseconds(Int(t * 1000)) }
        if let t = config.itemTimeout { itemTimeout = .milliseconds(Int(t * 1000)) }
        if let c = config.concurrency { concurrency = c }
        http = config.http
        attestationsFile = config.attestations
        waiversFile = config.waivers
        rosterFile = config.roster
    }

    static func absolute(_ path: String, base: String) -> String {
        let joined = path.hasPrefix("/") ? path : base + "/" + path
        return URL(fileURLWithPath: joined).standardizedFileURL.path
    }

    /// `path` relative to the root, made absolute.
    public func resolve(_ path: String) -> String { Self.absolute(path, base: root) }
}

/// The variables the env checks read: the env files (in order, later files winning), then the process environment
/// for what no file sets. Each value remembers where it came from, for messages.
public struct Environment: Sendable {
    public private(set) var values: [String: String] = [:]
    public private(set) var sources: [String: String] = [:]

    public init(files: [(path: String, values: [String: String])], process: [String: String]) {
        for (name, value) in process {
            values[name] = value
            sources[name] = "the environment"
        }
        for file in files {
            for (name, value) in file.values {
                values[name] = value
                sources[name] = file.path
            }
        }
    }

    /// Reads `paths` (relative to `root`). A missing or malformed file throws ``DotEnvError`` naming it and the line.
    public static func load(_ paths: [String], root: String, process: [String: String]) throws -> Environment {
        var files: [(String, [String: String])] = []
        for path in paths {
            let full = VerifyOptions.absolute(path, base: root)
            guard FileManager.default.fileExists(atPath: full) else {
                throw DotEnvError(
                    file: path, line: nil,
                    message: path.hasPrefix("/") ? "env file not found" : "env file not found (under \(root))")
            }
            files.append((path, try DotEnv.load(path: full)))
        }
        return Environment(files: files, process: process)
    }
}

/// What a probe is given: the options and the environment, once per run.
public struct ProbeContext: Sendable {
    public let options: VerifyOptions
    public let environment: Environment
    /// Secret values known to this run (env values of secret-looking names, the database URL's password), masked
    /// wherever a probe's output is reported.
    public let secrets: [String]

    /// `secretNames`: variables the checklist marks secret (`secret=true`) whatever their names.
    public init(options: VerifyOptions, environment: Environment, secretNames: Set<String> = []) {
        self.options = options
        self.environment = environment
        var secrets: [String] = []
        for (name, value) in environment.values where value.count >= 4 {
            if Secrets.isSecretName(name) || secretNames.contains(name) { secrets.append(value) }
            // A URL of any name may carry a password.
            if let password = URLComponents(string: value)?.password, password.count >= 4 { secrets.append(password) }
        }
        for url in [options.databaseURL].compactMap({ $0 }) {
            if let password = URLComponents(string: url)?.password, !password.isEmpty { secrets.append(password) }
        }
        self.secrets = secrets.sorted { $0.count > $1.count }
    }

    /// `text` with every known secret replaced by `***`.
    public func masked(_ text: String) -> String {
        var text = text
        for secret in secrets where text.contains(secret) {
            text = text.replacingOccurrences(of: secret, with: "***")
        }
        return text
    }
}

/// Which names hold secrets: the checklist's own rule (``Redaction/isSecretName(_:)``: keys, tokens, passwords,
/// DSNs, connection strings; not `PWD`, the shell's working directory). A URL of any other name is not masked whole,
/// only its password.
public enum Secrets {
    public static func isSecretName(_ name: String) -> Bool { Redaction.isSecretName(name) }
}

/// How the `http` probes reach the service (`http:` in gonogo.yml).
public struct HTTPSettings: Sendable {
    /// A PEM CA bundle to trust (relative to the root) instead of the system's.
    public var caFile: String?
    /// No certificate verification; every http item says so.
    public var insecure = false
    public var timeout: Duration = .seconds(10)
    /// The plain-HTTP address that must redirect to HTTPS (default: the API's host on port 80).
    public var plainURL: String?
    /// The origin CORS must allow (default: the first of `CORS_ORIGINS` in the env files).
    public var corsOrigin: String?
    public var adminPath = "/api/admin/sql"
    public var loginPath = "/api/auth/login"
    public var rateLimitPath = "/api/sessions"
    public var metricsPath = "/metrics"
    public var corsPath = "/api/chat"
    /// Named requests that latency items (and smoke flows) refer to: "history-retrieval", "llm"…
    public var requests: [String: NamedRequest] = [:]
    /// How to get a bearer token: log in (username and password, token read from a JSON field) or an env variable.
    public var credentials: Credentials?
    /// The latency probe's steady rate, its sampling time and warm-up.
    public var latency = LatencySettings()
    /// More credentials by name, for steps that act as someone else (`auth: admin`).
    public var users: [String: Credentials] = [:]
    /// Smoke flows by name: steps run in order, each checked, values carried from one to the next.
    public var flows: [String: [FlowStep]] = [:]

    public init() {}
}

/// A request a checklist item names.
public struct NamedRequest: Sendable {
    public var method = "GET"
    public var path: String
    public var body: String?
    /// Send the bearer token of `credentials`.
    public var auth = false
}

/// One step of a smoke flow: a request, the status it must answer (any 2xx by default), text its body must hold,
/// and JSON fields saved for later steps (`${name}` in a path or body).
public struct FlowStep: Sendable {
    public var method = "GET"
    public var path = "/"
    public var body: String?
    /// nil: no token; "" the default credentials; a name: `users[name]`.
    public var auth: String?
    public var expect: Int?
    public var contains: String?
    public var save: [String: String] = [:]
    public var line = 0
}

public struct Credentials: Sendable {
    public var username: String?
    public var password: String?
    public var tokenField = "token"
    /// A variable (environment or env files) holding a bearer token, instead of logging in.
    public var tokenVariable: String?
}

public struct LatencySettings: Sendable {
    public var rate = 20.0
    public var duration: Duration = .seconds(5)
    public var warmup: Duration = .seconds(1)
}
