import Catalog
import Checklist
import Foundation
import Probes
import Testing

@testable import Verify

/// Which file the checklist's own facts make each item read (`ChecklistTargets`), on small checklists.
@Suite("The checklist's own facts: which items they govern")
struct ChecklistTargetsUnitTests {
    static func resolve(
        _ markdown: String, _ options: VerifyOptions = VerifyOptions()
    ) throws -> ChecklistTargets.Resolved {
        ProbeTable.bootstrap()
        let plan = try Planner.plan(try ChecklistParser.parse(markdown, path: "c.md"))
        return try ChecklistTargets.resolve(plan, options: options)
    }

    static func envFile(_ r: ChecklistTargets.Resolved, _ text: String) -> String? {
        r.plan.items.first { $0.item.text == text }?.params.string("env_file")
    }

    @Test("SQLite URLs: chat-api's, SQLAlchemy's relative and absolute forms, drivers; memory is none")
    func sqliteURLs() {
        #expect(ChecklistTargets.sqlitePath("sqlite:data/app.db") == "data/app.db")
        #expect(ChecklistTargets.sqlitePath("sqlite:/srv/app.db") == "/srv/app.db")
        #expect(ChecklistTargets.sqlitePath("sqlite:///./data/app.db") == "data/app.db")
        #expect(ChecklistTargets.sqlitePath("sqlite:///data/app.db") == "data/app.db")
        #expect(ChecklistTargets.sqlitePath("sqlite:////srv/app.db") == "/srv/app.db")
        #expect(ChecklistTargets.sqlitePath("sqlite+aiosqlite:///app.db?cache=shared") == "app.db")
        #expect(ChecklistTargets.sqlitePath("sqlite://:memory:") == nil)
        #expect(ChecklistTargets.sqlitePath("postgresql://h/db") == nil)
    }

    @Test("a template env file is never a target; a real one is")
    func templates() throws {
        for name in [".env.example", ".env.sample", ".env.template", "example.env", ".env.dist"] {
            #expect(!ChecklistTargets.isEnvFile(name), "\(name)")
        }
        for name in [".env", ".env.production", "deploy/.env.local", "prod.env"] {
            #expect(ChecklistTargets.isEnvFile(name), "\(name)")
        }
        let r = try Self.resolve(
            """
            # App
            ## Config
            - [ ] `.env.example` present and up to date
            - [ ] `SECRET_KEY` set
            """)
        #expect(Self.envFile(r, "SECRET_KEY set") == nil)
    }

    @Test("a heading about keeping env files out of git names no target; one naming its file governs its section only")
    func headings() throws {
        let r = try Self.resolve(
            """
            # App
            ## Never commit .env files
            - [ ] `.gitignore` lists `.env`
            ## Frontend (.env.staging)
            - [ ] `NEXT_PUBLIC_API_URL` set
            ## Backend
            - [ ] `SECRET_KEY` set
            """)
        #expect(Self.envFile(r, "NEXT_PUBLIC_API_URL set") == ".env.staging")
        #expect(Self.envFile(r, "SECRET_KEY set") == nil)
    }

    @Test("two files stated in one section: each item reads the one stated last before it")
    func twoInOneSection() throws {
        let r = try Self.resolve(
            """
            # App
            ## Environment
            - [ ] Backend `.env.production` created
            - [ ] `SECRET_KEY` set
            - [ ] Frontend `.env.local` created
            - [ ] `NEXT_PUBLIC_API_URL` set
            """)
        #expect(Self.envFile(r, "SECRET_KEY set") == ".env.production")
        #expect(Self.envFile(r, "NEXT_PUBLIC_API_URL set") == ".env.local")
    }

    @Test("a flag or the config wins; not-applicable and unselected items get no target")
    func precedence() throws {
        let markdown = """
            # App
            ## Data
            - [ ] Database file: `data/app.db`
            - [ ] WAL mode enabled
            - [ ] Integrity check passes
            """
        var configured = VerifyOptions()
        configured.sqlite = "/srv/other.db"
        let flagged = try Self.resolve(markdown, configured)
        #expect(flagged.plan.items.allSatisfy { $0.targetSources.isEmpty })
        #expect(flagged.notes.isEmpty)

        var selected = VerifyOptions()
        selected.only = ["data/wal-mode-enabled"]
        let only = try Self.resolve(markdown, selected)
        #expect(only.notes.map(\.items) == [1])
        #expect(only.plan.items.first { $0.id == "data/integrity-check-passes" }?.params["path"] == nil)
    }
}
