import CPostgres
import Catalog
import Foundation
import Results

/// `postgres.*`: through libpq, so the URL, `sslmode` and the `PG*` variables behave as they do for `psql`. Every
/// session is read-only in intent and bounded: `connect_timeout` and `statement_timeout` are added to the URL.
struct PostgresProbe: Probe {
    /// The kinds this probe runs: exactly its family's in `Kind.registry` (`ProbeTableTests`).
    let kinds = ["connect", "index", "setting", "pool", "replication", "privileges", "migrations", "rows", "tables"].map
    { Kind(.postgres, $0) }

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

    static func check(_ kind: String, _ params: Params, _ pg: PGConnection) throws -> Outcome {
        switch kind {
        case "connect":
            let row = try pg.query("SELECT current_setting('server_version'), current_database(), current_user").first
            let observed = "PostgreSQL \(row?[0] ?? "?"), database \(row?[1] ?? "?") as \(row?[2] ?? "?")"
            return .pass("connected: \(observed)", expected: "a connection", observed: observed)
        case "index":
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
        case "setting":
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
        case "pool":
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
        case "replication":
            let rows = try pg.query("SELECT application_name, state FROM pg_stat_replication")
            let streaming = rows.filter { $0[1] == "streaming" }
            return .check(
                !streaming.isEmpty, expected: "a streaming replica",
                observed: rows.isEmpty
                    ? "no replica connected" : rows.map { "\($0[0] ?? "?") \($0[1] ?? "?")" }.joined(separator: ", "),
                pass: "\(streaming.count) replica\(streaming.count == 1 ? "" : "s") streaming",
                fail: "no replica is streaming from this server")
        case "privileges":
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
        case "migrations", "rows", "tables":
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
        default:
            return .unsupported(Kind(.postgres, kind))
        }
    }
}

/// One libpq connection, closed when released. Blocking: use it on a Dispatch thread.
final class PGConnection {
    private let conn: OpaquePointer

    init(_ conninfo: String) throws {
        guard let conn = PQconnectdb(conninfo) else {
            throw ProbeError.postgres(sqlState: nil, "libpq could not allocate a connection")
        }
        guard PQstatus(conn) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(conn)).trimmingCharacters(in: .whitespacesAndNewlines)
            PQfinish(conn)
            // libpq gives no SQLSTATE for a failed connection; its message says why (refused, a wrong password…).
            throw ProbeError.postgres(sqlState: nil, message.isEmpty ? "the connection failed" : message)
        }
        self.conn = conn
    }

    deinit { PQfinish(conn) }

    /// The rows of `sql` as text (nil for NULL), with `$1…` bound to `parameters`.
    func query(_ sql: String, _ parameters: [String] = []) throws -> [[String?]] {
        let copies = parameters.map { strdup($0) }
        defer { copies.forEach { free($0) } }
        var values = copies.map { UnsafePointer<CChar>($0) }
        let result = PQexecParams(conn, sql, Int32(parameters.count), nil, &values, nil, nil, 0)
        defer { PQclear(result) }
        let status = PQresultStatus(result)
        guard status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK else {
            let state = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) }  // PG_DIAG_SQLSTATE
            throw ProbeError.postgres(
                sqlState: state,
                String(cString: PQresultErrorMessage(result)).trimmingCharacters(in: .whitespacesAndNewlines))
        }
        var rows: [[String?]] = []
        for r in 0..<PQntuples(result) {
            rows.append(
                (0..<PQnfields(result)).map { c in
                    PQgetisnull(result, r, c) == 1 ? nil : String(cString: PQgetvalue(result, r, c))
                })
        }
        return rows
    }

    /// `url` with `connect_timeout` and a `statement_timeout` added unless it sets them: a URL gets query
    /// parameters, a key=value string more pairs.
    static func bounded(_ url: String, connectTimeout: Int, statementTimeoutMs: Int) -> String {
        let isURI = url.hasPrefix("postgres://") || url.hasPrefix("postgresql://")
        var extra: [String] = []
        if !url.contains("connect_timeout") { extra.append("connect_timeout=\(connectTimeout)") }
        if !url.contains("options") {
            extra.append(
                isURI
                    ? "options=-c%20statement_timeout%3D\(statementTimeoutMs)"
                    : "options='-c statement_timeout=\(statementTimeoutMs)'")
        }
        guard !extra.isEmpty else { return url }
        if isURI { return url + (url.contains("?") ? "&" : "?") + extra.joined(separator: "&") }
        return url + " " + extra.joined(separator: " ")
    }
}

extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}

extension PostgresProbe {
    /// A numeric setting against a bound the checklist states ("idle_in_transaction_session_timeout ≤ 60s",
    /// "work_mem no lower than 16MB"): `pg_settings.setting` in its own unit, brought to the bound's (milliseconds
    /// for time, kilobytes for memory). -1 (unlimited, or "use another setting") and a `*_timeout` of 0 (off) meet
    /// no upper bound; `log_min_duration_statement=0` is a number (log everything), not off.
    static func compare(
        _ name: String, shown: String, setting: String, unit: String?, _ threshold: Threshold
    )
        -> Outcome
    {
        let value =
            threshold.value == threshold.value.rounded() ? String(Int(threshold.value)) : String(threshold.value)
        let bound = "\(threshold.op) \(value)\(threshold.unit.isEmpty ? "" : " " + threshold.unit)"
        let expected = "\(name) \(bound)"
        guard let raw = Double(setting) else {
            return .error("\(name) is \(shown), not a number to compare with \(bound)")
        }
        let time: [String: Double] = ["us": 0.001, "ms": 1, "s": 1000, "min": 60_000, "h": 3_600_000, "d": 86_400_000]
        let memory: [String: Double] = ["B": 1.0 / 1024, "kB": 1, "8kB": 8, "16kB": 16, "32kB": 32, "MB": 1024]
        let off = raw < 0 || (raw == 0 && name.lowercased().hasSuffix("_timeout"))
        if off, threshold.op.hasPrefix("<") {
            return .fail(
                "\(name) is \(shown): off or unlimited, so there is no limit (needs \(bound))", expected: expected,
                observed: "\(name)=\(shown)")
        }
        let have: Double
        switch threshold.unit {
        case "ms", "s":
            guard let factor = unit.flatMap({ time[$0] }) else {
                return .error("\(name) is not a time setting (unit \(unit ?? "none")): cannot compare with \(bound)")
            }
            have = raw * factor / (threshold.unit == "s" ? 1000 : 1)
        case "kB":
            guard let factor = unit.flatMap({ memory[$0] }) else {
                return .error("\(name) is not a memory setting (unit \(unit ?? "none")): cannot compare with \(bound)")
            }
            have = raw * factor
        default:
            have = raw
        }
        return .check(
            threshold.isMet(by: have), expected: expected, observed: "\(name)=\(shown)", pass: "\(name)=\(shown)",
            fail: "\(name) is \(shown), needs \(bound): ALTER SYSTEM SET \(name) = …")
    }
}
