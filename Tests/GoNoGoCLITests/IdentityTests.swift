import Foundation
import Reports
import Results
import TestSupport
import Testing

/// Every report names what it verified (`target` in report.json; "Deployment:" for people), so that a dashboard tells
/// staging from production and one release from the last.
@Suite("gonogo verify: the report names its target")
struct IdentityTests {
    @Test("environment, URLs and databases without their secrets, the root's commit and tag, and uncommitted changes")
    func target() async throws {
        let dir = try await VerifyFixture.make()
        let secret = "canary-identity-3f9a"
        let arguments = [
            "verify", VerifyFixture.checklist, "--config", dir.path + "/gonogo.yml", "--gate", "ci",
            "--only", "database-preparation/sqlite-development/*", "--env-name", "staging",
            "--api-url", "https://probe:\(secret)@127.0.0.1:9/base?token=\(secret)",
            "--database-url", "postgresql://chat:\(secret)@127.0.0.1:9/chat?sslmode=disable",
        ]
        let head = try await Executables.run(path: "/usr/bin/git", ["rev-parse", "HEAD"], directory: dir.path)
        let commit = head.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try #require(commit.count == 40, "\(head.stderr)")

        let report = await Report(try gonogo(arguments + ["--format", "json"]))
        let target = try #require(report.json["target"] as? [String: Any], "\(report.run.stderr)")
        #expect(target["environment"] as? String == "staging")
        #expect(target["urls"] as? [String: String] == ["api_url": "https://127.0.0.1:9/base"])
        let databases = (target["databases"] as? [[String: String]]) ?? []
        #expect(
            databases == [
                ["kind": "sqlite", "location": "data/messages.db"],
                ["kind": "postgresql", "location": "127.0.0.1:9/chat"],
            ])
        let git = try #require(target["git"] as? [String: Any])
        #expect(git["commit"] as? String == commit)
        #expect(git["tag"] as? String == "v1.0.0-s5")
        #expect(git["dirty"] as? Bool == false)
        #expect(!report.run.stdout.contains(secret) && !report.run.stderr.contains(secret))

        // A tracked file changed: the report says so, in the text a person reads too.
        try Data("# Chat, edited\n".utf8).write(to: dir.appendingPathComponent("README.md"))
        let text = try await gonogo(arguments)
        #expect(
            text.stdout.contains(
                "Deployment: staging · https://127.0.0.1:9/base · sqlite data/messages.db · postgresql 127.0.0.1:9/chat"
                    + " · commit \(commit.prefix(12)) (v1.0.0-s5) with uncommitted changes"),
            "\(text.stdout.prefix(1500))")
        #expect(!text.stdout.contains(secret))
    }

    @Test("a database or URL that is not one plain URL shows no password: libpq key=value, several hosts, a query")
    func oddURLs() throws {
        let kv = "host=db.internal port=5432 user=app password=hunter2-canary dbname=chat"
        #expect(RunIdentity.postgresLocation(kv) == "db.internal:5432/chat")
        let hosts = "postgresql://app:pw-canary@db1:5432,db2:5432/chat?sslmode=require&password=q-canary"
        #expect(!RunIdentity.postgresLocation(hosts).contains("canary"), "\(RunIdentity.postgresLocation(hosts))")
        #expect(!RunIdentity.shown(hosts).contains("canary"))
    }

    @Test("one checklist is one Prometheus label and one Pushgateway group, however its path is typed")
    func checklistLabel() {
        #expect(ReportPrometheus.checklistLabel("./checklists/r.md") == "checklists/r.md")
        #expect(ReportPrometheus.checklistLabel("checklists/x/../r.md") == "checklists/r.md")
        #expect(ReportPrometheus.checklistLabel("checklists//r.md") == "checklists/r.md")
        #expect(ReportPrometheus.checklistLabel("/srv/app/./r.md") == "/srv/app/r.md")
        #expect(ReportPrometheus.checklistLabel("../shared/r.md") == "../shared/r.md")
    }

    @Test("the config's environment: names it; --env-name wins; a root that is no git work tree has no git entry")
    func configAndNoGit() async throws {
        let dir = try await VerifyFixture.make()
        try FileManager.default.removeItem(at: dir.appendingPathComponent(".git"))
        let config = try String(contentsOf: dir.appendingPathComponent("gonogo.yml"), encoding: .utf8)
        try Data((config + "environment: production-eu\n").utf8).write(to: dir.appendingPathComponent("gonogo.yml"))
        let base = [
            "verify", VerifyFixture.checklist, "--config", dir.path + "/gonogo.yml", "--gate", "ci",
            "--only", "database-preparation/sqlite-development/*", "--format", "json",
        ]
        let fromConfig = try #require(Report(try await gonogo(base)).json["target"] as? [String: Any])
        #expect(fromConfig["environment"] as? String == "production-eu")
        #expect(fromConfig["git"] == nil)
        let fromFlag = try #require(
            Report(try await gonogo(base + ["--env-name", "canary"])).json["target"] as? [String: Any])
        #expect(fromFlag["environment"] as? String == "canary")
    }
}
