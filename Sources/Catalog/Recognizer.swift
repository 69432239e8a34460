import Checklist

/// What a recogniser made of an item: a kind, its params, and the rule's name (shown by `plan`, so a person
/// can see why gonogo read an item the way it did).
public struct Recognition: Sendable {
    public var kind: Kind
    public var params: Params
    public var rule: String
    /// The item's words the rule matched (set by ``Recognizers/recognize(_:)``).
    public var evidence: [String] = []

    public init(_ kind: Kind, _ params: [(String, Params.Value)] = [], rule: String) {
        self.kind = kind
        self.params = Params(params)
        self.rule = rule
    }
}

/// The recognisers, in the order they are tried: the first that answers wins.
///
/// Each one reads words and context, never exact sentences: "WAL mode enabled", "Journal mode set to WAL" and
/// "SQLite uses write-ahead logging" all reach the same rule. More specific rules come first (a coverage item
/// that also names a command is a coverage check).
enum Recognizers {
    typealias Rule = @Sendable (ItemContext) -> Recognition?

    static let ordered: [Rule] = [
        notMeasurable,
        configLine,
        migrationTool,
        coverage, junit,
        tlsProtocols, certificate, hsts, tlsCiphers,
        environment,
        browser, lighthouse, latency,
        database,
        git,
        httpsRedirect, tlsNegotiation,
        serverConfig,
        cors, compression, caching, rateLimit, authRequired, securityHeaders, header,
        health, connectivity, smoke, metrics,
        integrations,
        setting,
    ]

    /// The generic rules, tried last: a path, a document, a known file, a shell command. A registered family's rules
    /// come before them (``FamilyRegistry``).
    static let generic: [Rule] = [filePath, documentation, knownFiles, command]

    /// Every rule in the order tried: the catalog's, a registered family's, the generic ones. Read once per plan.
    static var all: [Rule] { ordered + FamilyRegistry.rules + generic }

    /// What the rules make of the items at `indices` of `document`, in order. A long checklist's chunks run
    /// concurrently (``Concurrent``), each with its own ``ItemContext/Builder``; items are independent, so the result
    /// is the same as one by one.
    static func recognize(
        _ indices: [Int], in document: ItemContext.Document, rules: [Rule] = all, chunkSize: Int = Concurrent.chunkSize
    ) -> [Recognition?] {
        Concurrent.chunks(indices.count, size: chunkSize) { range in
            var builder = ItemContext.Builder(document)
            return indices[range].map { recognize(builder.context($0), rules: rules) }
        }
    }

    static func recognize(_ ctx: ItemContext, rules: [Rule] = all) -> Recognition? {
        for rule in rules {
            ctx.own.evidence?.reset()
            if var found = rule(ctx) {
                found.evidence = ctx.own.evidence?.words ?? []
                // The code spans the check reads (a path, a variable, an index) are evidence too.
                let values = found.params.pairs.flatMap { pair -> [String] in
                    switch pair.1 {
                    case .string(let s): return [s]
                    case .list(let l): return l
                    default: return []
                    }
                }
                for span in ctx.code
                where values.contains(where: { !$0.isEmpty && span.includes($0) })
                    && !found.evidence.contains("`\(span)`")
                {
                    found.evidence.append("`\(span)`")
                }
                completeParams(&found, ctx)
                return found
            }
        }
        return nil
    }

    /// What the sentence names that its kind reads, whichever rule matched: the address an HTTP check asks
    /// ("`/static/css/app.css` is served compressed"), the JSON field a status check reads ("returns `{"status":
    /// "ok"}`"), the report an artifact check reads ("coverage ≥ 85% in `coverage.xml`"), the env file a variable is
    /// read from ("`TRADING_MODE=live` in `.env.live`"). Without them the check would ask another address or read
    /// another file than the one the sentence is about.
    /// A service address the sentence is about: its subject ("`/assets/` served with…") or what a header or an
    /// encoding is "on" ("`X-Frame-Options: DENY` on `/checkout/`"), not a document or a config it mentions ("runbook
    /// at `/wiki/tls`", "limits in `/mnt/limits.yml`").
    static func addressed(_ span: String, in c: ItemContext) -> Bool {
        // The root is addressed only as a place: "… on `/`".
        if span == "/" { return TextPatterns.onRoot(c.text.lowercased()) }
        guard CodeSpan.isServicePath(span), let at = c.text.firstRange(of: span) else { return false }
        let before = c.text[..<at.lowerBound].trimmingCharacters(in: " `*_-:.")
        let word = before.split(separator: " ").last.map { $0.lowercased() } ?? ""
        return before.isEmpty || ["on", "for", "from", "of", "via"].contains(word)
    }

    static func completeParams(_ found: inout Recognition, _ c: ItemContext) {
        guard let spec = Kind.spec(of: found.kind) else { return }
        func add(_ name: String, _ value: Params.Value) {
            if found.params[name] == nil, spec.param(name) != nil { found.params[name] = value }
        }
        switch found.kind.family {
        case .http:
            if let path = c.code.lazy.compactMap({
                CodeSpan.request($0)?.path ?? (addressed($0, in: c) ? $0 : nil)
            })
            .first, !found.params.pairs.contains(where: { $0.0 == "target" }) {
                add("path", .string(path))
            }
            // The body the sentence says comes back, not one it describes for a failure.
            // ("when healthy" is the answer's condition; "when the database is down" another answer's: only a
            // healthy condition keeps the field.)
            let otherAnswer =
                c.own.hasAny(["on failure", "otherwise", "unless"])
                || c.own.hasAny(["when", "if", "while"])
                    && (!c.own.hasAny(["healthy", "up", "ready", "available", "reachable", "running"])
                        || c.own.hasAny(["unhealthy", "not", "unavailable", "unreachable", "down"]))
            if found.kind.name == "status", !otherAnswer,
                let (field, value) = c.code.lazy.compactMap(CodeSpan.jsonField).first
            {
                add("field", .string(field))
                add("equals", .string(value))
            }
        case .artifact:
            if let file = c.code.first(where: { CodeSpan.isFilePath($0) && !$0.hasSuffix("/") }) {
                add("path", .string(file))
            }
        case .env:
            if let file = c.code.first(where: CodeSpan.isEnvFile) { add("env_file", .string(file)) }
        default: break
        }
    }

    /// Alerts, estimates, objectives and people: a threshold there is a target for humans, not a measurement.
    static func notMeasurable(_ c: ItemContext) -> Recognition? {
        let alerting =
            c.scope.hasPrefix("alert") || c.own.hasPrefix("alert") || c.scope.hasPrefix("notification")
            || c.own.hasAny(["pagerduty", "on call", "oncall"])
        let human = c.own.hasAny([
            "estimated", "estimate", "objective", "rto", "rpo", "drill", "trained", "training", "informed", "notified",
            "stakeholders", "sign off", "signed off", "approved", "approval", "compliant", "compliance",
            // Someone read it: "Changelog reviewed by product" is a person's act, not a file that exists.
            "reviewed by", "signed by", "acknowledged by", "ok d by", "okd by", "proofread",
            // People told what to expect: "Writers have been told that the export can take up to 30 seconds".
            "been told", "told that", "warned that",
        ])
        // Seen somewhere gonogo does not look (a log, an error tracker, a host's tools, a third party's console, a
        // load test or staging): the words of a check there are not a check of the service.
        // (Judged on the prose: `FIREBASE_SERVICE_ACCOUNT_JSON` is a variable, "on Firebase Test Lab" a place.)
        // (The prose is made only when the item's words hold one of the phrases: most items hold none.)
        let elsewhere =
            c.own.matches(Self.elsewhereWords, noting: false) && Self.prose(c).matches(Self.elsewherePhrases)
        let place =
            c.own.matches(Self.placeWords, noting: false) && TextPatterns.providerPlace(c.text.lowercased())
        // cert-manager's own resources ("cert-manager `Certificate` Ready"), not a certificate issued by it (an aside).
        let cluster =
            c.own.matches(Self.certManager, noting: false) && c.tokens(c.text.replacingAsides()).has("cert manager")
        if elsewhere || place || cluster { return Recognition(.manual, rule: "seen elsewhere") }
        // A rule for people: "Nobody pastes `.env` contents into the channel" (not "no one-off debug routes").
        if c.own.words.first == "nobody" || c.own.words.first == "no" && c.text.lowercased().hasPrefix("no one ") {
            return Recognition(.manual, rule: "a rule for people")
        }
        return alerting || human ? Recognition(.manual, rule: alerting ? "alerting" : "human judgement") : nil
    }

    /// The item's words outside code spans, assignments and variable names.
    private static func prose(_ c: ItemContext) -> Tokens {
        Tokens(
            c.text.split(separator: " ").filter { w in
                !c.code.contains { $0.includes(w) } && !w.contains("=")
                    && !CodeSpan.isEnvName(String(w).trimmingCharacters(in: ",.;:()"))
            }.joined(separator: " "))
    }

    static let placeWords = Vocabulary.compile(["dashboard", "console", "ui"])
    static let certManager = Vocabulary.compile(["cert manager"])
    /// Every single word of the phrases below: removing code spans from the prose can join a phrase the item's own
    /// words do not hold ("in the `nginx` access log"), so the prose is built whenever one of these words is there.
    static let elsewhereWords = Vocabulary.compile([
        "visible", "land", "lands", "shows", "show", "error", "logs", "access", "log", "cloudflare", "fail2ban",
        "logrotate", "firewall", "security", "load", "staging", "firebase", "test", "testflight", "play", "admission",
        "deploy", "jump",
    ])
    static let elsewherePhrases = Vocabulary.compile([
        "visible in", "land in", "lands in", "shows up in", "show up in", "in the error log", "in the logs",
        "in the access log", "cloudflare", "fail2ban", "logrotate", "firewall", "security group", "load test",
        "in staging", "on staging", "firebase", "test lab", "testflight", "play console",
        // A cluster's own tools, another environment, another machine: "verified by admission controller", "for
        // deploy previews", "on the shared jump box".
        "admission controller", "deploy previews", "deploy preview", "jump box",
    ])
}
