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
        (Kind(.artifact, "junit"), "JUnit XML: tests counted, none failed", "suite tests passed"),
        (Kind(.artifact, "coverage"), "coverage from Cobertura XML or LCOV against a threshold", "threshold"),
        (
            Kind(.artifact, "lighthouse"), "Lighthouse JSON: a category score, a metric or an audit",
            "category metric audit threshold"
        ),
        (Kind(.file, "exists"), "a file (or glob) exists", "path target"),
        (Kind(.file, "nonempty"), "a file exists and is not empty", "path"),
        (Kind(.file, "contains"), "a file (or any file of a glob) contains a pattern", "path target pattern"),
        (Kind(.file, "absent"), "no file matches a path or glob (\"source maps not deployed\")", "path"),
        (Kind(.git, "tag"), "a tag exists", "name previous"),
        (Kind(.git, "untracked"), "a path is not tracked by git", "path"),
        (Kind(.git, "ignored"), "a path is ignored by git", "path"),
        (Kind(.env, "set"), "a variable is set and not empty", "name secret"),
        (Kind(.env, "equals"), "a variable equals a value", "name value secret"),
        (
            Kind(.env, "not_equals"), "a variable is not set to a value (\"never deploy with DEBUG=True\")",
            "name value secret"
        ),
        (Kind(.env, "not_wildcard"), "a variable is set and is not a wildcard (*)", "name"),
        (Kind(.env, "url"), "a variable is a valid URL", "name scheme secret"),
        (Kind(.sqlite, "database"), "a file is a SQLite database", "path"),
        (Kind(.sqlite, "tables"), "tables exist", "tables"),
        (Kind(.sqlite, "index"), "an index exists (by name; all expected indexes when none is named)", "name columns"),
        (Kind(.sqlite, "journal_mode"), "the journal mode", "mode"),
        (Kind(.sqlite, "rows"), "a table holds rows", "table min"),
        (Kind(.sqlite, "migrations"), "migrations are recorded as applied", "table"),
        (Kind(.sqlite, "integrity"), "PRAGMA quick_check is ok", ""),
        (Kind(.postgres, "connect"), "the server accepts a connection", ""),
        (
            Kind(.postgres, "index"), "an index exists (by name, or every one of names; any index when none is named)",
            "name names"
        ),
        (Kind(.postgres, "setting"), "a server setting (SHOW)", "name value threshold"),
        (Kind(.postgres, "pool"), "the application's connections fit the pool bounds", "min max"),
        (Kind(.postgres, "replication"), "replication is streaming", ""),
        (Kind(.postgres, "privileges"), "the application role's privileges", ""),
        (Kind(.postgres, "migrations"), "migrations are recorded as applied", "table"),
        (Kind(.postgres, "rows"), "a table holds rows", "table min"),
        (Kind(.postgres, "tables"), "tables exist", "tables"),
        (Kind(.http, "status"), "a request answers a status (and a JSON field)", "path status field equals"),
        (Kind(.http, "header"), "a response header is present, equal or matching", "path name value"),
        (
            Kind(.http, "hsts"), "Strict-Transport-Security is valid with max-age at least N",
            "max_age include_subdomains preload"
        ),
        (Kind(.http, "security_headers"), "nosniff, frame options, referrer policy and friends", "headers"),
        (Kind(.http, "redirect_https"), "plain HTTP redirects to HTTPS on the same host", ""),
        (Kind(.http, "compression"), "the response is compressed when asked", "encoding"),
        (Kind(.http, "cache_headers"), "cache headers are present (and long enough)", "threshold"),
        (Kind(.http, "cors"), "the configured origin is allowed, a foreign one refused, never * with credentials", ""),
        (Kind(.http, "rate_limit"), "a bounded burst meets 429 with Retry-After", "target max window"),
        (Kind(.http, "auth_required"), "401 without a token, 403 with a wrong role", "role path"),
        (Kind(.http, "smoke"), "a named flow of requests succeeds", "flow"),
        (Kind(.http, "metrics"), "the metrics endpoint exposes a metric family", "metric"),
        (Kind(.tls, "protocols"), "protocol versions accepted and refused", "min refuse"),
        (Kind(.tls, "certificate"), "the chain verifies and names the host", ""),
        (Kind(.tls, "expiry"), "days until the certificate expires", "min_days"),
        (
            Kind(.latency, "request"), "percentiles of a request at a steady rate against a threshold",
            "request method path threshold"
        ),
    ]

    public static let all: [Kind] = registry.map(\.kind)
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
