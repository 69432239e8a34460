import CPostgres
import Catalog
import Foundation
import Results

/// One libpq connection, closed when released. Blocking: use it on a Dispatch thread.
public final class PGConnection {
    private let conn: OpaquePointer

    public init(_ conninfo: String) throws {
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
    public func query(_ sql: String, _ parameters: [String] = []) throws -> [[String?]] {
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
    public static func bounded(_ url: String, connectTimeout: Int, statementTimeoutMs: Int) -> String {
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
