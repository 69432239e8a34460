import CPostgres
import Catalog
import Foundation
import Results

/// `postgres.*`: through libpq, so the URL, `sslmode` and the `PG*` variables behave as they do for `psql`. Every
/// session is read-only in intent and bounded: `connect_timeout` and `statement_timeout` are added to the URL.
struct PostgresProbe: Probe {
    /// The kinds this probe runs: the keys of its table of checks.
    var kinds: [Kind] { Self.checks.keys.sorted().map { Kind(.postgres, $0) } }

    func run(_ item: PlannedItem, in context: ProbeContext) async -> Outcome {
        guard let url = item.params.string("url") ?? context.settings.databaseURL else {
            return .error(
                "no PostgreSQL URL: pass --database-url or set `database_url: ${DATABASE_URL}` in gonogo.yml")
        }
        let seconds = max(2, min(30, context.settings.itemTimeout.wholeMilliseconds / 1000))
        let conninfo = PGConnection.bounded(url, connectTimeout: seconds, statementTimeoutMs: seconds * 1000)
        let kind = item.kind.name ?? ""
        let params = item.params
        do {
            return try await Blocking.run {
                let connection = try PGConnection(conninfo)
                return try Self.check(kind, params, connection)
            }
        } catch let error as ProbeError {
            return .error("PostgreSQL: \(error.description)")
        } catch {
            return .error("PostgreSQL: \(error)")
        }
    }

    typealias Check = @Sendable (_ kind: String, _ params: Params, _ pg: PGConnection) throws -> Outcome

    /// Every `postgres` kind and the function that checks it: the probe's `kinds` are this table's keys.
    static let checks: [String: Check] = [
        "connect": connect,
        "index": index,
        "setting": setting,
        "pool": pool,
        "replication": replication,
        "privileges": privileges,
        "migrations": counts,
        "rows": counts,
        "tables": counts,
    ]

    static func check(_ kind: String, _ params: Params, _ pg: PGConnection) throws -> Outcome {
        guard let check = checks[kind] else { return .unsupported(Kind(.postgres, kind)) }
        return try check(kind, params, pg)
    }

    static func connect(_ kind: String, _ params: Params, _ pg: PGConnection) throws -> Outcome {
        let row = try pg.query("SELECT current_setting('server_version'), current_database(), current_user").first
        let observed = "PostgreSQL \(row?[0] ?? "?"), database \(row?[1] ?? "?") as \(row?[2] ?? "?")"
        return .pass("connected: \(observed)", expected: "a connection", observed: observed)
    }

    static func index(_ kind: String, _ params: Params, _ pg: PGConnection) throws -> Outcome {
        let indexes = try pg.query(
            """
            SELECT indexname FROM pg_indexes
            WHERE schemaname NOT IN ('pg_catalog', 'information_schema') AND indexname NOT LIKE '%_pkey'
            ORDER BY indexname
            """
        ).compactMap { $0[0] }
        if let names = params.strings("names") {
            guard !names.isEmpty else { return .error("params.names is empty: list the indexes to look for") }
            let missing = names.filter { !indexes.contains($0) }
            return .check(
                missing.isEmpty, expected: "indexes \(names.joined(separator: ", "))",
                observed: missing.isEmpty
                    ? "all \(names.count) present" : "missing: \(missing.joined(separator: ", "))",
                pass: "the \(names.count) indexes exist",
                fail: "index\(missing.count == 1 ? "" : "es") \(missing.joined(separator: ", ")) missing")
        }
        guard let name = params.string("name") else {
            return .check(
                !indexes.isEmpty, expected: "indexes",
                observed: indexes.isEmpty ? "no indexes" : indexes.joined(separator: ", "),
                pass:
                    "\(indexes.count) indexes besides primary keys (none named: set params.names to require each one)",
                fail: "no indexes besides primary keys")
        }
        return .check(
            indexes.contains(name), expected: "index \(name)",
            observed: indexes.contains(name) ? "index \(name)" : "indexes: \(indexes.joined(separator: ", "))",
            pass: "index \(name) exists", fail: "index \(name) is missing")
    }

    static func setting(_ kind: String, _ params: Params, _ pg: PGConnection) throws -> Outcome {
        guard let name = params.string("name"), name.allSatisfy({ $0.isLetter || $0 == "_" || $0 == "." }) else {
            return .error("no setting named: add params.name (as in SHOW name) in gonogo.yml")
        }
        let value = try pg.query("SELECT current_setting($1)", [name]).first?[0] ?? ""
        if let threshold = params.threshold {
            let row = try pg.query("SELECT setting, unit FROM pg_settings WHERE name = lower($1)", [name]).first
            return Self.compare(
                name, shown: value, setting: (row?[0] ?? nil) ?? "", unit: row?[1] ?? nil, threshold)
        }
        guard let wanted = params.string("value") else {
            return .pass("\(name)=\(value)", expected: "\(name) set", observed: "\(name)=\(value)")
        }
        let op = params.string("op") ?? "="
        let ok: Bool
        if let have = Double(value.filter { $0.isNumber || $0 == "-" || $0 == "." }), let want = Double(wanted) {
            ok = Threshold(metric: name, op: op, value: want, unit: "").isMet(by: have)
        } else {
            ok = op == "=" && value.caseInsensitiveCompare(wanted) == .orderedSame
        }
        return .check(
            ok, expected: "\(name) \(op) \(wanted)", observed: "\(name)=\(value)", pass: "\(name)=\(value)",
            fail: "\(name) is \(value), needs \(op) \(wanted): ALTER SYSTEM SET \(name) = …")
    }

    static func pool(_ kind: String, _ params: Params, _ pg: PGConnection) throws -> Outcome {
        let row = try pg.query(
            """
            SELECT count(*) FILTER (WHERE pid <> pg_backend_pid()), current_setting('max_connections')::int
            FROM pg_stat_activity WHERE datname = current_database()
            """
        ).first
        let open = Int(row?[0] ?? "") ?? 0
        let maxConnections = Int(row?[1] ?? "") ?? 0
        var problems: [String] = []
        if let min = params.int("min"), open < min {
            problems.append("\(open) connections open, the pool minimum is \(min)")
        }
        if let max = params.int("max"), maxConnections < max {
            problems.append("max_connections \(maxConnections) is below the pool maximum \(max)")
        }
        if params.int("min") == nil, open == 0 { problems.append("no application connection is open") }
        let observed = "\(open) other connections open, max_connections \(maxConnections)"
        return .check(
            problems.isEmpty,
            expected: [
                params.int("min").map { "≥ \($0) open" }, params.int("max").map { "max_connections ≥ \($0)" },
            ]
            .compactMap { $0 }.joined(separator: ", ").nonEmpty ?? "an application pool connected",
            observed: observed, pass: observed, fail: problems.joined(separator: "; "))
    }

    static func replication(_ kind: String, _ params: Params, _ pg: PGConnection) throws -> Outcome {
        let rows = try pg.query("SELECT application_name, state FROM pg_stat_replication")
        let streaming = rows.filter { $0[1] == "streaming" }
        return .check(
            !streaming.isEmpty, expected: "a streaming replica",
            observed: rows.isEmpty
                ? "no replica connected" : rows.map { "\($0[0] ?? "?") \($0[1] ?? "?")" }.joined(separator: ", "),
            pass: "\(streaming.count) replica\(streaming.count == 1 ? "" : "s") streaming",
            fail: "no replica is streaming from this server")
    }

    static func privileges(_ kind: String, _ params: Params, _ pg: PGConnection) throws -> Outcome {
        let row = try pg.query(
            """
            SELECT current_user, r.rolsuper, has_database_privilege(current_database(), 'CONNECT'),
                   has_schema_privilege(current_schema(), 'USAGE'),
                   (SELECT count(*) FROM pg_tables WHERE tableowner = current_user)
            FROM pg_roles r WHERE r.rolname = current_user
            """
        ).first
        let user = row?[0] ?? "?"
        let superuser = row?[1] == "t"
        let observed =
            "role \(user): \(superuser ? "superuser" : "not superuser"), connect \(row?[2] == "t" ? "yes" : "no"), "
            + "schema usage \(row?[3] == "t" ? "yes" : "no"), owns \(row?[4] ?? "0") tables"
        return .check(
            !superuser && row?[2] == "t" && row?[3] == "t", expected: "an application role, not a superuser",
            observed: observed, pass: observed,
            fail: superuser
                ? "the application connects as a superuser (\(user)): give it a role of its own" : observed)
    }

    static func counts(_ kind: String, _ params: Params, _ pg: PGConnection) throws -> Outcome {
        let tables = Set(
            try pg.query(
                "SELECT tablename FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
            ).compactMap { $0[0] })
        if kind == "tables" {
            let wanted: [String]
            if case .list(let list) = params["tables"] { wanted = list } else { wanted = [] }
            let missing = wanted.filter { !tables.contains($0) }
            return .check(
                wanted.isEmpty ? !tables.isEmpty : missing.isEmpty,
                expected: wanted.isEmpty ? "tables" : wanted.joined(separator: ", "),
                observed: missing.isEmpty
                    ? "\(tables.count) tables" : "missing: \(missing.joined(separator: ", "))",
                pass: "tables present",
                fail: missing.isEmpty ? "no tables" : "missing \(missing.joined(separator: ", "))")
        }
        let table = params.string("table") ?? (kind == "migrations" ? "schema_migrations" : "chat_messages")
        guard tables.contains(table) else {
            return .fail("no table \(table)", expected: "\(table) with rows", observed: "no \(table)")
        }
        let quoted = "\"" + table.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        let count = Int(try pg.query("SELECT count(*) FROM \(quoted)").first?[0] ?? "") ?? 0
        let minimum = params.int("min") ?? 1
        return .check(
            count >= minimum, expected: "at least \(minimum) row\(minimum == 1 ? "" : "s") in \(table)",
            observed: "\(count) rows",
            pass: kind == "migrations" ? "\(count) migrations applied" : "\(count) rows in \(table)",
            fail: kind == "migrations" ? "\(table) is empty: no migration recorded" : "\(table) holds \(count) rows"
        )
    }
}
