import Foundation
import GRDB
import TestSupport
import Testing

/// `verify --history` keeps runs (SQLite and PostgreSQL), `gonogo diff` names what regressed and exits 1,
/// `gonogo history` lists runs and the items that flipped.
@Suite("gonogo verify --history, gonogo diff, gonogo history")
struct HistoryTests {
    static let wal = "database-preparation/sqlite-development/wal-mode-enabled"

    /// Two runs of the fixture into `history` (the second with WAL off), each also written to DIR/rN/report.json.
    static func twoRuns(_ dir: URL, history: String) async throws -> (first: Run, second: Run) {
        @Sendable func verify(_ out: String) throws -> Run {
            try gonogo([
                "verify", VerifyFixture.checklist, "--config", dir.path + "/gonogo.yml", "--gate", "ci",
                "--only", "database-preparation/sqlite-development/*", "--env-name", "staging",
                "--history", history, "--out", dir.path + "/" + out,
            ])
        }
        let first = try await Blocking.run { try verify("r1") }
        let queue = try DatabaseQueue(path: dir.path + "/data/messages.db")
        try await queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = DELETE") }
        let second = try await Blocking.run { try verify("r2") }
        return (first, second)
    }

    @Test("SQLite: two runs kept; diff of the runs and of their report.json names the WAL item and exits 1")
    func sqlite() async throws {
        let dir = try await VerifyFixture.make()
        let history = dir.path + "/history.db"
        let (first, second) = try await Self.twoRuns(dir, history: history)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(second.status == 1)
        #expect(first.stderr.contains("kept as run:1 in \(history)") && second.stderr.contains("kept as run:2"))

        let expected = "  \(Self.wal)  pass → fail  (observed journal_mode=wal → journal_mode=delete)\n"
        for (old, new) in [
            ("last~1", "last"), ("run:1", "run:2"), (dir.path + "/r1/report.json", dir.path + "/r2/report.json"),
        ] {
            let diff = try await Blocking.run { try gonogo(["diff", old, new, "--history", history]) }
            #expect(diff.status == 1, "\(old) \(new): \(diff.stderr)")
            #expect(diff.stdout.contains("Regressed (1)\n" + expected), "\(diff.stdout)")
            #expect(diff.stdout.hasSuffix("Verdict: GO → NO-GO (regression)\n"))
        }
        // The other way round: fixed, nothing regressed, exit 0.
        let back = try await Blocking.run { try gonogo(["diff", "run:2", "run:1", "--history", history]) }
        #expect(back.status == 0)
        #expect(back.stdout.contains("Fixed (1)\n  \(Self.wal)  fail → pass"), "\(back.stdout)")

        let list = try await Blocking.run { try gonogo(["history", "--history", history]) }
        #expect(list.status == 0, "\(list.stderr)")
        #expect(
            list.stdout.contains("run:2  ") && list.stdout.contains(" · staging · ") && list.stdout.contains("NO-GO"))
        #expect(list.stdout.contains("1×  \(Self.wal)\n"), "\(list.stdout)")

        // The tables as a dashboard's SQL reads them (docs/history.md).
        let db = try DatabaseQueue(path: history)
        let rows = try db.read { db in
            try Row.fetchAll(
                db, sql: "SELECT environment, verdict, go, n_fail, git_commit FROM gonogo_runs ORDER BY started_at, id")
        }
        #expect(rows.map { $0["verdict"] as String? } == ["GO", "NO-GO"])
        #expect(rows.map { $0["n_fail"] as Int? } == [0, 1])
        #expect(
            rows.allSatisfy { $0["environment"] as String? == "staging" && ($0["git_commit"] as String?)?.count == 40 })
        let status = try await db.read { db in
            try String.fetchAll(
                db,
                sql: "SELECT i.status FROM gonogo_items i JOIN gonogo_runs r ON r.id = i.run_id WHERE i.item_id = ? "
                    + "ORDER BY r.id", arguments: [Self.wal])
        }
        #expect(status == ["pass", "fail"])
    }

    @Test("PostgreSQL: the same two runs kept on the test server; diff exits 1 naming the item")
    func postgres() async throws {
        let url = try await TestPostgres.newDatabase()
        let dir = try await VerifyFixture.make()
        let (first, second) = try await Self.twoRuns(dir, history: url)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(second.status == 1, "\(second.stderr)")
        let diff = try await Blocking.run { try gonogo(["diff", "last~1", "last", "--history", url]) }
        #expect(diff.status == 1, "\(diff.stderr)")
        #expect(diff.stdout.contains("Regressed (1)\n  \(Self.wal)  pass → fail"), "\(diff.stdout)")
        let list = try await Blocking.run { try gonogo(["history", "--history", url]) }
        #expect(list.stdout.contains("1×  \(Self.wal)"), "\(list.stdout) \(list.stderr)")
        let count = try await Blocking.run { try TestPostgres.psql(url, "SELECT count(*) FROM gonogo_runs WHERE go") }
        #expect(count.trimmingCharacters(in: .whitespacesAndNewlines) == "1")
    }

    @Test("bad input exits 2 naming it: a missing report, a run not in the history, a URL that is neither")
    func badInput() async throws {
        let dir = try Executables.temporaryDirectory("history")
        let history = dir.path + "/h.db"
        let missing = try await Blocking.run {
            try gonogo(["diff", dir.path + "/none.json", "last", "--history", history])
        }
        #expect(missing.status == 2 && missing.stderr.contains("none.json: cannot read it"), "\(missing.stderr)")
        // A history path that does not exist is an error, and reading never makes one.
        let typo = try await Blocking.run { try gonogo(["diff", "last~1", "last", "--history", history]) }
        #expect(typo.status == 2 && typo.stderr.contains("h.db: no such history"), "\(typo.stderr)")
        let listed = try await Blocking.run { try gonogo(["history", "--history", history]) }
        #expect(listed.status == 2 && !FileManager.default.fileExists(atPath: history), "\(listed.stderr)")
        // Reading a history never makes one: no default file in the working directory is an error.
        let none = try await Blocking.run {
            try Executables.run(path: Executables.path("gonogo"), ["diff", "last~1", "last"], directory: dir.path)
        }
        #expect(none.status == 2 && none.stderr.contains("no gonogo-history.db here"), "\(none.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/gonogo-history.db"))
        let odd = try await Blocking.run { try gonogo(["history", "--history", "redis://u:secretpw@h/0"]) }
        #expect(odd.status == 2 && !odd.stderr.contains("secretpw"), "\(odd.stderr)")
    }
}
