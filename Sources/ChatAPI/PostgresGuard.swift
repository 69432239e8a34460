import Foundation
import Logging
import PostgresNIO

/// Admin SQL run by a database guard: the result, or ``SQLRefused`` with the reason.
public protocol AdminSQLGuard: Sendable {
    func answer(_ sql: String) async throws -> SQLiteGuard.Result
}

/// Runs admin SQL on PostgreSQL with defence in depth, leaning on the server's own enforcement:
///
/// 1. the text is one statement that starts with SELECT or WITH (a lexer that knows quotes, dollar quotes and
///    comments, so a second statement behind a comment is seen); the extended query protocol postgres-nio speaks
///    refuses a second statement again on the server;
/// 2. a `READ ONLY` transaction, so no write of any kind can succeed, with `statement_timeout` for the time limit,
///    always rolled back;
/// 3. when migration 4 could create it, the role `chat_sql_reader`, which may only read `chat_sessions` and
///    `chat_messages`, is taken for the transaction (`SET LOCAL ROLE`): the server itself refuses everything else,
///    even through functions that run SQL of their own;
/// 4. the plan (`EXPLAIN (VERBOSE, FORMAT JSON)`, which runs nothing) is checked before the query runs: every
///    relation it touches must be one of the two tables, no node may write or scan a function, and every function
///    it calls must be on a short list of ordinary ones;
/// 5. at most `maxRows` rows are fetched (the query is wrapped in a `LIMIT`).
public struct PostgresGuard: AdminSQLGuard {
    let client: PostgresClient
    let logger: Logger
    let maxRows: Int
    let timeLimit: Duration

    public static let readerRole = "chat_sql_reader"

    public init(client: PostgresClient, logger: Logger, maxRows: Int = 1000, timeLimit: Duration = .seconds(2)) {
        self.client = client
        self.logger = logger
        self.maxRows = maxRows
        self.timeLimit = timeLimit
    }

    /// Functions an ordinary report query may call (as they appear in a verbose plan).
    static let allowedFunctions: Set<String> = [
        "count", "sum", "avg", "min", "max", "round", "floor", "ceil", "ceiling", "abs", "trunc",
        "date_trunc", "date_part", "extract", "to_char", "date", "now", "age", "timezone",
        "length", "char_length", "lower", "upper", "substr", "substring", "left", "right", "btrim", "ltrim", "rtrim",
        "concat", "string_agg", "array_agg", "coalesce", "nullif", "greatest", "least", "row_number", "rank",
        "dense_rank", "percentile_cont", "percentile_disc", "stddev", "variance", "bool_and", "bool_or", "position",
        "replace", "split_part", "any", "all", "array", "row", "numeric", "int4", "int8", "float8", "text",
        "textlen", "date_trunc_timestamptz", "timestamptz", "make_interval", "interval", "exists", "case",
        "in", "like", "not", "and", "or", "strpos", "starts_with", "octet_length", "avg_int4", "sum_int4",
        "count_star", "cast", "current_date", "filter", "over", "within", "lag", "lead", "first_value",
        "last_value", "ntile",
    ]

    public func answer(_ sql: String) async throws -> SQLiteGuard.Result {
        guard !sql.utf8.contains(0) else { throw SQLRefused(description: "the SQL contains a NUL byte") }
        let statement = try SQLText.single(sql)
        do {
            return try await client.withTransaction(logger: logger) { connection in
                try await connection.query("SET TRANSACTION READ ONLY", logger: logger)
                try await connection.query(
                    PostgresQuery(unsafeSQL: "SET LOCAL statement_timeout = \(timeLimit.wholeMilliseconds)"),
                    logger: logger)
                let hasReader =
                    try await connection.query(
                        """
                        SELECT CASE WHEN EXISTS (SELECT 1 FROM pg_roles WHERE rolname = \(Self.readerRole))
                            THEN pg_has_role(current_user, \(Self.readerRole), 'MEMBER')
                                AND has_table_privilege(\(Self.readerRole), 'chat_sessions', 'SELECT')
                                AND has_table_privilege(\(Self.readerRole), 'chat_messages', 'SELECT')
                            ELSE false END
                        """, logger: logger
                    ).collect().first?.decode(Bool.self) ?? false
                if hasReader {
                    try await connection.query(
                        PostgresQuery(unsafeSQL: "SET LOCAL ROLE \(Self.readerRole)"), logger: logger)
                }
                try await checkPlan(of: statement, on: connection)
                let started = ContinuousClock.now
                let tag = String(UInt64.random(in: 1...UInt64.max), radix: 36)
                let rows = try await connection.query(
                    PostgresQuery(unsafeSQL: Self.capped(statement, maxRows: maxRows, tag: tag)), logger: logger)
                // From the row description: there even with no rows. The first two are the cap's own.
                let columns = rows.columns.dropFirst(2).map(\.name)
                var values: [[String?]] = []
                var truncated = false
                var bytes = 0
                var counted: Int?  // rows under the row limit, before the byte cap
                for try await row in rows {
                    let all = Array(row)
                    if counted == nil, all.count > 1 { counted = Self.text(all[1]).flatMap { Int($0) } }
                    // The row and byte caps of SQLiteGuard, again here (a value's stored size can be compressed).
                    if values.count == maxRows || bytes > SQLiteGuard.maxAnswerBytes {
                        truncated = true
                        continue  // drain: the sequence must be read to its end
                    }
                    let cells = all.dropFirst(2).map { Self.text($0) }
                    bytes += cells.reduce(0) { $0 + ($1?.utf8.count ?? 0) }
                    values.append(cells)
                }
                // Rows past the byte cap never left the server: fewer came than there were. With none at all, the
                // first was already past it, or there are none: asked again, within the time limit's rest.
                if let counted, counted > values.count {
                    truncated = true
                } else if counted == nil,
                    try await Self.hadRows(
                        statement, within: timeLimit - (ContinuousClock.now - started), on: connection, logger: logger)
                {
                    truncated = true
                }
                // Nothing to keep: leave without committing anything.
                throw Finished(result: SQLiteGuard.Result(columns: columns, rows: values, truncated: truncated))
            }
        } catch let finished as Finished {
            return finished.result
        } catch let refused as SQLRefused {
            throw refused
        } catch let error as PSQLError {
            throw Self.refusal(error)
        } catch let error as PostgresTransactionError {
            switch error.closureError ?? error.beginError ?? error.rollbackError {
            case let finished as Finished: return finished.result
            case let refused as SQLRefused: throw refused
            case let psql as PSQLError: throw Self.refusal(psql)
            case let other?: throw other
            case nil: throw error
            }
        }
    }

    /// `statement` wrapped so that the server sends at most `maxRows + 1` rows and stops before the row that takes
    /// the answer past ``SQLiteGuard/maxAnswerBytes``: one `SELECT string_agg(…)` over a join can build hundreds of
    /// megabytes, and postgres-nio holds a whole row in memory before chat-api sees it. The first two columns are the
    /// running size and the number of rows under the row limit (the admin's columns follow, in their order); their
    /// names end in `tag`, a random word per query, so that no column of the admin's can take their place.
    static func capped(_ statement: String, maxRows: Int, tag: String) -> String {
        """
        SELECT capped.* FROM (
          SELECT sum(pg_column_size(limited.*)) OVER (ROWS UNBOUNDED PRECEDING) AS chat_sql_bytes_\(tag),
            count(*) OVER () AS chat_sql_rows_\(tag), limited.*
          FROM (SELECT * FROM (
        \(statement)
        ) AS admin_query LIMIT \(maxRows + 1)) AS limited
        ) AS capped WHERE capped.chat_sql_bytes_\(tag) <= \(SQLiteGuard.maxAnswerBytes)
        """
    }

    /// Whether `statement` has rows at all, when none came back (every one past the byte cap, or none there): asked
    /// within what is left of the time limit; past it, the answer is taken as cut.
    static func hadRows(
        _ statement: String, within remaining: Duration, on connection: PostgresConnection, logger: Logger
    ) async throws -> Bool {
        // No time left: the answer is taken as cut rather than run past the limit.
        guard remaining > .milliseconds(50) else { return true }
        try await connection.query(
            PostgresQuery(unsafeSQL: "SET LOCAL statement_timeout = \(remaining.wholeMilliseconds)"),
            logger: logger)
        do {
            let rows = try await connection.query(
                PostgresQuery(unsafeSQL: "SELECT EXISTS (SELECT 1 FROM (\n\(statement)\n) AS admin_query)"),
                logger: logger
            ).collect()
            return try rows.first?.decode(Bool.self) ?? false
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "57014" {
            return true
        }
    }

    /// Thrown to roll the transaction back while handing the result out.
    struct Finished: Error { let result: SQLiteGuard.Result }

    func checkPlan(of statement: String, on connection: PostgresConnection) async throws {
        let plan = try await connection.query(
            PostgresQuery(unsafeSQL: "EXPLAIN (VERBOSE, FORMAT JSON) \(statement)"), logger: logger
        ).collect()
        guard let text = try plan.first?.decode(String.self),
            let json = try? JSONSerialization.jsonObject(with: Data(text.utf8))
        else { throw SQLRefused(description: "the query plan could not be read") }
        try Self.check(plan: json)
    }

    /// Walks a JSON plan: the relations, node types and functions of the query.
    static func check(plan: Any) throws {
        var pending: [Any] = [plan]
        while let node = pending.popLast() {
            if let list = node as? [Any] {
                pending.append(contentsOf: list)
                continue
            }
            guard let object = node as? [String: Any] else {
                if let text = node as? String { try checkFunctions(in: text) }
                continue
            }
            if let type = object["Node Type"] as? String {
                switch type {
                case "ModifyTable", "LockRows":
                    throw SQLRefused(description: "only reads are allowed")
                case "Function Scan", "Table Function Scan", "Foreign Scan", "Custom Scan":
                    throw SQLRefused(description: "only chat_sessions and chat_messages may be read (not a \(type))")
                default: break
                }
            }
            if let relation = object["Relation Name"] as? String {
                let schema = object["Schema"] as? String ?? "public"
                guard schema == "public", SQLiteGuard.allowedTables.contains(relation) else {
                    throw SQLRefused(
                        description: "only chat_sessions and chat_messages may be read (not \(relation))")
                }
            }
            for (key, value) in object where key != "Relation Name" && key != "Schema" && key != "Alias" {
                pending.append(value)
            }
        }
    }

    /// Every `name(` in a plan expression, outside string literals, must be an allowed function.
    static func checkFunctions(in expression: String) throws {
        var name = ""
        var inString = false
        var previous: Character = " "
        for c in expression {
            if inString {
                if c == "'" { inString = false }
            } else if c == "'" {
                inString = true
                name = ""
            } else if c.isLetter || c.isNumber || c == "_" || c == "." {
                name.append(c)
            } else {
                if c == "(", !name.isEmpty, previous != " " {
                    let bare = String(name.split(separator: ".").last ?? "").lowercased()
                    if !allowedFunctions.contains(bare), !bare.allSatisfy(\.isNumber) {
                        throw SQLRefused(description: "the function \(bare) is not allowed")
                    }
                }
                name = ""
            }
            previous = c
        }
    }

    /// A server error as the reason of a refusal (never the query's values: none are bound).
    static func refusal(_ error: PSQLError) -> SQLRefused {
        switch error.serverInfo?[.sqlState] {
        case "57014": return SQLRefused(description: "the query ran past its time limit")
        case "25006": return SQLRefused(description: "only reads are allowed")
        case "42501":
            // The reader role may read both chat tables: a refusal on one of them is a write or a lock.
            let message = error.serverInfo?[.message] ?? ""
            if SQLiteGuard.allowedTables.contains(where: { message.hasSuffix("table \($0)") }) {
                return SQLRefused(description: "only reads are allowed (\(message))")
            }
            return SQLRefused(
                description: "only chat_sessions and chat_messages may be read (\(error.serverInfo?[.message] ?? ""))")
        case "42601" where (error.serverInfo?[.message] ?? "").contains("multiple commands"):
            return SQLRefused(description: "only one statement is allowed")
        default:
            if let message = error.serverInfo?[.message] {
                return SQLRefused(description: "the SQL does not run: \(message)")
            }
            return SQLRefused(description: "the database did not answer (\(error.code))")
        }
    }

    /// A cell as text, by its type: the wire format of most types is binary, so each is decoded as what it is.
    static func text(_ cell: PostgresCell) -> String? {
        guard cell.bytes != nil else { return nil }
        switch cell.dataType {
        case .int2, .int4, .int8, .oid:
            return (try? cell.decode(Int64.self)).map { String($0) }
        case .float4, .float8:
            return (try? cell.decode(Double.self)).map { String($0) }
        case .bool:
            return (try? cell.decode(Bool.self)).map { $0 ? "true" : "false" }
        case .timestamp, .timestamptz, .date:
            return (try? cell.decode(Date.self)).map { Timestamp.string($0) }
        case .uuid:
            return (try? cell.decode(UUID.self)).map { $0.uuidString.lowercased() }
        case .numeric:
            return (try? cell.decode(Decimal.self)).map { "\($0)" }
        case .text, .varchar, .name, .bpchar:
            return try? cell.decode(String.self)
        default:
            return "(\(cell.dataType))"
        }
    }
}
