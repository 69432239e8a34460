import Foundation
import GRDB

extension SQLiteStore {
    /// Copies the live database to `destination` with SQLite's online backup API (readers and writers carry on), then
    /// checks the copy (`PRAGMA quick_check`) and counts its rows per table, so a backup that cannot be read is never
    /// reported as made.
    public func backup(to destination: String) throws -> [(table: String, rows: Int)] {
        if FileManager.default.fileExists(atPath: destination) {
            throw StoreError(description: "\(destination) already exists; a backup never overwrites a file")
        }
        let copy = try DatabaseQueue(path: destination)
        try pool.backup(to: copy)
        // One self-contained file: the copy leaves WAL mode (chat-api turns it back on when it opens a restored copy).
        try copy.writeWithoutTransaction { try $0.execute(sql: "PRAGMA journal_mode = DELETE") }
        try copy.close()
        return try Self.inspect(destination)
    }

    /// The rows per table of the database at `path`, after `PRAGMA quick_check` passes; opened read-only.
    public static func inspect(_ path: String) throws -> [(table: String, rows: Int)] {
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        defer { try? queue.close() }
        return try queue.read { db in
            let check = try String.fetchOne(db, sql: "PRAGMA quick_check") ?? ""
            guard check == "ok" else { throw StoreError(description: "\(path) fails quick_check: \(check)") }
            let tables = try String.fetchAll(
                db,
                sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
            return try tables.map { table in
                (table, try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table.quotedDatabaseIdentifier)") ?? 0)
            }
        }
    }
}
