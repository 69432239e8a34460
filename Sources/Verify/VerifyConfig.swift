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

/// Typed reads of YAML nodes, each failure naming the line; `${VAR}` expanded in every string.
struct NodeReader: Sendable {
    let file: String
    let environment: [String: String]
    let unset = LockedBox<[(name: String, line: Int)]>([])

    func line(_ node: Node) -> Int { node.mark?.line ?? 0 }

    func error(_ node: Node, _ message: String) -> ConfigError {
        ConfigError(file: file, line: node.mark?.line, message: message)
    }

    func mapping(_ node: Node, what: String) throws -> [(Node, Node)] {
        guard case .mapping(let mapping) = node else { throw error(node, "\(what) must be a mapping (key: value)") }
        return mapping.map { ($0.key, $0.value) }
    }

    func sequence(_ node: Node, what: String) throws -> [Node] {
        guard case .sequence(let sequence) = node else { throw error(node, "\(what) must be a list") }
        return Array(sequence)
    }

    /// A scalar as a string with `${VAR}` expanded; nil when it expands to nothing (an unset variable).
    func string(_ node: Node, _ key: String) throws -> String? {
        guard case .scalar(let scalar) = node else { throw error(node, "\(key) must be a single value") }
        if scalar.string.isEmpty, scalar.style == .plain { return nil }  // `key:` with no value
        let expanded = expand(scalar.string, line: line(node))
        return expanded.isEmpty ? nil : expanded
    }

    /// A scalar or a list of scalars.
    func strings(_ node: Node, _ key: String) throws -> [String] {
        if case .sequence(let sequence) = node {
            return try sequence.compactMap { try string($0, key) }
        }
        return try string(node, key).map { [$0] } ?? []
    }

    func seconds(_ node: Node, _ key: String) throws -> Double {
        guard let value = node.float, value > 0, value <= 86_400 else {
            throw error(node, "\(key) must be a number of seconds from 0 to 86400")
        }
        return value
    }

    func credentials(_ node: Node) throws -> Credentials {
        var credentials = Credentials()
        for (k, v) in try mapping(node, what: "credentials") {
            switch k.string ?? "" {
            case "username": credentials.username = try string(v, "username")
            case "password": credentials.password = try string(v, "password")
            case "token_field": credentials.tokenField = try string(v, "token_field") ?? "token"
            case "token_variable": credentials.tokenVariable = try string(v, "token_variable")
            default:
                throw error(
                    k, "unknown key `\(k.string ?? "")` (known: username, password, token_field, token_variable)")
            }
        }
        return credentials
    }

    func step(_ node: Node) throws -> FlowStep {
        var step = FlowStep(line: line(node))
        for (k, v) in try mapping(node, what: "a flow step") {
            switch k.string ?? "" {
            case "method": step.method = (try string(v, "method") ?? "GET").uppercased()
            case "path": step.path = try string(v, "path") ?? "/"
            case "body": step.body = try string(v, "body")
            case "auth": step.auth = v.bool == true ? "" : v.bool == false ? nil : try string(v, "auth")
            case "expect":
                guard let status = v.int, (100...599).contains(status) else {
                    throw error(v, "expect must be an HTTP status, as in 200")
                }
                step.expect = status
            case "contains": step.contains = try string(v, "contains")
            case "save":
                for (name, field) in try mapping(v, what: "save") {
                    step.save[name.string ?? ""] = try string(field, "save.\(name.string ?? "")") ?? ""
                }
            default:
                throw error(
                    k, "unknown key `\(k.string ?? "")` (known: method, path, body, auth, expect, contains, save)")
            }
        }
        return step
    }

    /// `params: {key: value}`: scalars (typed as YAML types them) and lists of strings.
    func params(_ node: Node) throws -> Params {
        var params = Params()
        for (k, v) in try mapping(node, what: "params") {
            let key = k.string ?? ""
            switch v {
            case .sequence: params[key] = .list(try strings(v, key))
            case .scalar(let scalar) where key == "threshold":
                // Parsed as an annotation's is: a string here would be ignored and the check run on its default.
                guard let threshold = Threshold(parsing: expand(scalar.string, line: line(v))) else {
                    throw error(v, "params.threshold `\(scalar.string)` is not like \"p95 < 500ms\" or \">= 85%\"")
                }
                params[key] = .threshold(threshold)
            case .scalar(let scalar):
                if scalar.style == .plain, let b = v.bool {
                    params[key] = .bool(b)
                } else if scalar.style == .plain, let i = v.int {
                    params[key] = .int(i)
                } else if scalar.style == .plain, let d = v.float {
                    params[key] = .double(d)
                } else {
                    params[key] = .string(expand(scalar.string, line: line(v)))
                }
            default: throw error(v, "params.\(key) must be a value or a list")
            }
        }
        return params
    }

    /// `${NAME}` from the environment; an unset one expands to nothing and is remembered for a warning.
    func expand(_ text: String, line: Int) -> String {
        guard text.contains("${") else { return text }
        var out = ""
        var rest = Substring(text)
        while let open = rest.range(of: "${") {
            out += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].firstIndex(of: "}") else {
                out += rest[open.lowerBound...]
                return out
            }
            let name = String(rest[open.upperBound..<close])
            if let value = environment[name] {
                out += value
            } else {
                unset.withLock { $0.append((name, line)) }
            }
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }
}

/// Id globs for `--only`, `--skip` and config entries (`fnmatch`): `*` matches any run of characters, `/` included,
/// so `database-preparation/*` takes a section's items at every depth.
public enum IDGlob {
    public static func matches(_ pattern: String, _ id: String) -> Bool {
        fnmatch(pattern, id, 0) == 0
    }
}

extension VerifyConfig {
    /// The `items:` overrides against the checklist's plan, as the run applies them (an item takes the first pattern
    /// that matches it): a param the item's kind does not read is an error at its line (it would be ignored, and the
    /// check run on its default); a pattern that applies to no item, because it matches none or an earlier pattern
    /// takes them all, is a warning (a typo, or a config shared by several checklists), returned for the caller.
    public func checkOverrides(against plan: Plan) throws -> [String] {
        var warnings: [String] = []
        let first = plan.items.map { item in items.firstIndex { IDGlob.matches($0.pattern, item.id) } }
        for (n, override) in items.enumerated() {
            let matched = plan.items.indices.filter { first[$0] == n }.map { plan.items[$0] }
            if matched.isEmpty {
                let shadow = plan.items.indices.first { IDGlob.matches(override.pattern, plan.items[$0].id) }
                    .flatMap { first[$0] }.map { items[$0] }
                warnings.append(
                    "\(path ?? "config"):\(override.line): items: “\(override.pattern)” "
                        + (shadow.map {
                            "applies to nothing: “\($0.pattern)” (line \($0.line)) comes first for its items"
                        }
                            ?? "matches no item of \(plan.document.path)"))
            }
            guard let params = override.params else { continue }
            for item in matched {
                let kind = override.kind ?? item.kind
                guard kind.family.isAutomated else { continue }
                for (key, _) in params.pairs {
                    if let why = Kind.unknownParameter(key, of: kind) {
                        throw ConfigError(
                            file: path ?? "config", line: override.line,
                            message: "items: “\(override.pattern)” (\(item.id)): \(why)")
                    }
                }
                if let threshold = params.threshold, let why = Threshold.unsuitable(threshold, for: kind) {
                    throw ConfigError(
                        file: path ?? "config", line: override.line,
                        message: "items: “\(override.pattern)” (\(item.id)): threshold \(threshold.description): \(why)"
                    )
                }
            }
        }
        return warnings
    }
}
