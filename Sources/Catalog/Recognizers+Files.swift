/// Files in the repository or on the host, documentation, and commands.
extension Recognizers {
    /// "`.env.production` created", "Architecture documented: `docs/ARCHITECTURE.md`", "`config.yml` contains `tls: on`".
    static func filePath(_ c: ItemContext) -> Recognition? {
        guard let path = c.code.first(where: CodeSpan.isFilePath), !CodeSpan.isCommand(path),
            !c.own.hasAny(["branch", "branches"])
        else { return nil }
        // Editing a file ("Bump `version.txt`", "Edit `docs/conf.py` so that…", a bare path under "Update the
        // version in:"): that the file exists says nothing about the edit.
        let editing = ["bump", "modify", "edit", "change", "update the version", "version number", "make sure"]
        let barePath = c.own.words.count <= Tokens(path).words.count + 1
        if c.own.hasAny(editing) || barePath && c.parent.hasAny(["bump", "modify", "edit", "change", "update"]) {
            return Recognition(.manual, rule: "editing a file")
        }
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

    /// "Known issues documented", "Runbook created", "README updated with deployment instructions", any item under a
    /// "Documentation" heading that names no file: a person judges a document, and words of the sentence are no
    /// evidence that it says what it should. `manual`, so no later rule reads it as something else; a config names the
    /// file and what it must contain when a deployment wants it checked (`items:` in gonogo.yml).
    static func documentation(_ c: ItemContext) -> Recognition? {
        let docVerbs = [
            "documented", "runbook", "runbooks", "playbook", "release notes", "changelog", "guide",
            "policy defined", "policies defined", "wiki", "readme", "contact information", "procedure documented",
        ]
        let inDocs = c.section.hasAny(["documentation", "docs"]) || c.parent.hasAny(["documentation", "docs"])
        guard c.own.hasAny(docVerbs) || inDocs else { return nil }
        return Recognition(.manual, rule: "documentation")
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
        // A placeholder to fill in (`[API_KEY]`, `<version>`, `YOUR_TOKEN`) or a server that never exits
        // (`npm start`): not a command gonogo can run to a verdict.
        // (Go's `./...` is a package pattern, not an ellipsis.)
        let placeholder =
            cmd.contains(where: { "<>[]{}".contains($0) }) || cmd.contains("YOUR_") || cmd.contains(" ...")
            || cmd.hasSuffix(" …")
        let server = [
            "npm start", "yarn start", "pnpm start", "npm run dev", "yarn dev", "runserver", "uvicorn",
            "gunicorn", "docker compose up", "docker-compose up", "flask run", "rails server", "rails s",
        ]
        .contains { cmd.hasPrefix($0) || cmd.contains(" " + $0) }
        // A command run to do something ("run `./scripts/x.py` to update the list") is a step, not a check.
        let step = c.own.hasAny([
            "to update", "to generate", "to see", "to create", "to download", "to install", "to build the",
            "to add", "to copy", "to fetch", "to pull",
        ])
        if placeholder || server || step { return Recognition(.manual, rule: "a step, not a check") }
        // A command that changes or destroys state is something a person does, never a check gonogo runs.
        let words = Tokens(cmd)
        if words.hasAny([
            "downgrade", "rollback", "drop", "destroy", "delete", "truncate", "reset", "rm", "purge",
            "apply", "deploy", "push", "publish", "release", "kill", "stop", "restart", "shutdown", "force", "migrate",
            "upgrade", "install", "uninstall", "seed", "restore", "dropdb", "createdb", "vercel", "prod",
            "remote", "commit", "merge", "tag", "add", "checkout", "rebase", "cherry pick",
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
