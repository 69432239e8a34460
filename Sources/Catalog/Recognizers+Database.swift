/// SQLite and PostgreSQL: the database the item's words, parents or section name, else the document's.
extension Recognizers {
    static func database(_ c: ItemContext) -> Recognition? {
        // A database file kept out of git ("`data/lookup.db` is git-ignored") is the git rule's.
        if c.own.hasAny(["git ignored", "gitignored", "ignored by git", "in gitignore", "not tracked", "untracked"]) {
            return nil
        }
        return databaseFile(c) ?? databaseIndex(c) ?? databaseContents(c) ?? postgresServer(c)
            ?? databaseConnectivity(c)
    }

    /// The journal mode (SQLite's; under PostgreSQL "WAL" means archiving), a connection string, a database file.
    static func databaseFile(_ c: ItemContext) -> Recognition? {
        // Journal mode is SQLite's; under PostgreSQL "WAL" means archiving.
        // ("journal" alone only beside SQLite's name: `/journal/` is a page, a journal a log.)
        if c.own.hasAny(["wal", "write ahead", "journal mode", "journal_mode"])
            || c.own.has("journal") && Engine.named(in: c.own) == .sqlite
        {
            if c.engine == .postgres && c.own.hasAny(["archiving", "archive", "archived"]) {
                // The archiver being current or failure-free (`pg_stat_archiver`): its recent work, not the setting.
                if c.own.hasAny(["current", "failures", "failed", "pg stat archiver", "last archived"]) {
                    return Recognition(.manual, rule: "the archiver's recent work")
                }
                return Recognition(
                    Kind(.postgres, "setting"), [("name", .string("archive_mode")), ("value", .string("on"))],
                    rule: "wal archiving")
            }
            if c.engine != .postgres || Engine.named(in: c.own) == .sqlite {
                let modes = ["wal", "delete", "truncate", "persist", "memory", "off"]
                // A mode in a code span wins ("Journal mode is `delete`, not WAL"); a mode after "not" is refused.
                let w = c.own.words
                let named = w.indices.filter {
                    modes.contains(w[$0]) && ($0 == 0 || !["not", "no"].contains(w[$0 - 1]))
                }
                .map { w[$0] }
                let lower = c.text.lowercased()
                let mode =
                    c.code.lazy.map { $0.lowercased() }.first(where: { span in
                        modes.contains(span)
                            && !["not \(span)", "no \(span)", "default \(span)", "not `\(span)`", "default `\(span)`"]
                                .contains(where: lower.contains)
                    })
                    ?? (c.own.has("write ahead") ? "wal" : named.first ?? "wal")
                return Recognition(Kind(.sqlite, "journal_mode"), [("mode", .string(mode))], rule: "journal mode")
            }
        }
        let pg = c.code.first { $0.hasPrefix("postgres://") || $0.hasPrefix("postgresql://") }
        if pg != nil || c.own.has("connection string") && c.engine == .postgres {
            return Recognition(Kind(.postgres, "connect"), [], rule: "connection string")
        }
        if let path = c.code.first(where: { p in CodeSpan.sqliteSuffixes.contains { p.hasSuffix($0) } }),
            CodeSpan.isFilePath(path)
        {
            return Recognition(Kind(.sqlite, "database"), [("path", .string(path))], rule: "database file")
        }

        return nil
    }

    /// Migrations, tables, rows, seed data, integrity.
    static func databaseContents(_ c: ItemContext) -> Recognition? {
        // Migrations in a state that can be read ("applied", "up to date"), not an action or a project ("run
        // migrations", "migrations tested and versioned", "migration to PostgreSQL").
        let migrationState = c.own.hasAny([
            "applied", "up to date", "current", "latest", "pending", "complete", "completed", "executed", "ran",
        ])
        let migrationProcess =
            // (A migration "job" is a cluster's: its pod completed, not the database's record.)
            c.own.hasAny(["tested", "versioned", "plan", "planned", "reviewed", "to postgresql", "job", "jobs"])
            || ["run", "apply", "execute", "perform", "write", "create"].contains(c.own.words.first ?? "")
        if c.own.hasPrefix("migration"), migrationState || c.own.has("created via"), !migrationProcess,
            let engine = c.engine
        {
            let table = c.code.first {
                CodeSpan.isIdentifier($0)
                    && ($0.includes("migration") || $0.includes("schema_history") || $0.hasSuffix("_version"))
            }
            var params: [(String, Params.Value)] = table.map { [("table", .string($0))] } ?? []
            // "`django_migrations` holds at least 140 rows": that many recorded (PostgreSQL's kind counts them).
            if engine == .postgres, c.own.hasAny(["rows", "migrations", "entries"]),
                let bound = ThresholdParser(tokens: c.own).first(), bound.dimension == .count, bound.op.hasPrefix(">")
            {
                params.append(("min", .int(ThresholdParser.clampedInt(bound.value))))
            }
            return Recognition(Kind(engine.family, "migrations"), params, rule: "migrations")
        }
        if c.own.has("schema") && c.own.hasAny(["up to date", "current", "latest", "applied"]), let engine = c.engine {
            return Recognition(Kind(engine.family, "migrations"), [], rule: "migrations")
        }
        var tableNames = c.code.filter { CodeSpan.isIdentifier($0) && !CodeSpan.isIndexName($0) }
        // "Database tables created (users, products, otp_codes)": the names in an aside of plain identifiers.
        if tableNames.isEmpty, c.own.hasAny(["table", "tables"]),
            let aside = c.asides.map({
                $0.split(separator: ",").map {
                    String($0.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
                }
            })
            .first(where: { $0.count > 1 && $0.allSatisfy(CodeSpan.isIdentifier) })
        {
            tableNames = aside
        }
        // A table's layout ("`deliveries` is partitioned by month — confirm the June partition was created"): not
        // whether it exists.
        if c.own.hasAny(["partitioned", "partition", "partitions", "sharded"]), !tableNames.isEmpty {
            return Recognition(.manual, rule: "a table's partitions")
        }
        if c.own.hasAny(["tables created", "tables exist", "tables present"])
            || c.own.hasAny(["table", "tables"]) && c.own.hasAny(["exist", "exists", "present", "created"])
                && !tableNames.isEmpty,
            let engine = c.engine
        {
            let params: [(String, Params.Value)] = tableNames.isEmpty ? [] : [("tables", .list(tableNames))]
            return Recognition(Kind(engine.family, "tables"), params, rule: "tables")
        }
        // "`products` holds at least 500 rows"
        // ("at least 1 row per store (≥ 118 rows)": a count per group is not the table's; the next bound is.)
        if c.own.hasAny(["rows", "row", "records"]), let table = tableNames.first, let engine = c.engine,
            let bound = ThresholdParser(tokens: c.own).all().first(where: { b in
                b.dimension == .count && !(b.end + 1 < c.own.words.count && c.own.words[b.end + 1] == "per")
                    && !(b.end < c.own.words.count && c.own.words[b.end] == "per")
            })
        {
            return Recognition(
                Kind(engine.family, "rows"),
                [("table", .string(table)), ("min", .int(ThresholdParser.clampedInt(bound.value)))], rule: "rows")
        }
        if c.own.hasAny([
            "test data", "seed data", "sample data", "demo data", "fixtures loaded", "data seeded",
            "seeded",
        ]), let engine = c.engine {
            return Recognition(Kind(engine.family, "rows"), [("min", .int(1))], rule: "rows")
        }
        // (Not a browser's "subresource integrity" hashes.)
        if c.own.hasAny(["integrity check", "quick check", "integrity"]) && c.engine == .sqlite
            && !c.own.hasAny(["subresource", "sri", "scripts", "script"])
        {
            return Recognition(Kind(.sqlite, "integrity"), [], rule: "integrity")
        }
        return nil
    }

    /// Server-side concerns, PostgreSQL's: the pool, replication, the slow-query log, settings, privileges.
    static func postgresServer(_ c: ItemContext) -> Recognition? {
        // Server-side concerns are PostgreSQL's.
        let pgScope = c.engine == .postgres
        if c.own.hasPrefix("pool")
            && c.own.hasAny([
                "connection", "connections", "db", "database", "pgbouncer", "size", "hikari", "sqlalchemy",
            ])
            && pgScope
        {
            var params: [(String, Params.Value)] = []
            let w = c.own.words
            // "min: 5, max: 20", "minimumIdle 10, maximumPoolSize 40", "between 5 and 25", "at most 15".
            if let i = w.firstIndex(of: "between"), i + 3 < w.count, w[i + 2] == "and", let lo = Int(w[i + 1]),
                let hi = Int(w[i + 3])
            {
                params = [("min", .int(lo)), ("max", .int(hi))]
            } else {
                for (key, prefix) in [("min", "min"), ("max", "max")] {
                    if let i = w.firstIndex(where: { $0.hasPrefix(prefix) }), i + 1 < w.count, let v = Int(w[i + 1]) {
                        params.append((key, .int(v)))
                    }
                }
                if params.isEmpty, let bound = ThresholdParser(tokens: c.own).first(), bound.dimension == .count {
                    let key = bound.op.hasPrefix("<") ? "max" : "min"
                    params.append((key, .int(ThresholdParser.clampedInt(bound.value))))
                }
            }
            // A pool "configured" with no size names nothing to compare; "tuned" says the same of a judgement.
            guard !params.isEmpty || !c.own.hasAny(["configured", "set up", "setup", "enabled", "in place"]) else {
                return Recognition(.manual, rule: "a pool without a size")
            }
            return Recognition(Kind(.postgres, "pool"), params, rule: "connection pool")
        }
        // A bound on replication lag ("Replication lag < 5 s before we start"): the replication kind sees streaming,
        // not lag.
        if c.own.hasPrefix("replica") && c.own.has("lag") && pgScope {
            return Recognition(.manual, rule: "a lag the check does not measure")
        }
        // "Standby streaming from primary": streaming replication, said of the standby.
        // (Words, not a prefix: `replicaCount: 6` is a deployment's size.)
        let replicaWords = ["replica", "replicas", "replication", "replicated", "replicating"]
        if (c.own.hasAny(replicaWords) || c.own.has("standby") && c.own.has("streaming")) && pgScope
            && !c.own.hasAny([
                "hpa", "pods", "pod", "deployment", "kubernetes", "k8s", "instances", "containers", "swarm", "docker",
                "service", "services", "nodes",
            ])
        {
            return Recognition(Kind(.postgres, "replication"), [], rule: "replication")
        }
        if c.own.hasAny(["slow query log", "slow queries logged", "slow query logging"]) && pgScope {
            return Recognition(
                Kind(.postgres, "setting"),
                [("name", .string("log_min_duration_statement")), ("op", .string(">=")), ("value", .string("0"))],
                rule: "slow query log")
        }
        if pgScope, let setting = postgresSetting(c) { return setting }
        // (A role's limits: "`app` role: no DDL, not schema owner".)
        if c.own.hasAny(["superuser", "createrole", "createdb", "no ddl", "schema owner"]) && pgScope
            || c.own.has("cannot")
                && c.code.contains(where: { ["DROP", "TRUNCATE", "ALTER", "CREATE"].contains($0.uppercased()) })
                && pgScope
        {
            return Recognition(Kind(.postgres, "privileges"), [], rule: "privileges")
        }
        if c.own.hasAny(["permissions", "privileges", "grants", "granted"]) && pgScope
            && (c.own.hasAny(["database", "db", "role", "user"])
                || c.section.hasAny(["database", "postgresql", "postgres"]))
        {
            return Recognition(Kind(.postgres, "privileges"), [], rule: "privileges")
        }
        return nil
    }

    /// "Database reachable", "can connect".
    static func databaseConnectivity(_ c: ItemContext) -> Recognition? {
        let connect =
            c.own.hasAny([
                "database connectivity", "db connectivity", "database reachable", "database connection",
                "database created", "database accessible", "database is up", "database online", "can connect",
            ])
            // "Server accepts connections as `app`" under a PostgreSQL heading (the database named nearby).
            || c.own.has("accepts connections")
                && (Engine.named(in: c.own, code: c.code) ?? Engine.named(in: c.ancestors)
                    ?? Engine.named(in: c.section)) != nil
        if connect, let engine = c.engine {
            return engine == .sqlite
                ? Recognition(Kind(.sqlite, "database"), [], rule: "database connectivity")
                : Recognition(Kind(.postgres, "connect"), [], rule: "database connectivity")
        }
        return nil
    }

    /// PostgreSQL settings that checklists name, written as in `postgresql.conf`.
    static let postgresSettings: Set<String> = [
        "max_connections", "shared_buffers", "work_mem", "maintenance_work_mem", "effective_cache_size",
        "statement_timeout", "idle_in_transaction_session_timeout", "lock_timeout", "log_min_duration_statement",
        "wal_level", "archive_mode", "max_wal_size", "min_wal_size", "ssl", "password_encryption",
        "log_connections", "log_disconnections", "log_statement", "synchronous_commit", "fsync", "autovacuum",
        "max_wal_senders", "hot_standby", "random_page_cost", "default_transaction_isolation", "timezone",
    ]

    /// The settings as phrases (`max_connections` tokenises to the words "max connections"), for a quick first test.
    static let postgresSettingPhrases = Vocabulary.compile(Array(postgresSettings))

    /// "`max_connections` at least 200", "statement_timeout set to 30s": a server setting and its bound.
    static func postgresSetting(_ c: ItemContext) -> Recognition? {
        guard c.own.matches(postgresSettingPhrases) else { return nil }
        let named =
            c.code.first { postgresSettings.contains($0.lowercased()) }
            ?? c.text.split(separator: " ").map { $0.lowercased().trimmingCharacters(in: "`,.:;()") }
            .first { postgresSettings.contains($0) }
            ?? (c.own.has("statement timeout") ? "statement_timeout" : nil)
        guard let name = named, !c.own.hasAny(["reviewed", "tuned", "documented"]) else { return nil }
        // Sized as a share of the machine's memory ("`shared_buffers` ~25% of RAM"): a person works out the value.
        if c.own.hasAny(["of ram", "of memory", "of the ram", "of system memory", "of total memory"]) {
            return Recognition(.manual, rule: "a share of the machine's memory")
        }
        var params: [(String, Params.Value)] = [("name", .string(name))]
        if let bound = ThresholdParser(tokens: c.own).first() {
            params.append(("threshold", .threshold(bound.threshold(metric: name, timeBase: "ms"))))
        } else if let value = c.code.first(where: { $0.lowercased() != name }) {
            params.append(("value", .string(value)))
        }
        return Recognition(Kind(.postgres, "setting"), params, rule: "setting")
    }
}
