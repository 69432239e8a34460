import Catalog
import Checklist
import DotEnv
import Foundation
import Results
import Synchronization

/// Where the things a checklist talks about are, and how to reach them: what every probe reads, once per run.
public struct ProbeSettings: Sendable {
    /// The directory paths are relative to (absolute once resolved).
    public var root: String = FileManager.default.currentDirectoryPath
    public var envFiles: [String] = []
    /// Connection settings by name: `sqlite` (a file), `database_url`, `api_url`, `frontend_url`, and any a new
    /// family reads. One map, so masking reads every one of them (a URL's password is a secret) and a new family
    /// needs no field of its own.
    public var connections: [String: String] = [:]
    public var artifacts: [String: [String]] = [:]
    public var targets: [String: [String]] = [:]
    public var http = HTTPSettings()
    public var itemTimeout: Duration = defaultItemTimeout
    /// Where checks keep files for the report (the browser's screenshots, under `screenshots/`): the reports'
    /// directory (`--out`), or nil when the run writes no report files.
    public var reportDirectory: String?
    /// Each check's limit when neither the config nor a flag sets one.
    public static let defaultItemTimeout: Duration = .seconds(30)

    public init() {}

    /// The SQLite database file.
    public var sqlite: String? {
        get { connections["sqlite"] }
        set { connections["sqlite"] = newValue }
    }
    /// The PostgreSQL URL.
    public var databaseURL: String? {
        get { connections["database_url"] }
        set { connections["database_url"] = newValue }
    }
    /// The service's base URL.
    public var apiURL: String? {
        get { connections["api_url"] }
        set { connections["api_url"] = newValue }
    }
    /// The frontend's base URL, for items whose `target` is `frontend` ("Page load time < 3s").
    public var frontendURL: String? {
        get { connections["frontend_url"] }
        set { connections["frontend_url"] = newValue }
    }

    public static func absolute(_ path: String, base: String) -> String {
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

    /// Reads `paths` (relative to `root`). A missing or malformed file throws ``InputFileError`` naming it and the line.
    public static func load(_ paths: [String], root: String, process: [String: String]) throws -> Environment {
        var files: [(String, [String: String])] = []
        for path in paths {
            let full = ProbeSettings.absolute(path, base: root)
            guard FileManager.default.fileExists(atPath: full) else {
                throw InputFileError(
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
    public let settings: ProbeSettings
    public let environment: Environment
    /// Env files an item names with `env_file` (the checklist's own, see `ChecklistTargets`), read with the process
    /// environment under them, by the name the item gives. A file missing here was not found.
    public let scoped: [String: Environment]
    /// Secret values known to this run (env values of secret-looking names, the database URL's password), masked
    /// wherever a probe's output is reported.
    public let secrets: [String]
    /// Outcomes a run's checks share: a rate limit's burst, which spends the service's allowance, is sent once per
    /// route and its outcome reused by another item about the same route.
    public let shared = SharedOutcomes()

    /// `secretNames`: variables the checklist marks secret (`secret=true`) whatever their names.
    public init(
        settings: ProbeSettings, environment: Environment, scoped: [String: Environment] = [:],
        secretNames: Set<String> = []
    ) {
        self.settings = settings
        self.environment = environment
        self.scoped = scoped
        var secrets: [String] = []
        let values = [environment.values] + scoped.values.map(\.values)
        for (name, value) in values.joined() where value.count >= 4 {
            if Secrets.isSecretName(name) || secretNames.contains(name) { secrets.append(value) }
            // A URL of any name may carry a password.
            if let password = URLComponents(string: value)?.password, password.count >= 4 { secrets.append(password) }
        }
        // Every connection setting (database URLs, API URLs…) may carry a password: one map, read whole. A setting
        // of a secret-looking name (`api_key`, `redis_password`) is a secret whole.
        for (name, value) in settings.connections {
            if let password = URLComponents(string: value)?.password, !password.isEmpty { secrets.append(password) }
            if Secrets.isSecretName(name), value.count >= 4 { secrets.append(value) }
        }
        self.secrets = secrets.sorted { $0.count > $1.count }
    }

    /// The variables `item` reads: its `env_file`'s, else the run's; nil when its `env_file` was not found.
    public func environment(for item: PlannedItem) -> Environment? {
        guard let file = item.params.string("env_file") else { return environment }
        return scoped[file]
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

/// What checks of one run share, by key: results of a costly or state-spending act (a rate limit's burst), with the
/// id of the item that did it.
public final class SharedOutcomes: Sendable {
    private let values = Mutex<[String: (id: String, value: any Sendable)]>([:])

    public init() {}

    public func value<T: Sendable>(_ key: String, as: T.Type) -> (id: String, value: T)? {
        values.withLock { entry in entry[key].flatMap { e in (e.value as? T).map { (e.id, $0) } } }
    }

    /// Records `value` under `key`, replacing an earlier one (a longer burst supersedes a shorter one).
    public func record<T: Sendable>(_ key: String, id: String, _ value: T) {
        values.withLock { $0[key] = (id, value) }
    }
}
