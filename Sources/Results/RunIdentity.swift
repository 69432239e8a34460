import Catalog
import Checklist
import Foundation

/// What a run verified, so that a dashboard tells a staging run from a production one and a release from the last:
/// the environment's name, the URLs and databases the checks reached (passwords and query strings left out), and the
/// git commit and tag of the root. The checklist's digest, gonogo's version and the start time are the report's own
/// fields (`checklist.sha256`, `tool.version`, `startedAt`).
public struct RunIdentity: Sendable, Equatable {
    /// `--env-name` or the config's `environment:`; nil when neither names one.
    public var environment: String?
    /// `api_url`, `frontend_url`, `plain_url`…: each URL a check reached, without its password or query.
    public var urls: [String: String] = [:]
    /// `sqlite` and/or `postgresql`, each with where it is (a file, or host:port/database).
    public var databases: [(kind: String, location: String)] = []
    /// The root's git state, when the root is a work tree.
    public var git: Git?

    public struct Git: Sendable, Equatable {
        public var commit: String
        /// A tag pointing at the commit, when there is one.
        public var tag: String?
        /// Uncommitted changes to tracked files.
        public var dirty: Bool

        public init(commit: String, tag: String?, dirty: Bool) {
            self.commit = commit
            self.tag = tag
            self.dirty = dirty
        }
    }

    public init() {}

    public static func == (a: RunIdentity, b: RunIdentity) -> Bool {
        a.environment == b.environment && a.urls == b.urls && a.git == b.git
            && a.databases.map { "\($0.kind) \($0.location)" } == b.databases.map { "\($0.kind) \($0.location)" }
    }

    /// `https://user:pw@host:8443/base?token=x` → `https://host:8443/base`: what the report may show of a URL.
    public static func shown(_ url: String) -> String {
        guard var parts = URLComponents(string: url), parts.scheme != nil else {
            // Not one URL (`postgresql://a:pw@h1,h2/db?password=x`): no userinfo, no query, no fragment.
            let bare = url.split(separator: "?", maxSplits: 1).first.map(String.init) ?? url
            return Redaction.redactingURLPasswords(
                bare.split(separator: "#", maxSplits: 1).first.map(String.init) ?? bare)
        }
        parts.user = nil
        parts.password = nil
        parts.query = nil
        parts.fragment = nil
        return parts.string ?? Redaction.redactingURLPasswords(url)
    }

    /// `postgresql://app:pw@db:5432/chat?sslmode=require` → `db:5432/chat`; libpq's `host=db port=5432 dbname=chat
    /// password=…` → `db:5432/chat` (only those three keys, never the others).
    public static func postgresLocation(_ url: String) -> String {
        if !url.contains("://") {
            var keys: [String: String] = [:]
            for pair in url.split(separator: " ") {
                let kv = pair.split(separator: "=", maxSplits: 1).map(String.init)
                if kv.count == 2 { keys[kv[0]] = kv[1].trimmingCharacters(in: CharacterSet(charactersIn: "'")) }
            }
            return (keys["host"] ?? "localhost") + (keys["port"].map { ":" + $0 } ?? "")
                + (keys["dbname"].map { "/" + $0 } ?? "")
        }
        guard let parts = URLComponents(string: url), let host = parts.host else { return shown(url) }
        let port = parts.port.map { ":\($0)" } ?? ""
        return host + port + parts.path
    }

    /// "production · https://api.example.com · sqlite data/messages.db · commit 1a2b3c4 (v1.4.0)": one line for
    /// people. Nil when nothing is known.
    public var line: String? {
        var parts: [String] = []
        if let environment { parts.append(environment) }
        parts += urls.sorted { $0.key < $1.key }.map(\.value)
        parts += databases.map { "\($0.kind) \($0.location)" }
        if let git {
            parts.append(
                "commit \(git.commit.prefix(12))" + (git.tag.map { " (\($0))" } ?? "")
                    + (git.dirty ? " with uncommitted changes" : ""))
        }
        return parts.isEmpty ? nil : parts.joined(separator: " · ")
    }

    public var json: JSONValue {
        var pairs: [(String, JSONValue)] = []
        if let environment { pairs.append(("environment", .string(environment))) }
        pairs.append(("urls", .object(urls.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })))
        pairs.append(
            (
                "databases",
                .array(databases.map { .object([("kind", .string($0.kind)), ("location", .string($0.location))]) })
            ))
        if let git {
            var g: [(String, JSONValue)] = [("commit", .string(git.commit))]
            if let tag = git.tag { g.append(("tag", .string(tag))) }
            g.append(("dirty", .bool(git.dirty)))
            pairs.append(("git", .object(g)))
        }
        return .object(pairs)
    }
}
