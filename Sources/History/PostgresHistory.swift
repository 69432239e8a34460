import Foundation
import Probes
import Results

/// The history in PostgreSQL, through libpq: a connection per call (the CLI makes a few), at most 10 s to connect and
/// 30 s per statement.
final class PostgresHistory: HistoryStore {
    let url: String
    let shown: String

    init(_ url: String) throws {
        self.url = PGConnection.bounded(url, connectTimeout: 10, statementTimeoutMs: 30_000)
        shown = RunIdentity.shown(url)
        try connect { db in for sql in History.schema(postgres: true) { _ = try db.query(sql) } }
    }

    /// Runs `body` on a new connection; a failure names the database (never its password) and libpq's reason.
    func connect<T>(_ body: (PGConnection) throws -> T) throws -> T {
        do {
            return try body(try PGConnection(url))
        } catch let error as ProbeError {
            throw HistoryError("the history at \(shown): \(error.description)")
        }
    }

    static let startedAt = "to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
    static var selectRun: String {
        "SELECT id, "
            + History.columns.replacingOccurrences(of: "started_at,", with: "\(startedAt),")
            .replacingOccurrences(of: " go,", with: " go::text,") + " FROM gonogo_runs"
    }

    func append(_ record: RunRecord) throws -> Int64 {
        try connect { db in
            _ = try db.query("BEGIN")
            do {
                let values = History.values(record).map { $0 ?? "" }
                let marks = (1...values.count).map { "$\($0)" }
                // An absent environment, commit, tag or URL is NULL, not an empty string.
                let nullable = Set([4, 5, 6, 7])
                let placeholders = marks.enumerated().map { nullable.contains($0) ? "NULLIF(\($1), '')" : $1 }
                let id = try db.query(
                    "INSERT INTO gonogo_runs (\(History.columns)) VALUES (\(placeholders.joined(separator: ", "))) "
                        + "RETURNING id", values
                ).first?.first??.trimmingCharacters(in: .whitespaces)
                guard let id, let runID = Int64(id) else { throw HistoryError("the history at \(shown) gave no id") }
                // Many items per statement (PostgreSQL takes up to 65,535 parameters in one).
                var start = 0
                while start < record.items.count {
                    let batch = record.items[start..<min(start + 500, record.items.count)]
                    var parameters: [String] = []
                    var rows: [String] = []
                    for item in batch {
                        let n = parameters.count
                        rows.append(
                            "(\(runID), $\(n + 1), $\(n + 2)::int, $\(n + 3), $\(n + 4), $\(n + 5), "
                                + "NULLIF($\(n + 6), '\u{1}'), NULLIF($\(n + 7), '\u{1}'), $\(n + 8)::int)")
                        parameters += [
                            item.id, String(item.line), item.kind, item.severity, item.status,
                            item.expected ?? "\u{1}", item.observed ?? "\u{1}", String(item.durationMs),
                        ]
                    }
                    _ = try db.query(
                        "INSERT INTO gonogo_items (run_id, \(History.itemColumns)) VALUES "
                            + rows.joined(separator: ", "), parameters)
                    start += batch.count
                }
                _ = try db.query("COMMIT")
                return runID
            } catch {
                _ = try? db.query("ROLLBACK")
                throw error
            }
        }
    }

    func runs(checklist: String?, limit: Int) throws -> [RunRecord] {
        try connect { db in
            try db.query(
                Self.selectRun + (checklist == nil ? "" : " WHERE checklist = $1")
                    + " ORDER BY id DESC LIMIT \(max(1, limit))", checklist.map { [$0] } ?? []
            ).map(History.record)
        }
    }

    func run(id: Int64) throws -> RunRecord? {
        try connect { db in
            guard var record = try db.query(Self.selectRun + " WHERE id = $1", [String(id)]).first.map(History.record)
            else { return nil }
            record.items = try db.query(
                "SELECT \(History.itemColumns) FROM gonogo_items WHERE run_id = $1 ORDER BY line", [String(id)]
            ).map(History.item)
            return record
        }
    }

    func statuses(of runs: [Int64]) throws -> [(run: Int64, item: String, status: String)] {
        guard !runs.isEmpty else { return [] }
        return try connect { db in
            try db.query(
                "SELECT run_id, item_id, status FROM gonogo_items WHERE run_id IN "
                    + "(\(runs.map(String.init).joined(separator: ", "))) ORDER BY run_id"
            ).map { (Int64($0[0] ?? "") ?? 0, $0[1] ?? "", $0[2] ?? "") }
        }
    }
}
