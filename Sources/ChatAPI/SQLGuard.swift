import Foundation
import GRDBSQLite

/// Runs admin SQL on SQLite with defence in depth, using SQLite's own enforcement rather than text matching alone:
///
/// 1. its own connection, opened read-only (`SQLITE_OPEN_READONLY`): no write can succeed whatever the SQL says;
/// 2. exactly one statement: anything after the first, even behind a comment, is refused;
/// 3. an authorizer (`sqlite3_set_authorizer`) that allows only SELECT and reads of `chat_sessions` and
///    `chat_messages` (and the functions of an ordinary query); PRAGMA, ATTACH, writes, other tables and
///    `load_extension` are denied while the statement is prepared, so nothing runs;
/// 4. `sqlite3_stmt_readonly` as a last check;
/// 5. a progress handler that interrupts a query running past its time limit, and a row limit;
/// 6. SQLite's own size limits (`sqlite3_limit`): no string or blob, and so no single function call
///    (`printf('%.*c', 999999999, 'x')`, `randomblob(…)`), can grow past ``maxValueBytes``, and the answer stops at
///    ``maxAnswerBytes`` (truncated, as with the row limit): one admin request cannot take the service's memory.
public struct SQLiteGuard: AdminSQLGuard {
    public typealias Refused = SQLRefused

    public struct Result: Sendable {
        public let columns: [String]
        public let rows: [[String?]]
        public let truncated: Bool
    }

    public static let allowedTables: Set<String> = ["chat_sessions", "chat_messages"]

    let path: String
    let maxRows: Int
    let timeLimit: Duration
    /// The longest string or blob a query may make (SQLITE_LIMIT_LENGTH).
    public static let maxValueBytes: Int32 = 1_000_000
    /// The most bytes of values an answer carries.
    public static let maxAnswerBytes = 4_000_000

    public init(path: String, maxRows: Int = 1000, timeLimit: Duration = .seconds(2)) {
        self.path = path
        self.maxRows = maxRows
        self.timeLimit = timeLimit
    }

    public func answer(_ sql: String) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            // Blocking SQLite work runs on a dispatch queue, off Swift's cooperative thread pool.
            DispatchQueue.global().async { continuation.resume(with: Swift.Result { try run(sql) }) }
        }
    }

    public func run(_ sql: String) throws -> Result {
        // SQLite reads a C string: a NUL would end the statement there and silently drop what follows.
        guard !sql.utf8.contains(0) else { throw Refused(description: "the SQL contains a NUL byte") }
        var db: OpaquePointer?
        guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nil) == SQLITE_OK, let db else {
            sqlite3_close(db)
            throw Refused(description: "the database cannot be opened read-only")
        }
        defer { sqlite3_close(db) }
        sqlite3_busy_timeout(db, 2000)
        sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0)
        sqlite3_limit(db, SQLITE_LIMIT_LENGTH, Self.maxValueBytes)
        sqlite3_limit(db, SQLITE_LIMIT_SQL_LENGTH, 100_000)
        // Extension loading stays off: it is off by default on a new connection, and `load_extension` is denied below.

        let denial = DenialLog()
        denial.schemaTables = Self.schemaTables(db)
        let box = Unmanaged.passRetained(denial)
        defer { box.release() }
        sqlite3_set_authorizer(db, guardAuthorizer, box.toOpaque())

        let deadline = Deadline(end: ContinuousClock.now.advanced(by: timeLimit))
        let deadlineBox = Unmanaged.passRetained(deadline)
        defer { deadlineBox.release() }
        sqlite3_progress_handler(db, 10_000, guardProgress, deadlineBox.toOpaque())

        var statement: OpaquePointer?
        var tail: UnsafePointer<CChar>?
        let prepared = sql.withCString { sqlite3_prepare_v2(db, $0, -1, &statement, &tail) }
        defer { sqlite3_finalize(statement) }
        guard prepared == SQLITE_OK, let statement else {
            if let reason = denial.reason { throw Refused(description: reason) }
            throw Refused(description: "the SQL does not compile: \(String(cString: sqlite3_errmsg(db)))")
        }
        if let tail, !Self.isBlank(String(cString: tail)) {
            throw Refused(description: "only one statement is allowed")
        }
        guard sqlite3_stmt_readonly(statement) != 0 else { throw Refused(description: "only reads are allowed") }

        let count = Int(sqlite3_column_count(statement))
        let columns = (0..<count).map { String(cString: sqlite3_column_name(statement, Int32($0))) }
        var rows: [[String?]] = []
        var truncated = false
        var bytes = 0
        while true {
            let step = sqlite3_step(statement)
            if step == SQLITE_DONE { break }
            if step == SQLITE_INTERRUPT { throw Refused(description: "the query ran past its time limit") }
            if step == SQLITE_TOOBIG {
                throw Refused(description: "the query makes a value larger than \(Self.maxValueBytes) bytes")
            }
            guard step == SQLITE_ROW else {
                throw Refused(description: "the query failed: \(String(cString: sqlite3_errmsg(db)))")
            }
            if rows.count == maxRows || bytes > Self.maxAnswerBytes {
                truncated = true
                break
            }
            rows.append(
                (0..<count).map { i in
                    guard sqlite3_column_type(statement, Int32(i)) != SQLITE_NULL else { return nil }
                    let text = String(cString: sqlite3_column_text(statement, Int32(i)))
                    bytes += Int(sqlite3_column_bytes(statement, Int32(i)))
                    return text
                })
        }
        return Result(columns: columns, rows: rows, truncated: truncated)
    }

    /// Every table and view name of the database, lower-cased (read before any authorizer is set).
    static func schemaTables(_ db: OpaquePointer) -> Set<String> {
        var statement: OpaquePointer?
        guard
            sqlite3_prepare_v2(
                db, "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')", -1, &statement, nil)
                == SQLITE_OK, let statement
        else { return [] }
        defer { sqlite3_finalize(statement) }
        var names: Set<String> = []
        while sqlite3_step(statement) == SQLITE_ROW {
            if let name = sqlite3_column_text(statement, 0) { names.insert(String(cString: name).lowercased()) }
        }
        return names
    }

    /// Only whitespace and comments.
    static func isBlank(_ rest: String) -> Bool {
        var s = Substring(rest)
        while true {
            s = s.drop { $0.isWhitespace || $0 == ";" }
            if s.hasPrefix("--") {
                s = s.drop { $0 != "\n" }
            } else if s.hasPrefix("/*") {
                guard let end = s.range(of: "*/") else { return false }
                s = s[end.upperBound...]
            } else {
                return s.isEmpty
            }
        }
    }
}

/// The first reason the authorizer denied something (set from SQLite's callback, read after prepare returns on
/// the same thread).
final class DenialLog: @unchecked Sendable {
    var reason: String?
    /// The database's own tables (lower-cased), read before the authorizer is set: a name outside them is a common
    /// table expression of the query (`WITH c(x) AS (…) SELECT count(*) FROM c`), which holds only what it reads.
    var schemaTables: Set<String> = []
}

/// When the query must stop; read by the progress handler on the querying thread.
final class Deadline: @unchecked Sendable {
    let end: ContinuousClock.Instant
    init(end: ContinuousClock.Instant) { self.end = end }
}

private func guardProgress(_ context: UnsafeMutableRawPointer?) -> Int32 {
    guard let context else { return 1 }
    let deadline = Unmanaged<Deadline>.fromOpaque(context).takeUnretainedValue()
    return ContinuousClock.now >= deadline.end ? 1 : 0
}

private func guardAuthorizer(
    _ context: UnsafeMutableRawPointer?, _ action: Int32, _ a: UnsafePointer<CChar>?, _ b: UnsafePointer<CChar>?,
    _ database: UnsafePointer<CChar>?, _ trigger: UnsafePointer<CChar>?
) -> Int32 {
    let log = context.map { Unmanaged<DenialLog>.fromOpaque($0).takeUnretainedValue() }
    func deny(_ why: String) -> Int32 {
        if log?.reason == nil { log?.reason = why }
        return SQLITE_DENY
    }
    let first = a.map { String(cString: $0) } ?? ""
    switch action {
    case SQLITE_SELECT:
        return SQLITE_OK
    case SQLITE_READ:
        if SQLiteGuard.allowedTables.contains(first.lowercased()) { return SQLITE_OK }
        if let log, !log.schemaTables.isEmpty, !log.schemaTables.contains(first.lowercased()),
            !first.lowercased().hasPrefix("sqlite_")
        {
            return SQLITE_OK
        }
        // Everything else, the schema tables included, is out of bounds.
        return deny("only chat_sessions and chat_messages may be read (not \(first))")
    case SQLITE_FUNCTION:
        let name = (b.map { String(cString: $0) } ?? "").lowercased()
        if ["load_extension", "readfile", "writefile", "edit", "fts3_tokenizer"].contains(name) {
            return deny("the function \(name) is not allowed")
        }
        // printf's width and precision loop inside one call (`printf('%.*c', 999999999, 'x')` spins for seconds past
        // the length limit, where no progress handler runs): no question about chat history needs them.
        if ["printf", "format"].contains(name) {
            return deny("the function \(name) is not allowed (one call can run unbounded)")
        }
        return SQLITE_OK
    case SQLITE_RECURSIVE:
        return SQLITE_OK
    case SQLITE_PRAGMA:
        return deny("PRAGMA is not allowed")
    case SQLITE_ATTACH, SQLITE_DETACH:
        return deny("ATTACH and DETACH are not allowed")
    default:
        return deny("only SELECT statements are allowed")
    }
}
