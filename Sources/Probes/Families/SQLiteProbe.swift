import Catalog
import Foundation
import GRDB
import Results

/// `sqlite.*`: the database file, opened read-only (GRDB), never written: not even a WAL checkpoint.
struct SQLiteProbe: Probe {
    /// The kinds this probe runs: exactly its family's in `Kind.registry` (`ProbeTableTests`).
    let kinds = ["database", "tables", "index", "journal_mode", "rows", "migrations", "integrity"].map {
        Kind(.sqlite, $0)
    }

    func run(_ item: PlannedItem, in context: ProbeContext) async -> Outcome {
        guard let configured = item.params.string("path") ?? context.settings.sqlite else {
            return .error("no SQLite database given: pass --sqlite PATH or set `sqlite:` in gonogo.yml")
        }
        let path = context.settings.resolve(configured)
        let params = item.params
        let kind = item.kind.name ?? ""
        do {
            return try await Blocking.run { try Self.check(kind, params, path: path, shown: configured) }
        } catch let error as DatabaseError {
            return .error("\(configured): SQLite: \(error.message ?? "error \(error.resultCode)")")
        } catch {
            return .error("\(configured): \(error)")
        }
    }

    static func check(_ kind: String, _ params: Params, path: String, shown: String) throws -> Outcome {
        guard FileManager.default.fileExists(atPath: path) else {
            return .fail("\(shown) does not exist", expected: "a SQLite database at \(shown)", observed: "no such file")
        }
        // The header says whether it is SQLite at all, before anything opens it.
        let header = FileHandle(forReadingAtPath: path).flatMap { try? $0.read(upToCount: 100) } ?? Data()
        guard header.count >= 16, header.prefix(16) == Data("SQLite format 3\0".utf8) else {
            return .fail(
                "\(shown) is not a SQLite database", expected: "SQLite format 3",
                observed: header.isEmpty ? "an empty file" : "another kind of file")
        }
        if kind == "database" {
            return .pass("\(shown) is a SQLite database", expected: "SQLite format 3", observed: "SQLite format 3")
        }
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(5)
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        return try queue.read { db in
            switch kind {
            case "journal_mode":
                let wanted = (params.string("mode") ?? "wal").lowercased()
                let mode = try String.fetchOne(db, sql: "PRAGMA journal_mode")?.lowercased() ?? "unknown"
                return .check(
                    mode == wanted, expected: "journal_mode=\(wanted)", observed: "journal_mode=\(mode)",
                    pass: "\(shown) is in \(wanted.uppercased()) mode",
                    fail: "\(shown) is not in \(wanted.uppercased()) mode: run PRAGMA journal_mode=\(wanted) on it")
            case "tables":
                let existing = Set(try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'"))
                let wanted: [String]
                if case .list(let list) = params["tables"] {
                    wanted = list
                } else {
                    wanted = params.string("tables").map { [$0] } ?? []
                }
                let missing = wanted.filter { !existing.contains($0) }
                if wanted.isEmpty {
                    let own = existing.filter { !$0.hasPrefix("sqlite_") }.sorted()
                    return .check(
                        !own.isEmpty, expected: "tables",
                        observed: own.isEmpty ? "no tables" : own.joined(separator: ", "),
                        pass: "\(own.count) tables", fail: "\(shown) has no tables: run the migrations")
                }
                return .check(
                    missing.isEmpty, expected: wanted.joined(separator: ", "),
                    observed: missing.isEmpty ? "all present" : "missing: \(missing.joined(separator: ", "))",
                    pass: "every table exists",
                    fail: "missing table\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", ")) in \(shown)"
                )
            case "index":
                let indexes = try Row.fetchAll(
                    db,
                    sql:
                        "SELECT name, tbl_name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%' ORDER BY name"
                )
                let names = indexes.map { $0["name"] as String }
                guard let name = params.string("name") else {
                    return .check(
                        !names.isEmpty, expected: "indexes",
                        observed: names.isEmpty ? "no indexes" : names.joined(separator: ", "),
                        pass: "\(names.count) indexes", fail: "\(shown) has no indexes of its own")
                }
                guard names.contains(name) else {
                    return .fail(
                        "index \(name) is missing from \(shown)", expected: "index \(name)",
                        observed: names.isEmpty ? "no indexes" : "indexes: \(names.joined(separator: ", "))")
                }
                if case .list(let wantedColumns) = params["columns"] {
                    let columns = try String.fetchAll(
                        db, sql: "SELECT name FROM pragma_index_info(?) ORDER BY seqno", arguments: [name])
                    return .check(
                        columns == wantedColumns,
                        expected: "index \(name) on (\(wantedColumns.joined(separator: ", ")))",
                        observed: "on (\(columns.joined(separator: ", ")))", pass: "index \(name) exists",
                        fail:
                            "index \(name) is on (\(columns.joined(separator: ", "))), not (\(wantedColumns.joined(separator: ", ")))"
                    )
                }
                return .pass("index \(name) exists", expected: "index \(name)", observed: "index \(name)")
            case "rows":
                let minimum = params.int("min") ?? 1
                let tables: [String]
                if let table = params.string("table") {
                    tables = [table]
                } else {
                    tables = try String.fetchAll(
                        db,
                        sql:
                            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations'"
                    )
                }
                var total = 0
                for table in tables {
                    total += try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table.quotedDatabaseIdentifier)") ?? 0
                }
                let label = params.string("table") ?? "all tables"
                return .check(
                    total >= minimum, expected: "at least \(minimum) row\(minimum == 1 ? "" : "s") in \(label)",
                    observed: "\(total) rows", pass: "\(total) rows in \(label)", fail: "\(label) holds \(total) rows")
            case "migrations":
                let table = params.string("table") ?? "schema_migrations"
                guard try db.tableExists(table) else {
                    return .fail(
                        "\(shown) has no \(table) table: the migrations never ran", expected: "\(table) with rows",
                        observed: "no \(table)")
                }
                let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table.quotedDatabaseIdentifier)") ?? 0
                return .check(
                    count > 0, expected: "migrations applied",
                    observed: "\(count) migration\(count == 1 ? "" : "s") recorded",
                    pass: "\(count) migrations applied", fail: "\(table) is empty: no migration recorded")
            case "integrity":
                let result = try String.fetchAll(db, sql: "PRAGMA quick_check")
                return .check(
                    result == ["ok"], expected: "quick_check ok", observed: result.prefix(3).joined(separator: "; "),
                    pass: "quick_check ok", fail: "\(shown) is damaged: \(result.first ?? "")")
            default:
                return .unsupported(Kind(.sqlite, kind))
            }
        }
    }
}
