/// Commands: a shell command whose success is the claim, and a migration tool's record of what it applied.
extension Recognizers {
    /// "All tests passing: `pytest tests/ -v`", "No ESLint errors: `npm run lint`": the command must exit 0.
    static func command(_ c: ItemContext) -> Recognition? {
        guard let cmd = c.code.first(where: CodeSpan.isCommand) else { return nil }
        // A placeholder to fill in (`[API_KEY]`, `<version>`, `YOUR_TOKEN`) or a server that never exits
        // (`npm start`): not a command gonogo can run to a verdict.
        // (Go's `./...` is a package pattern, not an ellipsis.)
        let placeholder = CodeSpan.hasPlaceholder(cmd) || cmd.includes(" ...") || cmd.hasSuffix(" …")
        let tokens = cmd.split(separator: " ").map(String.init)
        let servers: [[String]] = [
            ["npm", "start"], ["yarn", "start"], ["pnpm", "start"], ["npm", "run", "dev"], ["yarn", "dev"],
            ["docker", "compose", "up"], ["docker-compose", "up"], ["flask", "run"], ["rails", "server"],
            ["rails", "s"],
        ]
        let checksOnly = tokens.contains { ["--check-config", "--version", "--help", "-d", "--detach"].contains($0) }
        let server =
            !checksOnly
            && (servers.contains { Array(tokens.prefix($0.count)) == $0 }
                || tokens.contains { ["runserver", "uvicorn", "gunicorn"].contains($0) })
        // A command run to do something ("run `./scripts/x.py` to update the list") is a step, not a check; "nothing
        // to update" is a check's outcome.
        let step =
            c.own.hasAny([
                "to update", "to generate", "to see", "to create", "to download", "to install", "to build the",
                "to add", "to copy", "to fetch", "to pull", "to produce", "to make",
            ]) && !c.own.hasAny(["nothing", "no"])
            // Done only when something holds ("Rebuild the cache if the snapshot is older than a day: `make cache`"):
            // a condition before the command ("`npm audit` passes (CI fails if not)" is no step).
            || c.tokens(c.text.components(separatedBy: cmd)[0]).hasAny(["if", "unless", "whenever"])
        if placeholder || server || step { return Recognition(.manual, rule: "a step, not a check") }
        // Only a command whose success is what the sentence asserts is a check: "`ruff check .` is clean", "`twine
        // check dist/*` passes", or a label and the command ("Docs build: `sphinx-build -W …`"). A command named for
        // what it shows ("healthy in `docker compose ps`", "`flutter gen-l10n` reports 0 untranslated messages",
        // "timer enabled (`systemctl list-timers`)"), on a schedule ("Nightly `pg_dump` to S3") or on
        // another machine ("OK on the prod box") is for a person to read.
        let commandless = c.tokens(c.text.replacing(cmd, with: " "))
        let succeeds = commandless.hasAny([
            "pass", "passes", "passing", "passed", "succeeds", "succeed", "successful", "successfully", "green",
            "clean", "exits 0", "exit 0", "exit code 0", "returns 0", "no errors", "no error", "no issues",
            "no warnings", "no problems", "0 errors", "zero errors", "without errors", "without warnings", "ok",
            "cleanly", "finds nothing", "reports nothing", "no findings", "no offenses", "zero offenses", "completes",
            "works", "no vulnerabilities", "succeeded", "builds",
        ])
        var bare = Substring(c.text)
        while let last = bare.last, " .;".contains(last) { bare = bare.dropLast() }
        while bare.first == " " { bare = bare.dropFirst() }
        // (The text may keep the code span's backticks or not.)
        let quoted = bare.hasSuffix("`\(cmd)`")
        var head = quoted ? bare.dropLast(cmd.count + 2) : bare.hasSuffix(cmd) ? bare.dropLast(cmd.count) : bare
        while head.last == " " { head = head.dropLast() }
        let labelled = head.isEmpty || (quoted || bare.hasSuffix(cmd)) && head.last == ":"
        let elsewhere = c.own.hasAny([
            "prod box", "production box", "on the host", "on the server", "on prod", "on the bastion", "nightly",
            // A CI job's result is CI's to show ("`dbt build --target ci` passes in CI"), not a command run here.
            "passes in ci",
            "daily",
            "weekly", "hourly", "cron", "scheduled",
            // Run on the production hosts: "`nginx -t` clean on both edges".
            "on both", "on both edges", "on all hosts", "on each host", "on every host", "on all nodes", "on each node",
        ])
        // `git status` exits 0 on a dirty tree too: "is clean" is its output, not its exit code.
        // A host's journal (`journalctl -u app`) is read on that host; warnings a person triages are a judgement.
        let judged = tokens.first == "journalctl" || c.own.hasAny(["triaged", "triage"])
        if !(succeeds || labelled) || elsewhere || judged || tokens.prefix(2) == ["git", "status"] {
            return Recognition(.manual, rule: "the sentence does not say the command must succeed")
        }
        // A command that changes or destroys state is something a person does, never a check gonogo runs.
        let words = Tokens(cmd)
        if words.hasAny([
            "downgrade", "rollback", "drop", "destroy", "delete", "truncate", "reset", "rm", "purge",
            "apply", "deploy", "push", "publish", "release", "kill", "stop", "restart", "shutdown", "force", "migrate",
            "upgrade", "install", "uninstall", "seed", "restore", "dropdb", "createdb", "vercel", "prod", "update",
            "bump",
        ]) {
            return Recognition(.manual, rule: "state-changing command")
        }
        // git's state-changing subcommands (`git remote add`, `git commit`, `git tag v1`; not `git tag -l`).
        if tokens.first == "git", tokens.count > 1,
            ["remote", "commit", "merge", "add", "checkout", "rebase", "cherry-pick", "stash", "switch", "am"]
                .contains(tokens[1])
                || tokens[1] == "tag" && !tokens.contains(where: { ["-l", "--list", "-v", "--verify"].contains($0) })
        {
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
        // "Run `bin/rails db:migrate` from the release hook": a step to take, not a record to read.
        if c.own.words.first == "run" { return Recognition(.manual, rule: "a step, not a check") }
        guard
            c.own.hasAny([
                "applied", "ran", "run", "matches", "match", "current", "up to date", "at head", "head",
                "migrated", "complete", "completed",
            ])
        else { return nil }
        let table =
            c.code.first { $0.includes("migration") || $0.includes("version") || $0.includes("schema_history") }
            .flatMap { CodeSpan.isIdentifier($0) ? $0 : nil } ?? tool.table
        let engine = c.engine ?? .postgres
        return Recognition(Kind(engine.family, "migrations"), [("table", .string(table))], rule: "migration tool")
    }
}
