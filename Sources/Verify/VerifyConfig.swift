import Catalog
import DotEnv
import Foundation
import Probes
import Results
import Yams

#if canImport(Glibc)
    import Glibc
#endif

/// `gonogo.yml`: where the things a checklist talks about are. Every key is optional; command-line flags win.
///
/// ```yaml
/// root: .                              # paths below are relative to it (itself relative to this file)
/// env_files: [.env.production]         # dotenv files the env checks read (they win over the process environment)
/// sqlite: data/messages.db
/// database_url: ${DATABASE_URL}        # ${VAR} expands from the environment and the env files
/// environment: production              # named in every report (`--env-name` wins)
/// api_url: https://api.example.com
/// frontend_url: https://chat.example.com
/// artifacts:
///   junit: [reports/junit/*.xml]
///   coverage: [reports/coverage.xml]
///   lighthouse: [reports/lighthouse.json]
/// targets:                             # names items use ("docs", "nginx") -> files or globs
///   docs: ["docs/**/*.md", README.md]
/// not_applicable:                      # reported `skip`, with the reason
///   - section: Frontend Deployment
///     reason: chat-api has no Next.js frontend
/// items:                               # per-item overrides, by id or id glob
///   "database-preparation/*/wal-mode-enabled":
///     params: {mode: wal}
/// connections:                        # any family's connection settings, by name
///   redis_url: ${REDIS_URL}
/// timeout: 120                         # the whole run, seconds
/// item_timeout: 30                     # each check, seconds
/// concurrency: 8
/// ```
public struct VerifyConfig: Sendable {
    /// The file it was read from; nil for the built-in defaults.
    public var path: String?
    public var root: String = "."
    public var envFiles: [String] = []
    public var sqlite: String?
    public var databaseURL: String?
    public var apiURL: String?
    public var frontendURL: String?
    /// The attestations, waivers and roster files (docs/signoff.md), relative to the root.
    public var attestations: String?
    public var waivers: String?
    public var roster: String?
    public var artifacts: [String: [String]] = [:]
    /// Roles that must sign off, beside those of the checklist's sign-off table (a checklist may have none).
    public var roles: [String] = []
    /// The environment's name the reports carry (`production`, `staging`); `--env-name` wins.
    public var environment: String?
    public var targets: [String: [String]] = [:]
    public var notApplicable: [NotApplicable] = []
    public var items: [ItemOverride] = []
    public var timeout: Double?
    public var itemTimeout: Double?
    public var concurrency: Int?
    public var http = HTTPSettings()
    /// Connection settings by name for families that read their own (`redis_url: …`): `ProbeSettings.connections`.
    public var connections: [String: String] = [:]
    /// `${VAR}`s that were not set, with their lines: warnings for the person running gonogo.
    public var unsetVariables: [(name: String, line: Int)] = []
    /// The lines some keys were read at (`item_timeout`, `http.latency`), for errors that concern their values together.
    var lines: [String: Int] = [:]

    public init() {}

    /// A section or item that does not apply to this deployment.
    public struct NotApplicable: Sendable {
        /// A heading anywhere in the item's section path (case-insensitive), or nil.
        public var section: String?
        /// An item id or id glob, or nil.
        public var item: String?
        public var reason: String
        public var line: Int

        public func matches(_ planned: PlannedItem) -> Bool {
            if let section,
                !planned.item.section.contains(where: { $0.caseInsensitiveCompare(section) == .orderedSame })
            {
                return false
            }
            if let item, !IDGlob.matches(item, planned.id) { return false }
            return section != nil || item != nil
        }
    }

    /// Per-item settings: a kind and params that replace the recognised ones, or a reason to skip.
    public struct ItemOverride: Sendable {
        public var pattern: String
        public var kind: Kind?
        public var params: Params?
        public var skip: String?
        public var line: Int
    }

    /// Why a latency item could never finish under this config, or nil: its sampling (warm-up and duration) does not
    /// fit in the item's timeout, so it would always end as an error after sending requests for nothing. At the line
    /// of `http.latency`, else of `item_timeout`.
    public func latencySamplingError() -> ConfigError? {
        let sampling = http.latency.warmup + http.latency.duration
        let limit = itemTimeout.map { Duration.milliseconds(Int($0 * 1000)) } ?? VerifyOptions.defaultItemTimeout
        guard sampling >= limit else { return nil }
        return ConfigError(
            file: path ?? "config", line: lines["http.latency"] ?? lines["item_timeout"],
            message: "http.latency samples for \(seconds(sampling)) (warmup + duration), which does not fit in "
                + "item_timeout \(seconds(limit)): raise item_timeout above \(seconds(sampling)) or shorten the sampling"
        )
    }

    /// The keys of the file's top level, in the order the docs list them.
    static var knownKeys: [String] { top.names }

    /// Reads `path`. Throws ``ConfigError`` naming the file and line for anything it cannot use.
    public static func load(path: String, environment: [String: String]) throws -> VerifyConfig {
        try parse(InputFileError.readText(path), file: path, environment: environment)
    }

    public static func parse(_ text: String, file: String, environment: [String: String]) throws -> VerifyConfig {
        var config = VerifyConfig()
        config.path = file
        let root: Node?
        try YAMLBounds.check(text, file: file)
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw ConfigError.yaml(error, file: file)
        }
        guard let root else { return config }  // an empty file: the defaults
        let reader = NodeReader(file: file, environment: environment)
        try top.read(root, into: &config, reader)
        config.unsetVariables = reader.unset.withLock { $0 }
        // A sampling the config sets must fit in the item's timeout; the default sampling only matters when the
        // checklist has a latency item (VerifySession asks then).
        if config.lines["http.latency"] != nil, let error = config.latencySamplingError() { throw error }
        return config
    }
}

/// A config file that cannot be used: the file, the line, what is wrong and, where it helps, the fix (the nearest
/// key, the key to add). Not a value from the file: `${VAR}`s may hold secrets.
public struct ConfigError: InputError {
    public let file: String
    public let line: Int?
    public let message: String

    public init(file: String, line: Int?, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    /// A YAML file that does not parse: the parser's reason, at its line.
    static func yaml(_ error: YamlError, file: String) -> ConfigError {
        let parsed = InputFileError.yaml(error, file: file)
        return ConfigError(file: file, line: parsed.line, message: parsed.message)
    }
}
