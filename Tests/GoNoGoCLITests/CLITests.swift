import Foundation
import TestSupport
import Testing

/// Runs the built `gonogo` binary in the repository root.
func gonogo(_ arguments: [String], environment: [String: String] = [:]) throws -> Run {
    try Executables.run("gonogo", arguments, environment: environment)
}

/// Runs the built `gonogo` binary in the repository root, waiting on a thread of its own (see `Executables.run`).
func gonogo(_ arguments: [String], environment: [String: String] = [:]) async throws -> Run {
    try await Executables.run("gonogo", arguments, environment: environment)
}

func temporaryDirectory() throws -> URL { try Executables.temporaryDirectory("gonogo-cli") }

@Suite("gonogo plan, end to end")
struct PlanCLITests {
    @Test("--format json lists all 194 items in file order with unique ids")
    func json() async throws {
        let run = try await gonogo(["plan", "checklists/sprint5-production.md", "--format", "json"])
        #expect(run.status == 0)
        #expect(run.stderr.isEmpty)
        let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as! [String: Any]
        #expect(object["schema"] as? String == "gonogo.plan/v1")
        let items = object["items"] as! [[String: Any]]
        #expect(items.count == 194)
        let lines = items.map { $0["line"] as! Int }
        #expect(lines == lines.sorted())
        #expect(Set(items.map { $0["id"] as! String }).count == 194)
        #expect(object["roles"] as? [String] == ["Developer", "QA Lead", "DevOps Lead", "Product Manager"])
        let wal = items.first { $0["id"] as? String == "database-preparation/sqlite-development/wal-mode-enabled" }
        #expect(wal?["kind"] as? String == "sqlite.journal_mode")
        #expect(wal?["line"] as? Int == 48)
        #expect(wal?["section"] as? [String] == ["Database Preparation", "SQLite (Development)"])
        #expect((wal?["params"] as? [String: Any])?["mode"] as? String == "wal")
        let child = items.first { ($0["text"] as? String) == "idx_chat_sessions_user_id" }
        #expect(child?["parent"] as? String == "database-preparation/sqlite-development/indexes-created")
        let checklist = object["checklist"] as! [String: Any]
        #expect((checklist["sha256"] as? String)?.count == 64)
    }

    @Test("the same checklist plans to the same bytes twice (stable ids and order)")
    func deterministic() async throws {
        let a = try await gonogo(["plan", "checklists/sprint5-production.md", "--format", "json"])
        let b = try await gonogo(["plan", "checklists/sprint5-production.md", "--format", "json"])
        #expect(a.stdout == b.stdout)
    }

    @Test("text output is a table by section with counts per family and the automated share")
    func text() async throws {
        let run = try await gonogo(["plan", "checklists/sprint5-production.md"], environment: ["NO_COLOR": "1"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("Database Preparation › SQLite (Development)"))
        #expect(run.stdout.contains("sqlite.journal_mode"))
        #expect(run.stdout.contains("of 194 items run automatically"))
        #expect(run.stdout.contains("Sign-off roles: Developer, QA Lead, DevOps Lead, Product Manager"))
        #expect(!run.stdout.contains("\u{1B}["))
        #expect(!run.stdout.contains("user:pass@"))
    }

    @Test("bad inputs exit 2 naming the file (and line)")
    func badInputs() async throws {
        let dir = try temporaryDirectory()
        func file(_ name: String, _ bytes: [UInt8]) throws -> String {
            let url = dir.appendingPathComponent(name)
            try Data(bytes).write(to: url)
            return url.path
        }
        let cases: [(path: String, expect: String)] = [
            (dir.appendingPathComponent("missing.md").path, "missing.md: no such file"),
            (dir.path, "is a directory"),
            (try file("latin1.md", Array("- [ ] caf".utf8) + [0xE9, 0x0A]), "latin1.md:1: is not UTF-8 text"),
            (try file("empty.md", []), "empty.md: is empty"),
            (try file("none.md", Array("# Title\n\n- a plain list\n".utf8)), "none.md: has no task items"),
            (
                try file("ann.md", Array("- [ ] a\n- [ ] b <!-- gonogo: env.set name=\"x -->\n".utf8)),
                "ann.md:2: malformed gonogo annotation"
            ),
            (try file("binary.md", [0x7F, 0x45, 0x4C, 0x46, 0x00, 0x01]), "binary.md:1: contains a NUL byte"),
        ]
        for c in cases {
            let run = try await gonogo(["plan", c.path])
            #expect(run.status == 2, "\(c.path)")
            #expect(run.stderr.contains(c.expect), "\(run.stderr)")
            #expect(run.stderr.hasPrefix("gonogo: error: "))
            #expect(run.stdout.isEmpty)
        }
        // A config given to plan is checked as verify would check it: YAML, keys, the params it gives items.
        let checklist = dir.appendingPathComponent("ok.md")
        try Data("# R\n- [ ] WAL mode enabled\n".utf8).write(to: checklist)
        for (config, expect) in [
            ("root: .\nsqlite: [a\n", "bad.yml:"),
            ("root: .\nenv_file: [.env]\n", "bad.yml:2: unknown key `env_file`"),
            ("items:\n  wal-mode-enabled:\n    params: {mdoe: wal}\n", "bad.yml:2: items: “wal-mode-enabled”"),
        ] {
            try Data(config.utf8).write(to: dir.appendingPathComponent("bad.yml"))
            let run = try await gonogo(["plan", checklist.path, "--config", dir.path + "/bad.yml"])
            #expect(run.status == 2, "\(config): \(run.stderr)")
            #expect(run.stderr.contains(expect), "\(run.stderr)")
        }
    }

    @Test("annotations from the fixture: kinds, typed params, lines")
    func annotated() async throws {
        let run = try await gonogo(["plan", "fixtures/checklists/annotated.md", "--format", "json"])
        #expect(run.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as! [String: Any]
        let items = object["items"] as! [[String: Any]]
        #expect(items.map { $0["kind"] as! String } == ["sqlite.journal_mode", "latency.request", "manual", "env.set"])
        #expect(items.map { $0["source"] as! String } == ["annotation", "annotation", "annotation", "annotation"])
        let threshold = (items[1]["params"] as! [String: Any])["threshold"] as! [String: Any]
        #expect(threshold["metric"] as? String == "p99")
        #expect(threshold["value"] as? Int == 800)
        #expect((items[0]["params"] as! [String: Any])["path"] as? String == "data/app.db")
    }

    @Test("a malformed annotation in a fixture exits 2 naming its file and line")
    func badAnnotation() async throws {
        let run = try await gonogo(["plan", "fixtures/checklists/bad-annotation.md"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("fixtures/checklists/bad-annotation.md:6: malformed gonogo annotation"))
        #expect(run.stderr.contains("hint:"))
    }

    @Test("usage errors exit 64")
    func usage() async throws {
        #expect(try await gonogo(["plan"]).status == 64)
        #expect(try await gonogo(["plan", "checklists/sprint5-production.md", "--format", "xml"]).status == 64)
        #expect(try await gonogo(["no-such-command"]).status == 64)
    }

    @Test("--help shows examples")
    func help() async throws {
        let run = try await gonogo(["plan", "--help"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("Examples:"))
        #expect(run.stdout.contains("gonogo plan checklists/sprint5-production.md"))
    }

    @Test("gonogo kinds lists every kind an annotation may use, as docs/checklist-syntax.md shows them")
    func kinds() async throws {
        let run = try await gonogo(["kinds"])
        #expect(run.status == 0)
        for kind in ["sqlite.journal_mode", "latency.request", "http.hsts", "tls.protocols", "manual"] {
            #expect(run.stdout.contains(kind))
        }
        // The documented list is the command's output, line for line (params included).
        let docs = try String(
            contentsOfFile: Executables.repositoryRoot + "/docs/checklist-syntax.md", encoding: .utf8)
        #expect(docs.contains("```\n" + run.stdout + "```"), "docs/checklist-syntax.md: paste `gonogo kinds` again")
    }

    @Test("a 10 MB checklist and 5,000 levels of nesting finish without a crash")
    func large() async throws {
        let dir = try temporaryDirectory()
        var deep = ""
        for i in 0..<5000 { deep += String(repeating: " ", count: 2 * i) + "- [ ] level \(i)\n" }
        let deepPath = dir.appendingPathComponent("deep.md")
        try deep.write(to: deepPath, atomically: true, encoding: .utf8)
        let d = try await gonogo(["plan", deepPath.path, "--format", "json"])
        #expect(d.status == 0)
        #expect(d.stdout.contains("\"text\": \"level 4999\""))

        var big = "# Big\n"
        var n = 0
        while big.utf8.count < 10 * 1024 * 1024 {
            big += "\n## Section \(n)\n\n"
            for j in 0..<50 { big += "- [ ] Item \(j) WAL mode enabled, p95 latency of `GET /orders` under 250 ms\n" }
            n += 1
        }
        let bigPath = dir.appendingPathComponent("big.md")
        try big.write(to: bigPath, atomically: true, encoding: .utf8)
        let b = try await gonogo(["plan", bigPath.path])
        #expect(b.status == 0)
        #expect(b.stdout.contains("items run automatically"))
    }
}

/// Colour and escape codes: `--color`/`--no-color` over the defaults; a dumb terminal gets no escape code at all, the
/// progress line included (run under a pseudo-terminal made by util-linux's `script`).
@Suite("gonogo: --color, --no-color, TERM=dumb")
struct ColorTests {
    @Test("--color colours a pipe, --no-color and a pipe do not; TERM=dumb on a terminal gets no escape code")
    func color() async throws {
        let checklist = Executables.repositoryRoot + "/checklists/orders-service-release.md"
        let escape = "\u{1B}["
        #expect(try await gonogo(["plan", checklist, "--color"]).stdout.contains(escape))
        #expect(!(try await gonogo(["plan", checklist, "--no-color"]).stdout.contains(escape)))
        #expect(!(try await gonogo(["plan", checklist]).stdout.contains(escape)))  // stdout is a pipe here
        let dir = try Executables.temporaryDirectory("color")
        let small = dir.appendingPathComponent("small.md").path
        try Data("# R\n- [ ] A <!-- gonogo: env.set name=A -->\n- [ ] B <!-- gonogo: env.set name=B -->\n".utf8)
            .write(to: URL(fileURLWithPath: small))
        func underTerminal(_ term: String) async throws -> String {
            let command = "'\(Executables.path("gonogo"))' verify '\(small)' --gate ci"
            let run = try await Executables.run(
                path: "/usr/bin/script", ["-qec", command, "/dev/null"], environment: ["TERM": term])
            #expect(run.stdout.contains("Verdict:"), "\(run.stdout) \(run.stderr)")
            return run.stdout
        }
        // On a terminal that understands them: colour and the progress line erased in place.
        let xterm = try await underTerminal("xterm")
        #expect(xterm.contains("\u{1B}[K") && xterm.contains("[2/2]"), "\(xterm)")
        let dumb = try await underTerminal("dumb")
        #expect(!dumb.contains("\u{1B}"), "\(dumb.debugDescription)")
        #expect(dumb.contains("[2/2]"), "\(dumb)")
    }
}

/// The progress line on a terminal (util-linux's `script` makes one): each check with the status it is reported
/// with, and a live line while a check runs long.
@Suite("gonogo verify: the progress line")
struct ProgressLineTests {
    @Test("final statuses (an advisory failure warns, a waived one is waived); a long check shows what runs")
    func progress() async throws {
        let dir = try Executables.temporaryDirectory("progress")
        try Data(
            """
            # R
            ## Build
            - [ ] Slow <!-- gonogo: command.run command="sleep 3" -->
            - [ ] Docs (optional) <!-- gonogo: env.set name=GONOGO_TEST_NEVER_SET_VARIABLE -->
            - [ ] Changelog <!-- gonogo: file.exists path=CHANGELOG.md -->

            """.utf8
        ).write(to: dir.appendingPathComponent("c.md"))
        try Data(
            """
            waivers:
              - item: build/changelog
                justification: the notes ship in the wiki this time
                expires: 2099-12-31
                approved_by: Priya Shah

            """.utf8
        ).write(to: dir.appendingPathComponent("waivers.yml"))
        let command =
            "cd '\(dir.path)' && '\(Executables.path("gonogo"))' verify c.md --allow-commands --gate ci "
            + "--waivers waivers.yml"
        let run = try await Blocking.run {
            try Executables.run(path: "/usr/bin/script", ["-qec", command, "/dev/null"], environment: ["TERM": "dumb"])
        }
        #expect(run.stdout.contains("Verdict: GO"), "\(run.stdout)")
        #expect(run.stdout.contains("] warn build/docs-optional"), "\(run.stdout.debugDescription)")
        #expect(run.stdout.contains("] waived build/changelog"), "\(run.stdout.debugDescription)")
        #expect(!run.stdout.contains("] fail "), "\(run.stdout.debugDescription)")
        #expect(run.stdout.contains("running build/slow · "), "\(run.stdout.debugDescription)")
        #expect(run.stdout.contains("[3/3] pass build/slow"), "\(run.stdout.debugDescription)")
    }
}
