/// Files in the repository or on the host, documentation, and commands.
extension Recognizers {
    /// "`.env.production` created", "Architecture documented: `docs/ARCHITECTURE.md`", "`config.yml` contains `tls: on`".
    static func filePath(_ c: ItemContext) -> Recognition? {
        guard let path = c.code.first(where: CodeSpan.isFilePath), !CodeSpan.isCommand(path),
            !c.own.hasAny(["branch", "branches"])
        else { return nil }
        if c.own.hasAny([
            "absent", "not present", "not exist", "must not exist", "removed", "not shipped",
            "never shipped", "not deployed", "not committed", "no",
        ]) && !c.own.hasAny(["no errors", "no warnings"]) {
            return Recognition(Kind(.file, "absent"), [("path", .string(path))], rule: "file absent")
        }
        if c.own.hasAny(["contains", "includes", "mentions", "lists", "references", "has", "in", "set in"]),
            let pattern = c.code.first(where: { $0 != path && !CodeSpan.isFilePath($0) })
        {
            return Recognition(
                Kind(.file, "contains"), [("path", .string(path)), ("pattern", .string(pattern))], rule: "file contents"
            )
        }
        let written = c.own.hasAny([
            "complete", "completed", "documented", "written", "filled", "updated", "up to date", "reviewed",
            "populated",
            "finished", "current",
        ])
        return Recognition(Kind(.file, written ? "nonempty" : "exists"), [("path", .string(path))], rule: "file")
    }

    /// "Known issues documented", "Runbook created", "README updated with deployment instructions",
    /// and any item under a "Documentation" heading.
    static func documentation(_ c: ItemContext) -> Recognition? {
        let docVerbs = [
            "documented", "runbook", "runbooks", "playbook", "release notes", "changelog", "guide",
            "policy defined", "policies defined", "wiki", "readme", "contact information", "procedure documented",
        ]
        let inDocs = c.section.hasAny(["documentation", "docs"]) || c.parent.hasAny(["documentation", "docs"])
        guard c.own.hasAny(docVerbs) || inDocs else { return nil }
        if c.own.has("readme") {
            let topic = topicWords(c, after: "with")
            var params: [(String, Params.Value)] = [("path", .string("README.md"))]
            if !topic.isEmpty { params.append(("pattern", .string(topic))) }
            return Recognition(Kind(.file, topic.isEmpty ? "nonempty" : "contains"), params, rule: "readme")
        }
        let topic = topicWords(c, after: nil)
        guard !topic.isEmpty else { return nil }
        return Recognition(
            Kind(.file, "contains"), [("target", .string("docs")), ("pattern", .string(topic))], rule: "documentation")
    }

    /// The topic words of a documentation item: "Runbook created for operations team" -> "runbook".
    static func topicWords(_ c: ItemContext, after marker: String?) -> String {
        let verbs: Set<String> = [
            "documented", "created", "updated", "published", "defined", "written", "complete", "completed", "available",
            "in", "place", "the", "a", "an", "is", "are", "up", "to", "date", "exists", "reviewed", "instructions",
        ]
        let stops: Set<String> = ["for", "with", "on", "in", "by", "at"]
        var words = c.own.words
        if let marker, let i = words.firstIndex(of: marker) { words = Array(words[(i + 1)...]) }
        var topic: [String] = []
        for w in words {
            if stops.contains(w) && !topic.isEmpty && marker == nil { break }
            if verbs.contains(w) || stops.contains(w) || !w.contains(where: \.isLetter) { continue }
            topic.append(w)
        }
        return topic.prefix(3).joined(separator: " ")
    }

    /// Files whose location is common knowledge: SSH's server configuration, source maps of a web build.
    static func knownFiles(_ c: ItemContext) -> Recognition? {
        if c.own.has("ssh")
            && c.own.hasAny([
                "key based", "no passwords", "password authentication", "passwords",
                "keys only", "key only",
            ])
        {
            return Recognition(
                Kind(.file, "contains"),
                [("path", .string("/etc/ssh/sshd_config")), ("pattern", .string("PasswordAuthentication no"))],
                rule: "ssh configuration")
        }
        if c.own.hasAny(["source maps", "source map", "sourcemaps", "sourcemap"]) {
            let absent = c.own.hasAny(["not", "no", "never", "removed", "stripped", "excluded", "disabled", "without"])
            return Recognition(
                Kind(.file, absent ? "absent" : "exists"), [("path", .string("**/*.map"))], rule: "source maps")
        }
        return nil
    }

    /// "All tests passing: `pytest tests/ -v`", "No ESLint errors: `npm run lint`": the command must exit 0.
    static func command(_ c: ItemContext) -> Recognition? {
        guard let cmd = c.code.first(where: CodeSpan.isCommand) else { return nil }
        // A command that changes or destroys state is something a person does, never a check gonogo runs.
        let words = Tokens(cmd)
        if words.hasAny([
            "downgrade", "rollback", "drop", "destroy", "delete", "truncate", "reset", "rm", "purge",
            "apply", "deploy", "push", "publish", "release", "kill", "stop", "restart", "shutdown", "force", "migrate",
            "upgrade", "install", "uninstall", "seed", "restore", "dropdb", "createdb", "vercel", "prod",
        ]) {
            return Recognition(.manual, rule: "state-changing command")
        }
        return Recognition(Kind(.command, "run"), [("command", .string(cmd))], rule: "command")
    }

    /// Migration tools and the table where each records what it applied.
    static let migrationTools: [(phrase: CompiledPhrases, table: String)] = [
        ("alembic", "alembic_version"), ("rails db", "schema_migrations"), ("rake db", "schema_migrations"),
        ("flyway", "flyway_schema_history"), ("liquibase", "databasechangelog"), ("knex", "knex_migrations"),
        ("prisma migrate", "_prisma_migrations"), ("manage py migrate", "django_migrations"),
        ("goose", "goose_db_version"), ("sequelize", "SequelizeMeta"),
    ].map { (Vocabulary.compile([$0.0]), $0.1) }

    /// "`alembic upgrade head` applied", "`rails db:migrate` ran": the migration tool's record, not a run of it.
    static func migrationTool(_ c: ItemContext) -> Recognition? {
        // The item's text includes its code spans, so the tool's name is among its words.
        guard let tool = migrationTools.first(where: { c.own.matches($0.phrase) }) else { return nil }
        guard
            c.own.hasAny([
                "applied", "ran", "run", "matches", "match", "current", "up to date", "at head", "head",
                "migrated", "complete", "completed",
            ])
        else { return nil }
        let table =
            c.code.first { $0.contains("migration") || $0.contains("version") || $0.contains("schema_history") }
            .flatMap { CodeSpan.isIdentifier($0) ? $0 : nil } ?? tool.table
        let engine = c.engine ?? .postgres
        return Recognition(Kind(engine.family, "migrations"), [("table", .string(table))], rule: "migration tool")
    }
}
