import Catalog
import Foundation
import Probes
import Yams

/// The config's sections, each a table of its keys (``ConfigSection``): what `VerifyConfig.parse` reads, and what an
/// unknown key's error lists.
extension VerifyConfig {
    typealias Section = ConfigSection<VerifyConfig>

    /// A key whose value is one string: `set` stores it.
    static func string(
        _ key: String, _ set: @escaping @Sendable (inout VerifyConfig, String?) -> Void
    ) -> (String, Section.Read) {
        (key, { reader, value, _, config in set(&config, try reader.string(value, key)) })
    }

    static let top = Section(
        "the config",
        [
            string("root") { $0.root = $1 ?? $0.root },
            ("env_files", { r, v, _, c in c.envFiles = try r.strings(v, "env_files") }),
            string("sqlite") { $0.sqlite = $1 },
            string("database_url") { $0.databaseURL = $1 },
            string("api_url") { $0.apiURL = $1 },
            string("frontend_url") { $0.frontendURL = $1 },
            ("artifacts", { r, v, _, c in try artifacts(r, v, &c) }),
            ("roles", { r, v, _, c in c.roles = try r.strings(v, "roles") }),
            string("environment") { $0.environment = $1 },
            (
                "targets",
                { r, v, _, c in
                    for (name, paths) in try r.mapping(v, what: "targets") {
                        c.targets[name.string ?? ""] = try r.strings(paths, "targets.\(name.string ?? "")")
                    }
                }
            ),
            (
                "not_applicable",
                { r, v, _, c in
                    for entry in try r.sequence(v, what: "not_applicable") {
                        c.notApplicable.append(try notApplicable(r, entry))
                    }
                }
            ),
            (
                "items",
                { r, v, _, c in
                    for (pattern, body) in try r.mapping(v, what: "items") {
                        let start = ItemOverride(
                            pattern: pattern.string ?? "", kind: nil, params: nil, skip: nil, line: r.line(pattern))
                        c.items.append(try override.read(body, from: start, r, what: "items.\(start.pattern)"))
                    }
                }
            ),
            ("timeout", { r, v, _, c in c.timeout = try r.seconds(v, "timeout") }),
            (
                "item_timeout",
                { r, v, k, c in
                    c.itemTimeout = try r.seconds(v, "item_timeout")
                    c.lines["item_timeout"] = r.line(k)
                }
            ),
            (
                "concurrency",
                { r, v, _, c in
                    guard let n = v.int, (1...256).contains(n) else {
                        throw r.error(v, "concurrency must be a whole number from 1 to 256")
                    }
                    c.concurrency = n
                }
            ),
            ("http", { r, v, _, c in try http.read(v, into: &c, r) }),
            string("attestations") { $0.attestations = $1 },
            string("waivers") { $0.waivers = $1 },
            string("roster") { $0.roster = $1 },
            (
                "connections",
                { r, v, _, c in
                    for (name, value) in try r.mapping(v, what: "connections") {
                        c.connections[name.string ?? ""] = try r.string(value, "connections.\(name.string ?? "")")
                    }
                }
            ),
        ])

    static func artifacts(_ r: NodeReader, _ v: Node, _ c: inout VerifyConfig) throws {
        for (name, paths) in try r.mapping(v, what: "artifacts") {
            let family = name.string ?? ""
            let known = ["junit", "coverage", "lighthouse"]
            guard known.contains(family) else {
                throw r.error(
                    name,
                    "unknown artifact `\(family)` (known: junit, coverage, lighthouse)"
                        + Suggestion.hint(for: family, in: known))
            }
            c.artifacts[family] = try r.strings(paths, "artifacts.\(family)")
        }
    }

    static let notApplicableEntry = ConfigSection<NotApplicable>(
        "a not_applicable entry",
        [
            ("section", { r, v, _, na in na.section = try r.string(v, "section") }),
            ("item", { r, v, _, na in na.item = try r.string(v, "item") }),
            ("reason", { r, v, _, na in na.reason = try r.string(v, "reason") ?? "" }),
        ])

    static func notApplicable(_ r: NodeReader, _ entry: Node) throws -> NotApplicable {
        let na = try notApplicableEntry.read(
            entry, from: NotApplicable(section: nil, item: nil, reason: "", line: r.line(entry)), r)
        guard na.section != nil || na.item != nil else {
            throw r.error(entry, "a not_applicable entry needs `section` or `item`")
        }
        guard !na.reason.isEmpty else {
            throw r.error(entry, "a not_applicable entry needs a `reason` (it goes in the report)")
        }
        return na
    }

    static let override = ConfigSection<ItemOverride>(
        "an items entry",
        [
            (
                "kind",
                { r, v, _, o in
                    let name = try r.string(v, "kind") ?? ""
                    guard let kind = Kind(parsing: name) else {
                        throw r.error(
                            v,
                            "unknown kind `\(name)` (see `gonogo kinds`)"
                                + Suggestion.hint(for: name, in: Kind.all.map(\.description)))
                    }
                    o.kind = kind
                }
            ),
            ("params", { r, v, _, o in o.params = try r.params(v) }),
            ("skip", { r, v, _, o in o.skip = try r.string(v, "skip") }),
        ])

    /// A path under `http:` whose default stays when the value is empty.
    static func httpPath(
        _ key: String, _ path: any WritableKeyPath<HTTPSettings, String> & Sendable
    ) -> (String, Section.Read) {
        (key, { r, v, _, c in c.http[keyPath: path] = try r.string(v, "http.\(key)") ?? c.http[keyPath: path] })
    }

    static let http = Section(
        "http",
        [
            ("ca_file", { r, v, _, c in c.http.caFile = try r.string(v, "http.ca_file") }),
            (
                "insecure",
                { r, v, _, c in
                    guard let b = v.bool else { throw r.error(v, "http.insecure must be true or false") }
                    c.http.insecure = b
                }
            ),
            ("timeout", { r, v, _, c in c.http.timeout = .milliseconds(Int(try r.seconds(v, "http.timeout") * 1000)) }),
            ("plain_url", { r, v, _, c in c.http.plainURL = try r.string(v, "http.plain_url") }),
            ("cors_origin", { r, v, _, c in c.http.corsOrigin = try r.string(v, "http.cors_origin") }),
            httpPath("admin_path", \.adminPath), httpPath("login_path", \.loginPath),
            httpPath("rate_limit_path", \.rateLimitPath), httpPath("metrics_path", \.metricsPath),
            httpPath("cors_path", \.corsPath),
            (
                "requests",
                { r, v, _, c in
                    for (name, body) in try r.mapping(v, what: "http.requests") {
                        c.http.requests[name.string ?? ""] = try request.read(
                            body, from: NamedRequest(path: "/"), r, what: "http.requests.\(name.string ?? "")")
                    }
                }
            ),
            ("credentials", { r, v, _, c in c.http.credentials = try credentials.read(v, from: Credentials(), r) }),
            (
                "users",
                { r, v, _, c in
                    for (user, body) in try r.mapping(v, what: "http.users") {
                        c.http.users[user.string ?? ""] = try credentials.read(body, from: Credentials(), r)
                    }
                }
            ),
            (
                "flows",
                { r, v, _, c in
                    for (flow, steps) in try r.mapping(v, what: "http.flows") {
                        c.http.flows[flow.string ?? ""] = try r.sequence(steps, what: "a flow").map {
                            try step.read($0, from: FlowStep(line: r.line($0)), r)
                        }
                    }
                }
            ),
            (
                "latency",
                { r, v, k, c in
                    c.lines["http.latency"] = r.line(k)
                    c.http.latency = try latency.read(v, from: c.http.latency, r)
                }
            ),
        ])

    static let latency = ConfigSection<LatencySettings>(
        "http.latency",
        [
            (
                "rate",
                { r, v, _, l in
                    guard let rate = v.float, rate > 0, rate <= 100_000 else {
                        throw r.error(v, "http.latency.rate must be requests per second, from 0 to 100000")
                    }
                    l.rate = rate
                }
            ),
            ("duration", { r, v, _, l in l.duration = .milliseconds(Int(try r.seconds(v, "duration") * 1000)) }),
            ("warmup", { r, v, _, l in l.warmup = .milliseconds(Int(try r.seconds(v, "warmup") * 1000)) }),
        ])

    static let request = ConfigSection<NamedRequest>(
        "a request",
        [
            ("method", { r, v, _, q in q.method = (try r.string(v, "method") ?? "GET").uppercased() }),
            ("path", { r, v, _, q in q.path = try r.string(v, "path") ?? "/" }),
            ("body", { r, v, _, q in q.body = try r.string(v, "body") }),
            ("auth", { _, v, _, q in q.auth = v.bool ?? false }),
        ])

    static let credentials = ConfigSection<Credentials>(
        "credentials",
        [
            ("username", { r, v, _, c in c.username = try r.string(v, "username") }),
            ("password", { r, v, _, c in c.password = try r.string(v, "password") }),
            ("token_field", { r, v, _, c in c.tokenField = try r.string(v, "token_field") ?? "token" }),
            ("token_variable", { r, v, _, c in c.tokenVariable = try r.string(v, "token_variable") }),
        ])

    static let step = ConfigSection<FlowStep>(
        "a flow step",
        [
            ("method", { r, v, _, s in s.method = (try r.string(v, "method") ?? "GET").uppercased() }),
            ("path", { r, v, _, s in s.path = try r.string(v, "path") ?? "/" }),
            ("body", { r, v, _, s in s.body = try r.string(v, "body") }),
            ("auth", { r, v, _, s in s.auth = v.bool == true ? "" : v.bool == false ? nil : try r.string(v, "auth") }),
            (
                "expect",
                { r, v, _, s in
                    guard let status = v.int, (100...599).contains(status) else {
                        throw r.error(v, "expect must be an HTTP status, as in 200")
                    }
                    s.expect = status
                }
            ),
            ("contains", { r, v, _, s in s.contains = try r.string(v, "contains") }),
            (
                "save",
                { r, v, _, s in
                    for (name, field) in try r.mapping(v, what: "save") {
                        s.save[name.string ?? ""] = try r.string(field, "save.\(name.string ?? "")") ?? ""
                    }
                }
            ),
        ])
}
