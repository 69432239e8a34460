import Foundation
import GRDB
import Probes
import Results

/// Where `verify --history URL` keeps runs and `gonogo history` and `gonogo diff` read them: a SQLite file (a path,
/// or `sqlite:PATH`; the default `gonogo-history.db`) or a PostgreSQL database (`postgres://…`). Two tables, the
/// same columns in both (docs/history.md), made on first use, that Grafana's SQL data sources query directly:
/// `gonogo_runs` (one row per run) and `gonogo_items` (one row per item of a run). Every call is bounded: SQLite waits
/// at most 5 s for a lock, PostgreSQL 10 s to connect and 30 s per statement.
public protocol HistoryStore: Sendable {
    /// Appends `record` with its items in one transaction; returns the run's id.
    func append(_ record: RunRecord) throws -> Int64
    /// The newest runs first (their items left empty), of one checklist when given.
    func runs(checklist: String?, limit: Int) throws -> [RunRecord]
    /// One run with its items; nil when there is no such id.
    func run(id: Int64) throws -> RunRecord?
    /// The statuses of `runs`' items: run id, item id, status.
    func statuses(of runs: [Int64]) throws -> [(run: Int64, item: String, status: String)]
}

public enum History {
    public static let defaultFile = "gonogo-history.db"

    /// The store `url` names; throws ``HistoryError`` (never showing a password) when it cannot be opened. `create`
    /// false (reading: `gonogo history`, `gonogo diff`): a SQLite file that does not exist is an error, never made.
    public static func open(_ url: String, create: Bool = true) throws -> any HistoryStore {
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") { return try PostgresHistory(url) }
        var path = url
        if path.hasPrefix("sqlite://") { path = String(path.dropFirst("sqlite://".count)) }
        if path.hasPrefix("sqlite:") { path = String(path.dropFirst("sqlite:".count)) }
        guard !path.isEmpty, !path.contains("://") else {
            throw HistoryError(
                "--history \(RunIdentity.shown(url)): give a SQLite file (history.db, sqlite:PATH) or a postgres:// URL"
            )
        }
        if !create, !FileManager.default.fileExists(atPath: path) {
            throw HistoryError(
                "\(path): no such history (gonogo verify --history \(path) keeps runs there; check the path)")
        }
        return try SQLiteHistory(path)
    }

    static let columns =
        "started_at, duration_ms, checklist, checklist_sha256, environment, git_commit, git_tag, api_url, gate, "
        + "verdict, go, tool_version, n_pass, n_fail, n_warn, n_skip, n_error, n_manual, n_attested, n_waived"
    public static let statuses = ["pass", "fail", "warn", "skip", "error", "manual", "attested", "waived"]

    static func schema(postgres: Bool) -> [String] {
        let id = postgres ? "id BIGSERIAL PRIMARY KEY" : "id INTEGER PRIMARY KEY AUTOINCREMENT"
        let time = postgres ? "TIMESTAMPTZ" : "TEXT"
        let bool = postgres ? "BOOLEAN" : "INTEGER"
        let big = postgres ? "BIGINT" : "INTEGER"
        return [
            """
            CREATE TABLE IF NOT EXISTS gonogo_runs (\(id), started_at \(time) NOT NULL, duration_ms INTEGER NOT NULL,
              checklist TEXT NOT NULL, checklist_sha256 TEXT NOT NULL, environment TEXT, git_commit TEXT,
              git_tag TEXT, api_url TEXT, gate TEXT NOT NULL, verdict TEXT NOT NULL, go \(bool) NOT NULL,
              tool_version TEXT NOT NULL,
              \(statuses.map { "n_\($0) INTEGER NOT NULL" }.joined(separator: ", ")))
            """,
            """
            CREATE TABLE IF NOT EXISTS gonogo_items (run_id \(big) NOT NULL REFERENCES gonogo_runs(id) ON DELETE CASCADE,
              item_id TEXT NOT NULL, line INTEGER NOT NULL, kind TEXT NOT NULL, severity TEXT NOT NULL,
              status TEXT NOT NULL, expected TEXT, observed TEXT, duration_ms INTEGER NOT NULL,
              PRIMARY KEY (run_id, item_id))
            """,
            "CREATE INDEX IF NOT EXISTS gonogo_items_by_item ON gonogo_items (item_id, run_id)",
            "CREATE INDEX IF NOT EXISTS gonogo_runs_by_checklist ON gonogo_runs (checklist, started_at)",
        ]
    }

    /// A run's row values, in ``columns``' order, as text (each backend converts).
    static func values(_ r: RunRecord) -> [String?] {
        [
            r.startedAt, String(r.durationMs), r.checklist, r.checklistSHA256, r.environment, r.commit, r.tag,
            r.apiURL, r.gate, r.verdict, r.go ? "1" : "0", r.toolVersion,
        ] + statuses.map { String(r.counts[$0] ?? 0) }
    }

    /// A run from its row (``columns`` after the id, all as text).
    static func record(_ row: [String?]) -> RunRecord {
        func int(_ i: Int) -> Int { Int(row[i] ?? "") ?? 0 }
        return RunRecord(
            id: Int64(row[0] ?? ""), startedAt: row[1] ?? "", durationMs: int(2), checklist: row[3] ?? "",
            checklistSHA256: row[4] ?? "", environment: row[5], commit: row[6], tag: row[7], apiURL: row[8],
            gate: row[9] ?? "", verdict: row[10] ?? "", toolVersion: row[12] ?? "",
            counts: Dictionary(uniqueKeysWithValues: statuses.enumerated().map { ($1, int(13 + $0)) }), items: [])
    }

    static func item(_ row: [String?]) -> RunRecord.Item {
        RunRecord.Item(
            id: row[0] ?? "", line: Int(row[1] ?? "") ?? 0, kind: row[2] ?? "", severity: row[3] ?? "",
            status: row[4] ?? "", expected: row[5], observed: row[6], durationMs: Int(row[7] ?? "") ?? 0)
    }

    static let itemColumns = "item_id, line, kind, severity, status, expected, observed, duration_ms"
}

/// The history in a SQLite file, through GRDB.
final class SQLiteHistory: HistoryStore {
    let queue: DatabaseQueue
    let path: String

    init(_ path: String) throws {
        self.path = path
        var config = Configuration()
        config.busyMode = .timeout(5)
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA foreign_keys = ON") }
        do {
            queue = try DatabaseQueue(path: path, configuration: config)
            try queue.write { db in for sql in History.schema(postgres: false) { try db.execute(sql: sql) } }
        } catch {
            throw HistoryError("\(path): cannot open it as a SQLite history (\(error))")
        }
    }

    func rows(_ sql: String, _ arguments: [DatabaseValueConvertible?] = []) throws -> [[String?]] {
        try queue.read { db in
            try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map { row in
                (0..<row.count).map { i in
                    let value: DatabaseValue = row[i]
                    return value.isNull ? nil : String.fromDatabaseValue(value) ?? value.description
                }
            }
        }
    }

    func append(_ record: RunRecord) throws -> Int64 {
        try queue.write { db in
            let marks = Array(repeating: "?", count: History.values(record).count).joined(separator: ", ")
            try db.execute(
                sql: "INSERT INTO gonogo_runs (\(History.columns)) VALUES (\(marks))",
                arguments: StatementArguments(History.values(record)))
            let id = db.lastInsertedRowID
            for i in record.items {
                try db.execute(
                    sql: "INSERT INTO gonogo_items (run_id, \(History.itemColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    arguments: [id, i.id, i.line, i.kind, i.severity, i.status, i.expected, i.observed, i.durationMs])
            }
            return id
        }
    }

    func runs(checklist: String?, limit: Int) throws -> [RunRecord] {
        let filter = checklist == nil ? "" : "WHERE checklist = ?"
        return try rows(
            "SELECT id, \(History.columns) FROM gonogo_runs \(filter) ORDER BY id DESC LIMIT \(max(1, limit))",
            checklist.map { [$0] } ?? []
        ).map(History.record)
    }

    func run(id: Int64) throws -> RunRecord? {
        guard
            var record = try rows("SELECT id, \(History.columns) FROM gonogo_runs WHERE id = ?", [id]).first
                .map(History.record)
        else { return nil }
        record.items = try rows(
            "SELECT \(History.itemColumns) FROM gonogo_items WHERE run_id = ? ORDER BY line", [id]
        ).map(History.item)
        return record
    }

    func statuses(of runs: [Int64]) throws -> [(run: Int64, item: String, status: String)] {
        guard !runs.isEmpty else { return [] }
        let list = runs.map(String.init).joined(separator: ", ")
        return try rows(
            "SELECT run_id, item_id, status FROM gonogo_items WHERE run_id IN (\(list)) ORDER BY run_id"
        ).map { (Int64($0[0] ?? "") ?? 0, $0[1] ?? "", $0[2] ?? "") }
    }
}
