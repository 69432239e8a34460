/// The families of checks, as CONTRACT.md names them.
public enum Family: String, Sendable, CaseIterable {
    case manual, group, command, artifact, file, git, env, sqlite, postgres, http, tls, latency

    /// Whether items of this family run without a person.
    public var isAutomated: Bool { self != .manual && self != .group }
}

/// A check kind, `family.name` (`sqlite.journal_mode`); `manual` and `group` stand alone.
public struct Kind: Sendable, Hashable, CustomStringConvertible, Comparable {
    public let family: Family
    public let name: String?

    public init(_ family: Family, _ name: String? = nil) {
        self.family = family
        self.name = name
    }

    /// Parses `family.name` against the registry; `nil` for a kind gonogo does not know.
    public init?(parsing text: String) {
        guard let known = Kind.all.first(where: { $0.description == text }) else { return nil }
        self = known
    }

    public var description: String { name.map { "\(family.rawValue).\($0)" } ?? family.rawValue }

    public static func < (lhs: Kind, rhs: Kind) -> Bool { lhs.description < rhs.description }

    public static let manual = Kind(.manual)
    public static let group = Kind(.group)

    /// Every kind gonogo knows, with what it checks and the params it reads. The registry the annotation
    /// parser validates against and `gonogo kinds` prints.
    public static let registry: [(kind: Kind, summary: String, params: String)] = [
        (.manual, "a person attests it", ""),
        (.group, "a parent item: the worst of its children", ""),
        (Kind(.command, "run"), "a shell command exits 0 (only with --allow-commands)", "command"),
        (Kind(.artifact, "junit"), "JUnit XML: tests counted, none failed", "path suite tests passed failures"),
        (Kind(.artifact, "coverage"), "coverage from Cobertura XML or LCOV against a threshold", "path threshold"),
        (
            Kind(.artifact, "lighthouse"), "Lighthouse JSON: a category score, a metric or an audit",
            "path category metric audit threshold"
        ),
        (Kind(.file, "exists"), "a file (or glob) exists", "path target"),
        (Kind(.file, "nonempty"), "a file exists and is not empty", "path target"),
        (Kind(.file, "contains"), "a file (or any file of a glob) contains a pattern", "path target pattern"),
        (Kind(.file, "absent"), "no file matches a path or glob (\"source maps not deployed\")", "path target"),
        (Kind(.git, "tag"), "a tag exists", "name previous"),
        (Kind(.git, "untracked"), "a path is not tracked by git", "path"),
        (Kind(.git, "ignored"), "a path is ignored by git", "path"),
        (Kind(.env, "set"), "a variable is set and not empty", "name secret"),
        (Kind(.env, "equals"), "a variable equals a value", "name value case_insensitive secret"),
        (
            Kind(.env, "not_equals"), "a variable is not set to a value (\"never deploy with DEBUG=True\")",
            "name value case_insensitive secret"
        ),
        (Kind(.env, "not_wildcard"), "a variable is set and is not a wildcard (*)", "name secret"),
        (Kind(.env, "url"), "a variable is a valid URL", "name scheme secret"),
        (Kind(.sqlite, "database"), "a file is a SQLite database", "path"),
        (Kind(.sqlite, "tables"), "tables exist", "path tables"),
        (
            Kind(.sqlite, "index"), "an index exists (by name; all expected indexes when none is named)",
            "path name columns"
        ),
        (Kind(.sqlite, "journal_mode"), "the journal mode", "path mode"),
        (Kind(.sqlite, "rows"), "a table holds rows", "path table min"),
        (Kind(.sqlite, "migrations"), "migrations are recorded as applied", "path table"),
        (Kind(.sqlite, "integrity"), "PRAGMA quick_check is ok", "path"),
        (Kind(.postgres, "connect"), "the server accepts a connection", "url"),
        (
            Kind(.postgres, "index"), "an index exists (by name, or every one of names; any index when none is named)",
            "url name names"
        ),
        (
            Kind(.postgres, "setting"), "a server setting (SHOW): equals a value, or meets a bound in its unit",
            "url name value op threshold"
        ),
        (Kind(.postgres, "pool"), "the application's connections fit the pool bounds", "url min max"),
        (Kind(.postgres, "replication"), "replication is streaming", "url"),
        (Kind(.postgres, "privileges"), "the application role's privileges", "url"),
        (Kind(.postgres, "migrations"), "migrations are recorded as applied", "url table min"),
        (Kind(.postgres, "rows"), "a table holds rows", "url table min"),
        (Kind(.postgres, "tables"), "tables exist", "url tables"),
        (Kind(.http, "status"), "a request answers a status (and a JSON field)", "path method status field equals"),
        (Kind(.http, "header"), "a response header is present, equal to a value, or absent", "path name value absent"),
        (
            Kind(.http, "hsts"), "Strict-Transport-Security is valid with max-age at least N",
            "path max_age include_subdomains preload"
        ),
        (Kind(.http, "security_headers"), "nosniff, frame options, referrer policy and friends", "path headers"),
        (Kind(.http, "redirect_https"), "plain HTTP redirects to HTTPS on the same host", "path"),
        (Kind(.http, "compression"), "the response is compressed when asked", "path encoding"),
        (Kind(.http, "cache_headers"), "cache headers are present (and long enough)", "path threshold"),
        (Kind(.http, "cors"), "the configured origin is allowed, a foreign one refused, never * with credentials", ""),
        (Kind(.http, "rate_limit"), "a bounded burst meets 429 with Retry-After", "target method path max window"),
        (Kind(.http, "auth_required"), "401 without a token, 403 with a wrong role", "path method role"),
        (Kind(.http, "smoke"), "a named flow of requests succeeds", "flow"),
        (Kind(.http, "metrics"), "the metrics endpoint exposes a metric family", "path metric"),
        (Kind(.tls, "protocols"), "protocol versions accepted and refused", "min refuse"),
        (Kind(.tls, "certificate"), "the chain verifies and names the host", ""),
        (Kind(.tls, "expiry"), "days until the certificate expires", "min_days"),
        (
            Kind(.latency, "request"), "percentiles of a request at a steady rate against a threshold",
            "request method path target threshold"
        ),
    ]

    public static let all: [Kind] = registry.map(\.kind)

    /// The params a check of `kind` reads, in the registry's order.
    public static func parameters(of kind: Kind) -> [String] {
        registry.first { $0.kind == kind }.map { $0.params.split(separator: " ").map(String.init) } ?? []
    }

    /// Why `key` cannot be a param of `kind` (with the nearest one it takes), or nil when it can.
    public static func unknownParameter(_ key: String, of kind: Kind) -> String? {
        let known = parameters(of: kind)
        guard !known.contains(key) else { return nil }
        guard !known.isEmpty else { return "\(kind) takes no parameters, not `\(key)`" }
        let near = known.map { ($0, AnnotationParser.editDistance($0, key)) }
            .filter { $0.1 <= max(2, key.count / 3) }.min { $0.1 < $1.1 }
        return "`\(key)` is not a parameter of \(kind) (it takes: \(known.joined(separator: ", ")))"
            + (near.map { "; did you mean `\($0.0)`?" } ?? "")
    }
}

/// `blocker` items decide the verdict; `advisory` ones (optional, "if applicable"…) only warn.
public enum Severity: String, Sendable {
    case blocker, advisory
}

/// Where an item's kind came from.
public enum Source: String, Sendable {
    /// An explicit `<!-- gonogo: … -->` annotation.
    case annotation
    /// Recognised from the item's words by the catalog.
    case catalog
    /// Neither: a person attests it.
    case none
}
