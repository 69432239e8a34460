import Foundation
import GRDB
import TestSupport
import Testing

/// `gonogo verify CHECKLIST --root DIR` with no config: the checklist's own facts ("Database file: `data/messages.db`",
/// "`.env.production` created", "Frontend `.env` updated:") are the targets of the items they govern.
@Suite("gonogo verify: the checklist's own facts as targets")
struct ChecklistTargetsTests {
    /// The fixture without its config, and a SQLite deployment's env file (chat-api's DATABASE_URL).
    static func fixture() async throws -> URL {
        let dir = try await VerifyFixture.make()
        try FileManager.default.removeItem(at: dir.appendingPathComponent("gonogo.yml"))
        let env = VerifyFixture.env.replacingOccurrences(
            of: "DATABASE_URL=\"postgresql://chat:\(VerifyFixture.canaries[1])@db.internal:5432/chat\"",
            with: "DATABASE_URL=sqlite:data/messages.db")
        try Data(env.utf8).write(to: dir.appendingPathComponent(".env.production"))
        return dir
    }

    static func local(_ report: Report, _ families: [String]) -> [[String: Any]] {
        report.items.filter { item in
            families.contains { (item["kind"] as? String ?? "").hasPrefix($0 + ".") }
                && item["status"] as? String != "skip"
        }
    }

    @Test(
        "no config: every SQLite and env item gets a verdict from the files the checklist names; the report says where")
    func noConfig() async throws {
        let dir = try await Self.fixture()
        let args = [
            "verify", VerifyFixture.checklist, "--root", dir.path, "--gate", "ci", "--format", "json",
        ]
        let report = await Report(try gonogo(args))
        #expect(report.json["schema"] as? String == "gonogo.report/v1", "\(report.run.stderr)")
        let items = Self.local(report, ["sqlite", "env"])
        #expect(items.count >= 19)
        for item in items {
            #expect(item["status"] as? String == "pass", "\(item["id"] ?? ""): \(item["message"] ?? "")")
            // Each reads a target the checklist gave; the database file item names its own path.
            let targets = item["targets"] as? [String: String] ?? [:]
            #expect(!targets.isEmpty || item["kind"] as? String == "sqlite.database", "\(item["id"] ?? "")")
        }
        // Where each target came from, in the report: the database file's line, the env file's line.
        let targets = report.json["targets"] as? [[String: Any]] ?? []
        let named = targets.map { "\($0["name"] ?? "")=\($0["value"] ?? "") from \($0["source"] ?? "")" }
        #expect(named.contains("sqlite=data/messages.db from the checklist, line 42"), "\(named)")
        #expect(named.contains("env_file=.env.production from the checklist, line 71"), "\(named)")
        // The frontend's variable is read from the file its parent item names.
        let frontend = report.items.first { $0["text"] as? String == "NEXT_PUBLIC_API_URL = https://api.example.com" }
        #expect((frontend?["targets"] as? [String: String])?["env_file"] == "the checklist, line 143")
        #expect((frontend?["params"] as? [String: Any])?["env_file"] as? String == ".env")
        // No secret of the env file in the report.
        for canary in VerifyFixture.canaries { #expect(!report.run.stdout.contains(canary)) }

        // WAL off fails exactly that item among the SQLite and env items; a dropped index fails exactly its item.
        let queue = try DatabaseQueue(path: dir.path + "/data/messages.db")
        try await queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = DELETE") }
        let noWAL = await Self.local(Report(try gonogo(args)), ["sqlite", "env"])
        #expect(
            noWAL.filter { $0["status"] as? String != "pass" }.map { $0["id"] as? String ?? "" } == [
                "database-preparation/sqlite-development/wal-mode-enabled"
            ])
        try await queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = WAL") }
        try await queue.write { db in try db.execute(sql: "DROP INDEX idx_chat_sessions_user_id") }
        let noIndex = await Self.local(Report(try gonogo(args)), ["sqlite", "env"])
        #expect(
            noIndex.filter { $0["status"] as? String != "pass" }.map { $0["text"] as? String ?? "" } == [
                "idx_chat_sessions_user_id"
            ])
    }

    @Test("a flag or the config wins over the checklist's facts; a missing env file fails its items, saying so")
    func precedence() async throws {
        let dir = try await Self.fixture()
        let other = dir.appendingPathComponent("other.env")
        try Data("LLM_API_KEY=\(VerifyFixture.canaries[0])\n".utf8).write(to: other)
        let flagged = await Report(
            try gonogo([
                "verify", VerifyFixture.checklist, "--root", dir.path, "--env-file", other.path, "--gate", "ci",
                "--format", "json", "--only", "secrets-configuration/environment-variables/*",
            ]))
        // --env-file names the file: no item takes the checklist's, and LLM_MODEL (only in .env.production) fails.
        let model = flagged.items.first { $0["text"] as? String == "LLM_MODEL specified (e.g., \"gpt-4\")" }
        #expect(model?["status"] as? String == "fail", "\(model ?? [:])")
        #expect(model?["targets"] == nil)
        #expect((flagged.json["targets"] as? [Any])?.isEmpty == true)

        try FileManager.default.removeItem(at: dir.appendingPathComponent(".env.production"))
        let missing = await Report(
            try gonogo([
                "verify", VerifyFixture.checklist, "--root", dir.path, "--gate", "ci", "--format", "json", "--only",
                "secrets-configuration/environment-variables/*",
            ]))
        let key = missing.items.first { $0["text"] as? String == "LLM_API_KEY set" }
        #expect(key?["status"] as? String == "error")
        #expect((key?["message"] as? String)?.contains(".env.production does not exist under") == true, "\(key ?? [:])")
    }

    @Test("gonogo init writes what it found; verify with that config: no item errors for a target init discovered")
    func initThenVerify() async throws {
        let dir = try await Self.fixture()
        try Data("<coverage line-rate=\"0.9\" lines-covered=\"9\">\n</coverage>\n".utf8)
            .write(to: dir.appendingPathComponent("reports/coverage.xml"))
        let config = dir.appendingPathComponent("gonogo.yml")
        let made = try await gonogo(["init", VerifyFixture.checklist, "--root", dir.path, "--out", config.path])
        #expect(made.status == 0, "\(made.stderr)")
        let text = try String(contentsOf: config, encoding: .utf8)
        #expect(text.contains("junit: [\"reports/junit/backend.xml\", \"reports/junit/frontend.xml\"]"), "\(text)")
        #expect(text.contains("coverage: [\"reports/coverage.xml\"]"))
        #expect(text.contains("lighthouse: [\"reports/lighthouse.json\"]"))
        #expect(text.contains("nginx: [\"deploy/nginx/chat.conf\"]"))
        #expect(text.contains("docs: [\"docs/**/*.md\", \"README.md\"]"))
        #expect(text.contains("# env file: .env.production, as the checklist says (line 71)"))
        // What is missing is a commented key naming the items that need it; no secret is written.
        #expect(text.contains("# database_url: ${DATABASE_URL}   # 9 items:"), "\(text)")
        for canary in VerifyFixture.canaries { #expect(!text.contains(canary)) }
        // Never overwritten without --force.
        #expect(
            try await gonogo(["init", VerifyFixture.checklist, "--root", dir.path, "--out", config.path]).status == 1)

        let report = await Report(
            try gonogo(["verify", VerifyFixture.checklist, "--config", config.path, "--gate", "ci", "--format", "json"])
        )
        let errors = report.items.filter { $0["status"] as? String == "error" && $0["kind"] as? String != "group" }
        let discovered = ["sqlite.", "env.", "file.", "git.", "artifact."]
        for item in errors {
            let kind = item["kind"] as? String ?? ""
            #expect(!discovered.contains { kind.hasPrefix($0) }, "\(item["id"] ?? ""): \(item["message"] ?? "")")
        }
        // The rest errs for what init could not find (an API, PostgreSQL), and says so.
        #expect(errors.allSatisfy { ($0["message"] as? String ?? "").isEmpty == false })
    }
}
