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
    public var targets: [String: [String]] = [:]
    public var notApplicable: [NotApplicable] = []
    public var items: [ItemOverride] = []
    public var timeout: Double?
    public var itemTimeout: Double?
    public var concurrency: Int?
    public var http = HTTPSettings()
    /// `${VAR}`s that were not set, with their lines: warnings for the person running gonogo.
    public var unsetVariables: [(name: String, line: Int)] = []

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

    static let knownKeys = [
        "root", "env_files", "sqlite", "database_url", "api_url", "frontend_url", "artifacts", "targets",
        "not_applicable", "items",
        "timeout", "item_timeout", "concurrency", "http", "attestations", "waivers", "roster",
    ]

    /// Reads `path`. Throws ``ConfigError`` naming the file and line for anything it cannot use.
    public static func load(path: String, environment: [String: String]) throws -> VerifyConfig {
        try parse(InputFileError.readText(path), file: path, environment: environment)
    }

    public static func parse(_ text: String, file: String, environment: [String: String]) throws -> VerifyConfig {
        var config = VerifyConfig()
        config.path = file
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw ConfigError.yaml(error, file: file)
        }
        guard let root else { return config }  // an empty file: the defaults
        let reader = NodeReader(file: file, environment: environment)
        let top = try reader.mapping(root, what: "the config")
        var latencyLine: Int?
        var itemTimeoutLine: Int?
        for (keyNode, value) in top {
            let key = keyNode.string ?? ""
            switch key {
            case "root": config.root = try reader.string(value, key) ?? config.root
            case "env_files": config.envFiles = try reader.strings(value, key)
            case "sqlite": config.sqlite = try reader.string(value, key)
            case "database_url": config.databaseURL = try reader.string(value, key)
            case "api_url": config.apiURL = try reader.string(value, key)
            case "frontend_url": config.frontendURL = try reader.string(value, key)
            case "attestations": config.attestations = try reader.string(value, key)
            case "waivers": config.waivers = try reader.string(value, key)
            case "roster": config.roster = try reader.string(value, key)
            case "artifacts":
                for (name, paths) in try reader.mapping(value, what: key) {
                    let family = name.string ?? ""
                    guard ["junit", "coverage", "lighthouse"].contains(family) else {
                        throw reader.error(name, "unknown artifact `\(family)` (known: junit, coverage, lighthouse)")
                    }
                    config.artifacts[family] = try reader.strings(paths, "artifacts.\(family)")
                }
            case "targets":
                for (name, paths) in try reader.mapping(value, what: key) {
                    config.targets[name.string ?? ""] = try reader.strings(paths, "targets.\(name.string ?? "")")
                }
            case "not_applicable":
                for entry in try reader.sequence(value, what: key) {
                    var na = NotApplicable(section: nil, item: nil, reason: "", line: reader.line(entry))
                    for (k, v) in try reader.mapping(entry, what: "a not_applicable entry") {
                        switch k.string ?? "" {
                        case "section": na.section = try reader.string(v, "section")
                        case "item": na.item = try reader.string(v, "item")
                        case "reason": na.reason = try reader.string(v, "reason") ?? ""
                        default:
                            throw reader.error(k, "unknown key `\(k.string ?? "")` (known: section, item, reason)")
                        }
                    }
                    guard na.section != nil || na.item != nil else {
                        throw reader.error(entry, "a not_applicable entry needs `section` or `item`")
                    }
                    guard !na.reason.isEmpty else {
                        throw reader.error(entry, "a not_applicable entry needs a `reason` (it goes in the report)")
                    }
                    config.notApplicable.append(na)
                }
            case "items":
                for (pattern, body) in try reader.mapping(value, what: key) {
                    var override = ItemOverride(
                        pattern: pattern.string ?? "", kind: nil, params: nil, skip: nil, line: reader.line(pattern))
                    for (k, v) in try reader.mapping(body, what: "items.\(override.pattern)") {
                        switch k.string ?? "" {
                        case "kind":
                            let name = try reader.string(v, "kind") ?? ""
                            guard let kind = Kind(parsing: name) else {
                                throw reader.error(v, "unknown kind `\(name)` (see `gonogo kinds`)")
                            }
                            override.kind = kind
                        case "params": override.params = try reader.params(v)
                        case "skip": override.skip = try reader.string(v, "skip")
                        default:
                            throw reader.error(k, "unknown key `\(k.string ?? "")` (known: kind, params, skip)")
                        }
                    }
                    config.items.append(override)
                }
            case "http":
                for (k, v) in try reader.mapping(value, what: key) {
                    switch k.string ?? "" {
                    case "ca_file": config.http.caFile = try reader.string(v, "http.ca_file")
                    case "insecure":
                        guard let b = v.bool else { throw reader.error(v, "http.insecure must be true or false") }
                        config.http.insecure = b
                    case "timeout":
                        config.http.timeout = .milliseconds(Int(try reader.seconds(v, "http.timeout") * 1000))
                    case "plain_url": config.http.plainURL = try reader.string(v, "http.plain_url")
                    case "cors_origin": config.http.corsOrigin = try reader.string(v, "http.cors_origin")
                    case "admin_path":
                        config.http.adminPath = try reader.string(v, "http.admin_path") ?? config.http.adminPath
                    case "login_path":
                        config.http.loginPath = try reader.string(v, "http.login_path") ?? config.http.loginPath
                    case "rate_limit_path":
                        config.http.rateLimitPath =
                            try reader.string(v, "http.rate_limit_path") ?? config.http.rateLimitPath
                    case "metrics_path":
                        config.http.metricsPath = try reader.string(v, "http.metrics_path") ?? config.http.metricsPath
                    case "cors_path":
                        config.http.corsPath = try reader.string(v, "http.cors_path") ?? config.http.corsPath
                    case "requests":
                        for (name, body) in try reader.mapping(v, what: "http.requests") {
                            var request = NamedRequest(path: "/")
                            for (rk, rv) in try reader.mapping(body, what: "http.requests.\(name.string ?? "")") {
                                switch rk.string ?? "" {
                                case "method": request.method = (try reader.string(rv, "method") ?? "GET").uppercased()
                                case "path": request.path = try reader.string(rv, "path") ?? "/"
                                case "body": request.body = try reader.string(rv, "body")
                                case "auth": request.auth = rv.bool ?? false
                                default:
                                    throw reader.error(
                                        rk, "unknown key `\(rk.string ?? "")` (known: method, path, body, auth)")
                                }
                            }
                            config.http.requests[name.string ?? ""] = request
                        }
                    case "users":
                        for (user, body) in try reader.mapping(v, what: "http.users") {
                            config.http.users[user.string ?? ""] = try reader.credentials(body)
                        }
                    case "flows":
                        for (flow, steps) in try reader.mapping(v, what: "http.flows") {
                            config.http.flows[flow.string ?? ""] = try reader.sequence(steps, what: "a flow").map {
                                try reader.step($0)
                            }
                        }
                    case "credentials": config.http.credentials = try reader.credentials(v)
                    case "latency":
                        latencyLine = reader.line(k)
                        for (lk, lv) in try reader.mapping(v, what: "http.latency") {
                            switch lk.string ?? "" {
                            case "rate":
                                guard let rate = lv.float, rate > 0, rate <= 100_000 else {
                                    throw reader.error(
                                        lv, "http.latency.rate must be requests per second, from 0 to 100000")
                                }
                                config.http.latency.rate = rate
                            case "duration":
                                config.http.latency.duration = .milliseconds(
                                    Int(try reader.seconds(lv, "duration") * 1000))
                            case "warmup":
                                config.http.latency.warmup = .milliseconds(Int(try reader.seconds(lv, "warmup") * 1000))
                            default:
                                throw reader.error(
                                    lk, "unknown key `\(lk.string ?? "")` (known: rate, duration, warmup)")
                            }
                        }
                    default:
                        throw reader.error(
                            k,
                            "unknown key `\(k.string ?? "")` (known: ca_file, insecure, timeout, plain_url, cors_origin, "
                                + "admin_path, login_path, rate_limit_path, metrics_path, cors_path, requests, credentials, "
                                + "users, flows, latency)")
                    }
                }
            case "timeout": config.timeout = try reader.seconds(value, key)
            case "item_timeout":
                config.itemTimeout = try reader.seconds(value, key)
                itemTimeoutLine = reader.line(keyNode)
            case "concurrency":
                guard let n = value.int, (1...256).contains(n) else {
                    throw reader.error(value, "concurrency must be a whole number from 1 to 256")
                }
                config.concurrency = n
            default:
                throw reader.error(
                    keyNode, "unknown key `\(key)` (known: \(knownKeys.joined(separator: ", ")))")
            }
        }
        config.unsetVariables = reader.unset.withLock { $0 }
        // A latency item samples for its warm-up and duration within its check's timeout: one that cannot fit would
        // always end as an error, after sending requests for nothing.
        let sampling = config.http.latency.warmup + config.http.latency.duration
        let limit = config.itemTimeout.map { Duration.milliseconds(Int($0 * 1000)) } ?? VerifyOptions.defaultItemTimeout
        if let line = latencyLine ?? itemTimeoutLine, sampling >= limit {
            throw ConfigError(
                file: file, line: line,
                message: "http.latency samples for \(seconds(sampling)) (warmup + duration), which does not fit in "
                    + "item_timeout \(seconds(limit)): raise item_timeout above \(seconds(sampling)) or shorten the sampling"
            )
        }
        return config
    }
}

/// A config file that cannot be used: the file, the line, what is wrong and, where it helps, the fix.
public typealias ConfigError = InputFileError
