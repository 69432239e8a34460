/// A param a check kind reads: its name, the type of its value, whether the value can hold a secret (reports then show
/// a URL without its credentials and anything else as `***`), and the value the probe assumes when the item gives none.
public struct ParamSpec: Sendable, Equatable, CustomStringConvertible {
    public enum ValueType: String, Sendable {
        /// Words: a path, a name, a method.
        case text
        /// A whole number: a count, a status code, seconds.
        case integer
        /// `true` or `false`.
        case flag
        /// Several values: `names=[a, b]`.
        case list
        /// A comparison with a unit: `"p95 < 500ms"`, `"> 80%"`.
        case threshold
    }

    public let name: String
    public let type: ValueType
    public let secret: Bool
    public let defaultValue: String?

    public var description: String { name }

    /// Whether `value` is of this param's type (an integer where a list is wanted is not).
    public func accepts(_ value: Params.Value) -> Bool {
        switch (type, value) {
        case (.text, .string), (.integer, .int), (.flag, .bool), (.list, .list), (.threshold, .threshold): true
        // A single value where a list is wanted, a number given as text: read as such by every probe.
        case (.list, .string), (.text, .int), (.text, .double): true
        default: false
        }
    }

    public static func text(_ name: String, secret: Bool = false, default value: String? = nil) -> ParamSpec {
        ParamSpec(name: name, type: .text, secret: secret, defaultValue: value)
    }
    public static func integer(_ name: String, default value: String? = nil) -> ParamSpec {
        ParamSpec(name: name, type: .integer, secret: false, defaultValue: value)
    }
    public static func flag(_ name: String) -> ParamSpec {
        ParamSpec(name: name, type: .flag, secret: false, defaultValue: "false")
    }
    public static func list(_ name: String) -> ParamSpec {
        ParamSpec(name: name, type: .list, secret: false, defaultValue: nil)
    }
    public static func threshold(_ name: String, default value: String? = nil) -> ParamSpec {
        ParamSpec(name: name, type: .threshold, secret: false, defaultValue: value)
    }
}

/// A check kind, declared once: its name, what it checks (the line `gonogo kinds` and the docs print) and the params
/// it reads. The annotation parser and config overrides validate against it; every probe claims exactly the kinds of
/// its family that are declared here (`ProbeTableTests`), so a kind without a probe, or a probe case without a
/// kind, fails the tests.
public struct KindSpec: Sendable {
    public let kind: Kind
    public let summary: String
    public let params: [ParamSpec]

    public init(_ kind: Kind, _ summary: String, _ params: [ParamSpec] = []) {
        self.kind = kind
        self.summary = summary
        self.params = params
    }

    /// The param named `name`, if the kind reads it.
    public func param(_ name: String) -> ParamSpec? { params.first { $0.name == name } }
}

extension Kind {
    /// Every kind gonogo knows: the built-in ones, then those of families registered with ``FamilyRegistry``. What
    /// the annotation parser validates against and `gonogo kinds` prints.
    public static var registry: [KindSpec] { FamilyRegistry.kinds }

    /// The kinds of the families the catalog itself declares.
    static let builtin: [KindSpec] =
        [
            KindSpec(.manual, "a person attests it", []),
            KindSpec(.group, "a parent item: the worst of its children", []),
            KindSpec(Kind(.command, "run"), "a shell command exits 0 (only with --allow-commands)", [.text("command")]),
            KindSpec(
                Kind(.artifact, "junit"), "JUnit XML: tests counted, none failed",
                [.text("path"), .text("suite"), .integer("tests"), .integer("passed"), .integer("failures")]),
            KindSpec(
                Kind(.artifact, "coverage"), "coverage from Cobertura XML or LCOV against a threshold",
                [.text("path"), .threshold("threshold")]),
            KindSpec(
                Kind(.artifact, "lighthouse"), "Lighthouse JSON: a category score, a metric or an audit",
                [.text("path"), .text("category"), .text("metric"), .text("audit"), .threshold("threshold")]),
            KindSpec(Kind(.file, "exists"), "a file (or glob) exists", [.text("path"), .text("target")]),
            KindSpec(Kind(.file, "nonempty"), "a file exists and is not empty", [.text("path"), .text("target")]),
            KindSpec(
                Kind(.file, "contains"), "a file (or any file of a glob) contains a pattern",
                [.text("path"), .text("target"), .text("pattern")]),
            KindSpec(
                Kind(.file, "absent"), "no file matches a path or glob (\"source maps not deployed\")",
                [.text("path"), .text("target")]),
            KindSpec(Kind(.git, "tag"), "a tag exists", [.text("name"), .flag("previous")]),
            KindSpec(Kind(.git, "untracked"), "a path is not tracked by git", [.text("path")]),
            KindSpec(Kind(.git, "ignored"), "a path is ignored by git", [.text("path")]),
            KindSpec(
                Kind(.env, "set"), "a variable is set and not empty",
                [.text("name"), .flag("secret"), .text("env_file")]),
            KindSpec(
                Kind(.env, "equals"), "a variable equals a value",
                [.text("name"), .text("value"), .flag("case_insensitive"), .flag("secret"), .text("env_file")]),
            KindSpec(
                Kind(.env, "not_equals"), "a variable is not set to a value (\"never deploy with DEBUG=True\")",
                [.text("name"), .text("value"), .flag("case_insensitive"), .flag("secret"), .text("env_file")]),
            KindSpec(
                Kind(.env, "not_wildcard"), "a variable is set and is not a wildcard (*)",
                [.text("name"), .flag("secret"), .text("env_file")]),
            KindSpec(
                Kind(.env, "url"), "a variable is a valid URL",
                [.text("name"), .text("scheme"), .flag("secret"), .text("env_file")]),
            KindSpec(Kind(.sqlite, "database"), "a file is a SQLite database", [.text("path")]),
            KindSpec(Kind(.sqlite, "tables"), "tables exist", [.text("path"), .list("tables")]),
            KindSpec(
                Kind(.sqlite, "index"), "an index exists (by name; all expected indexes when none is named)",
                [.text("path"), .text("name"), .list("columns")]),
            KindSpec(
                Kind(.sqlite, "journal_mode"), "the journal mode", [.text("path"), .text("mode", default: "wal")]),
            KindSpec(Kind(.sqlite, "rows"), "a table holds rows", [.text("path"), .text("table"), .integer("min")]),
            KindSpec(
                Kind(.sqlite, "migrations"), "migrations are recorded as applied", [.text("path"), .text("table")]),
            KindSpec(Kind(.sqlite, "integrity"), "PRAGMA quick_check is ok", [.text("path")]),
            KindSpec(Kind(.postgres, "connect"), "the server accepts a connection", [.text("url", secret: true)]),
            KindSpec(
                Kind(.postgres, "index"),
                "an index exists (by name, or every one of names; any index when none is named)",
                [.text("url", secret: true), .text("name"), .list("names")]),
            KindSpec(
                Kind(.postgres, "setting"), "a server setting (SHOW): equals a value, or meets a bound in its unit",
                [.text("url", secret: true), .text("name"), .text("value"), .text("op"), .threshold("threshold")]),
            KindSpec(
                Kind(.postgres, "pool"), "the application's connections fit the pool bounds",
                [.text("url", secret: true), .integer("min"), .integer("max")]),
            KindSpec(Kind(.postgres, "replication"), "replication is streaming", [.text("url", secret: true)]),
            KindSpec(Kind(.postgres, "privileges"), "the application role's privileges", [.text("url", secret: true)]),
            KindSpec(
                Kind(.postgres, "migrations"), "migrations are recorded as applied",
                [.text("url", secret: true), .text("table"), .integer("min")]),
            KindSpec(
                Kind(.postgres, "rows"), "a table holds rows",
                [.text("url", secret: true), .text("table"), .integer("min")]),
            KindSpec(Kind(.postgres, "tables"), "tables exist", [.text("url", secret: true), .list("tables")]),
            KindSpec(
                Kind(.http, "status"), "a request answers a status (and a JSON field)",
                [
                    .text("path", default: "/"), .text("method", default: "GET"), .integer("status", default: "200"),
                    .text("field"), .text("equals"),
                ]),
            KindSpec(
                Kind(.http, "header"),
                "a response header is present, equal to a value (case aside), without any of excludes, or absent",
                [.text("path"), .text("name"), .text("value"), .flag("absent"), .list("excludes")]),
            KindSpec(
                Kind(.http, "hsts"), "Strict-Transport-Security is valid with max-age at least N",
                [.text("path"), .integer("max_age"), .flag("include_subdomains"), .flag("preload")]),
            KindSpec(
                Kind(.http, "security_headers"), "nosniff, frame options, referrer policy and friends",
                [.text("path"), .list("headers")]),
            KindSpec(Kind(.http, "redirect_https"), "plain HTTP redirects to HTTPS on the same host", [.text("path")]),
            KindSpec(
                Kind(.http, "compression"),
                "the response is compressed when asked: encoding gzip, br, zstd or deflate; gzip|br for either, gzip,br for "
                    + "each", [.text("path"), .text("encoding")]),
            KindSpec(
                Kind(.http, "cache_headers"), "cache headers are present (and long enough)",
                [.text("path"), .threshold("threshold")]),
            KindSpec(
                Kind(.http, "cors"),
                "the origin (the item's, else the config's) is allowed; a foreign origin and null are neither echoed on "
                    + "the preflight nor on a simple GET; never * with credentials",
                [.text("origin"), .text("path")]
            ),
            KindSpec(
                Kind(.http, "rate_limit"), "a bounded burst meets 429 with Retry-After",
                [.text("target"), .text("method"), .text("path"), .integer("max"), .integer("window")]),
            KindSpec(
                Kind(.http, "auth_required"), "401 without a token, 403 with a wrong role",
                [.text("path"), .text("method"), .text("role")]),
            KindSpec(Kind(.http, "smoke"), "a named flow of requests succeeds", [.text("flow")]),
            KindSpec(
                Kind(.http, "metrics"), "the metrics endpoint exposes a metric family",
                [.text("path"), .text("metric")]),
            KindSpec(
                Kind(.tls, "protocols"),
                "protocol versions (ssl2, ssl3, 1.0 to 1.3) accepted and refused: none below min (1.2 unless only accept or "
                    + "refuse is given), none in refuse, "
                    + "every one in accept",
                [.text("min"), .list("refuse"), .list("accept")]),
            KindSpec(
                Kind(.tls, "certificate"),
                "each part named: valid, the chain verifies, names the host and is in date (the default when no other "
                    + "part is named); ocsp, a stapled OCSP answer; min_key_bits, a key at least that strong (an EC key by "
                    + "its RSA equivalent); signature, every sent certificate signed with that digest or a stronger one "
                    + "(sha256); chain, the intermediates sent, in order",
                [.flag("valid"), .flag("ocsp"), .integer("min_key_bits"), .text("signature"), .flag("chain")]),
            KindSpec(
                Kind(.tls, "expiry"),
                "days until the certificate expires; with valid, the chain verifies and names the host too",
                [.integer("min_days"), .flag("valid")]),
            KindSpec(
                Kind(.tls, "ciphers"),
                "cipher suites tried one by one (TLS 1.0-1.2 and 1.3, at OpenSSL's security level 0): none in a refused "
                    + "category (null, anull, export, rc4, des, 3des, md5, cbc, static_rsa); with forward_secrecy, a usual "
                    + "client gets a forward-secret suite (as testssl.sh judges it; refuse=static_rsa asks it of every "
                    + "suite); with server_order, the server's order wins",
                [.list("refuse"), .flag("forward_secrecy"), .flag("server_order")]),
            KindSpec(
                Kind(.tls, "alpn"), "the server selects the protocol by ALPN (h2: HTTP/2)",
                [.text("protocol", default: "h2")]),
            KindSpec(
                Kind(.tls, "renegotiation"),
                "secure renegotiation (RFC 5746) over TLS 1.2 and older; a TLS 1.3-only server has none to secure", []),
            KindSpec(
                Kind(.tls, "fallback_scsv"),
                "a handshake one version below the server's best, signalled with TLS_FALLBACK_SCSV (RFC 7507), is refused",
                []),
            KindSpec(
                Kind(.latency, "request"), "percentiles of a request at a steady rate against a threshold",
                [
                    .text("request"), .text("method", default: "GET"), .text("path"), .text("target"),
                    .threshold("threshold", default: "p95 < 500 ms"),
                ]),
        ] + browserKinds
}
