import Catalog
import Checklist
import DotEnv
import Foundation
import Probes
import Results

/// The checklist's own facts as the targets of the items they govern, when neither a flag nor the config names one:
///
/// - a database file it names ("Database file: `data/messages.db`") is the file of the SQLite items it governs;
/// - an env file it names in an item ("`.env.production` created", "Frontend `.env` updated:") or a heading
///   ("Environment Variables (.env.production)") is the file the env items it governs read;
/// - in that env file (under the root), `DATABASE_URL` (`sqlite:PATH` or `postgresql://…`) and the API URL
///   (`API_URL`, `API_BASE_URL`, `BASE_URL`, `PUBLIC_API_URL`, `NEXT_PUBLIC_API_URL`) are the run's database and API.
///
/// A fact governs, nearest first: the children of the item that states it, else its section and the sections under
/// it; a fact the checklist states once (one database file, one env file at section level) governs the rest of the
/// document too. Addresses the checklist prints as examples (`postgresql://user:pass@host/db`, `https://api.example.com`)
/// are never targets: only files under the root, and what those files say.
public enum ChecklistTargets {
    public enum What: Sendable { case database, envFile }

    /// A target the checklist states, at its line, governing an item's children or a section.
    public struct Fact: Sendable {
        public let what: What
        public let value: String
        public let line: Int
        /// The item whose children it governs; nil for a fact of a whole section.
        public let item: Int?
        public let section: [String]
        /// Stated by a heading: it governs its section only, never the rest of the document.
        var heading = false
        var source: String { "the checklist, line \(line)" }
    }

    /// What resolving changed: the plan's items (params `path` and `env_file` set, with their sources), the run's
    /// connections (database and API from the env file), the env files the items read, and notes for the report.
    public struct Resolved: Sendable {
        public var plan: Plan
        public var options: VerifyOptions
        public var envFiles: [String]
        public var notes: [Target]
    }

    /// Env file names: `.env`, `.env.production`, `frontend/.env.local`, `prod.env`; not a template
    /// (`.env.example`, `.env.sample`, `.env.template`, `.env.dist`, `.env.defaults`), whose values are placeholders.
    public static func isEnvFile(_ s: String) -> Bool {
        let name = (s.split(separator: "/").last.map(String.init) ?? s).lowercased()
        guard !s.contains(" "), !s.contains("*"), !s.hasSuffix("/") else { return false }
        let template = ["example", "sample", "template", "dist", "defaults", "tmpl", "tpl"].contains {
            name.hasSuffix("." + $0) || name.hasPrefix($0 + ".")
        }
        return !template && (name == ".env" || name.hasPrefix(".env.") || name.hasSuffix(".env") && name.count > 4)
    }

    /// A SQLite file's name: `data/app.db`, `catalogue.sqlite`, `cache.sqlite3`.
    static func isSQLiteFile(_ s: String) -> Bool {
        let lower = s.lowercased()
        return !s.contains("*") && !s.hasPrefix(".")
            && CodeSpan.sqliteSuffixes.contains { lower.hasSuffix($0) && lower.count > $0.count }
    }

    public static func facts(_ plan: Plan) -> [Fact] {
        var facts: [Fact] = []
        for p in plan.items {
            let governs = p.item.children.isEmpty ? nil : p.item.index
            if p.kind == Kind(.sqlite, "database"), let path = p.params.string("path") {
                facts.append(
                    Fact(what: .database, value: path, line: p.item.line, item: governs, section: p.item.section))
            }
            // An item that says the env file is there ("created", "updated:"), not one about keeping it out of git.
            let states = [Kind(.file, "exists"), Kind(.file, "nonempty"), .group].contains(p.kind)
            if states,
                let file = p.item.codeSpans.first(where: isEnvFile)
                    ?? p.params.string("path").flatMap({
                        isEnvFile($0) ? $0 : nil
                    })
            {
                facts.append(
                    Fact(what: .envFile, value: file, line: p.item.line, item: governs, section: p.item.section))
            }
        }
        // Headings that say the section's variables are in a file: "Environment Variables (.env.production)", not
        // "Never commit .env files".
        var stack: [Heading] = []
        for h in plan.document.headings {
            if h.level == 1 && h.text == plan.document.title { continue }
            while let top = stack.last, top.level >= h.level { stack.removeLast() }
            stack.append(h)
            let words = Set(h.text.lowercased().split(whereSeparator: { !$0.isLetter }).map(String.init))
            let inAside = h.text.split(separator: "(").dropFirst().flatMap {
                $0.prefix { $0 != ")" }.split(whereSeparator: { " `,:".contains($0) }).map(String.init)
            }
            let about = !words.isDisjoint(with: [
                "environment", "variables", "env", "configuration", "config", "settings",
            ])
            let hygiene = !words.isDisjoint(with: [
                "never", "commit", "committed", "gitignore", "ignored", "example", "leak", "leaked",
            ])
            let named =
                inAside.first(where: isEnvFile)
                ?? (about
                    ? h.text.split(whereSeparator: { " ()`,:".contains($0) }).map(String.init).first(where: isEnvFile)
                    : nil)
            if let file = named, !hygiene {
                facts.append(
                    Fact(
                        what: .envFile, value: file, line: h.line, item: nil, section: stack.map(\.text), heading: true)
                )
            }
            // "Catalogue database (SQLite, `data/catalogue.sqlite`)": the file of the section's SQLite items.
            if !words.isDisjoint(with: ["database", "sqlite", "db"]),
                let file = h.text.split(whereSeparator: { " ()`,:;".contains($0) }).map(String.init).first(
                    where: isSQLiteFile)
            {
                facts.append(
                    Fact(
                        what: .database, value: file, line: h.line, item: nil, section: stack.map(\.text),
                        heading: true))
            }
        }
        return facts
    }

    /// The fact the document states once for a whole section (not in a heading): it governs the rest of the
    /// document too. Nil when there are none or several.
    public static func documentFact(_ facts: [Fact]) -> Fact? {
        let whole = facts.filter { $0.item == nil && !$0.heading }
        return Set(whole.map(\.value)).count == 1 ? whole.first : nil
    }

    /// Sets the checklist's files as the params of the items they govern, among those `runs` picks: `path` of the
    /// SQLite items (unless a database is given by a flag or the config), `env_file` of the env items (unless env
    /// files are given), each with its source. Returns the env files set. `gonogo plan` shows the same.
    @discardableResult
    public static func applyFacts(
        _ facts: [Fact], to plan: inout Plan, databaseGiven: Bool, envFilesGiven: Bool,
        runs: (PlannedItem) -> Bool = { $0.kind.family.isAutomated },
        note: (String, String, String) -> Void = { _, _, _ in }
    ) -> Set<String> {
        var envFiles: Set<String> = []
        let databases = FactIndex(.database, facts)
        let envFileFacts = FactIndex(.envFile, facts)
        for i in plan.items.indices where runs(plan.items[i]) {
            let family = plan.items[i].kind.family
            if family == .sqlite, !databaseGiven, plan.items[i].params["path"] == nil,
                let fact = databases.governing(i, plan)
            {
                plan.items[i].params["path"] = .string(fact.value)
                plan.items[i].targetSources["path"] = fact.source
                note("sqlite", fact.value, fact.source)
            }
            if family == .env, !envFilesGiven, plan.items[i].params["env_file"] == nil,
                let fact = envFileFacts.governing(i, plan)
            {
                plan.items[i].params["env_file"] = .string(fact.value)
                plan.items[i].targetSources["env_file"] = fact.source
                envFiles.insert(fact.value)
                note("env_file", fact.value, fact.source)
            }
        }
        return envFiles
    }

    /// Applies the checklist's facts to `plan` under `options` (whose flags and config win), reading env files
    /// under the root. A malformed env file throws ``InputFileError`` naming it and the line.
    public static func resolve(_ plan: Plan, options: VerifyOptions) throws -> Resolved {
        var plan = plan
        var options = options
        var notes: [String: Target] = [:]
        func note(_ name: String, _ value: String, _ source: String) {
            let key = name + "\u{1}" + value
            var target = notes[key] ?? Target(name: name, value: value, source: source, items: 0)
            target.items += 1
            notes[key] = target
        }
        let facts = facts(plan)
        // Items the run checks: automated, selected by --only and not skipped.
        let selection = options
        let runs = { (item: PlannedItem) in
            item.kind.family.isAutomated
                && (selection.only.isEmpty || selection.only.contains { IDGlob.matches($0, item.id) })
                && !selection.skip.contains { IDGlob.matches($0, item.id) }
                && Verifier.skipReason(item, selection) == nil
        }
        let envFiles = applyFacts(
            facts, to: &plan, databaseGiven: options.sqlite != nil, envFilesGiven: !options.envFiles.isEmpty,
            runs: runs, note: note)
        // The database and the API the document's env file names, for what no flag, config or fact set.
        if options.envFiles.isEmpty, let fact = documentFact(facts.filter { $0.what == .envFile }) {
            let path = options.probe.resolve(fact.value)
            if FileManager.default.fileExists(atPath: path) {
                let values = try DotEnv.load(path: path)
                let source = "\(fact.value) (named by the checklist, line \(fact.line))"
                discover(values, source: source, plan: &plan, options: &options, runs: runs, note: note)
            }
        }
        let order = ["sqlite", "database_url", "api_url", "env_file"]
        let sorted = notes.values.sorted {
            (order.firstIndex(of: $0.name) ?? 9, $0.value) < (order.firstIndex(of: $1.name) ?? 9, $1.value)
        }
        return Resolved(plan: plan, options: options, envFiles: envFiles.sorted(), notes: sorted)
    }

    /// Variables that hold the API's base URL, in the order they are tried.
    static let apiURLNames = ["API_URL", "API_BASE_URL", "BASE_URL", "PUBLIC_API_URL", "NEXT_PUBLIC_API_URL"]

    static func discover(
        _ values: [String: String], source: String, plan: inout Plan, options: inout VerifyOptions,
        runs: (PlannedItem) -> Bool, note: (String, String, String) -> Void
    ) {
        let from = { (name: String) in "\(name) in \(source)" }
        if let url = values["DATABASE_URL"], !url.isEmpty {
            if let path = sqlitePath(url), options.sqlite == nil {
                for i in plan.items.indices
                where plan.items[i].kind.family == .sqlite && plan.items[i].params["path"] == nil && runs(plan.items[i])
                {
                    plan.items[i].params["path"] = .string(path)
                    plan.items[i].targetSources["path"] = from("DATABASE_URL")
                    note("sqlite", path, from("DATABASE_URL"))
                }
            } else if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://"), options.databaseURL == nil {
                options.databaseURL = url
                for item in plan.items where item.kind.family == .postgres && runs(item) {
                    note("database_url", Redaction.redacting(url), from("DATABASE_URL"))
                }
            }
        }
        if options.apiURL == nil,
            let name = apiURLNames.first(where: {
                values[$0].map { $0.hasPrefix("http://") || $0.hasPrefix("https://") } ?? false
            }),
            let url = values[name]
        {
            options.apiURL = url
            for item in plan.items where [.http, .tls, .latency].contains(item.kind.family) && runs(item) {
                note("api_url", Redaction.redacting(url), from(name))
            }
        }
    }

    /// The file of a SQLite URL: `sqlite:data/app.db` and `sqlite:/abs/app.db` (chat-api's), and SQLAlchemy's
    /// `sqlite:///relative/app.db` and `sqlite:////abs/app.db`; `sqlite+aiosqlite:` too. Nil for memory databases.
    public static func sqlitePath(_ url: String) -> String? {
        guard url.hasPrefix("sqlite"), let colon = url.firstIndex(of: ":") else { return nil }
        let scheme = url[..<colon]
        guard scheme == "sqlite" || scheme.hasPrefix("sqlite+") || scheme == "sqlite3" else { return nil }
        var rest = url[url.index(after: colon)...]
        if rest.hasPrefix("////") {
            rest = rest.dropFirst(3)  // absolute: keep one slash
        } else if rest.hasPrefix("///") {
            rest = rest.dropFirst(3)  // relative
        } else if rest.hasPrefix("//") {
            rest = rest.dropFirst(2)
        }
        var path = rest.split(separator: "?").first.map(String.init) ?? ""
        if path.hasPrefix("./") { path.removeFirst(2) }
        return path.isEmpty || path == ":memory:" ? nil : path
    }
}
