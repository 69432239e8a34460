import Crypto
import Foundation
import Reports
import Signing
import TestSupport
import Testing

/// A small release checklist: two file checks (one fails: there is no CHANGELOG), two manual items, a sign-off table.
enum SignoffFixture {
    static let checklist = """
        # Release 1.2

        ## Build
        - [ ] README present <!-- gonogo: file.exists path=README.md -->
        - [ ] CHANGELOG present <!-- gonogo: file.exists path=CHANGELOG.md -->

        ## Operations
        - [ ] Load test reviewed by the team
        - [ ] Runbook rehearsed with on-call

        ## Sign-off
        | Role | Name | Date |
        |------|------|------|
        | QA Lead | | |
        | Release Manager | | |

        """
    static let manual = ["operations/load-test-reviewed-by-the-team", "operations/runbook-rehearsed-with-on-call"]
    static let failing = "build/changelog-present"

    /// A directory with the checklist, a README, and key pairs for the two roles and an outsider.
    static func make() throws -> URL {
        let dir = try temporaryDirectory()
        try Data(checklist.utf8).write(to: dir.appendingPathComponent("release.md"))
        try Data("# app\n".utf8).write(to: dir.appendingPathComponent("README.md"))
        for name in ["qa", "rm", "outsider", "release"] {
            let made = try gonogo(["keygen", "--out", dir.appendingPathComponent(name).path])
            try #require(made.status == 0, "\(made.stderr)")
        }
        try Data(
            """
            roles:
              QA Lead: [qa.pub]
              Release Manager: [rm.pub]

            """.utf8
        ).write(to: dir.appendingPathComponent("roster.yml"))
        return dir
    }

    /// `gonogo attest` in `dir`.
    static func attest(_ dir: URL, _ arguments: [String]) throws -> Run {
        try gonogo(["attest", dir.path + "/release.md", "--file", dir.path + "/attestations.yml"] + arguments)
    }

    static func verify(_ dir: URL, _ extra: [String]) throws -> Run {
        try gonogo(["verify", dir.path + "/release.md", "--root", dir.path] + extra)
    }
}

@Suite("gonogo sign-off: attestations, roster, waivers, the release gate")
struct SignoffTests {
    @Test("no attestations: NO-GO naming the manual items and the roles; signed ones by the right keys: GO")
    func releaseGate() async throws {
        let dir = try await SignoffFixture.make()
        // The failing file check is fixed first, so that only sign-off stands between the release and GO.
        try Data("## 1.2\n".utf8).write(to: dir.appendingPathComponent("CHANGELOG.md"))
        let bare = try await SignoffFixture.verify(dir, ["--roster", dir.path + "/roster.yml"])
        #expect(bare.status == 1)
        for id in SignoffFixture.manual { #expect(bare.stdout.contains(id), "\(bare.stdout)") }
        #expect(bare.stdout.contains("sign-off missing: QA Lead, Release Manager"))
        #expect(bare.stdout.contains("gonogo attest"))  // the command that would sign one

        for id in SignoffFixture.manual {
            let a = try await SignoffFixture.attest(
                dir,
                [
                    "--item", id, "--role", "QA Lead", "--name", "Sam Ortiz", "--evidence",
                    "https://ci.example.com/r/1",
                    "--sign-key", dir.path + "/qa.key",
                ])
            #expect(a.status == 0, "\(a.stderr)")
        }
        for (role, key, name) in [("QA Lead", "qa", "Sam Ortiz"), ("Release Manager", "rm", "Ari Chen")] {
            let s = try await SignoffFixture.attest(
                dir, ["--signoff", "--role", role, "--name", name, "--sign-key", dir.path + "/\(key).key"])
            #expect(s.status == 0, "\(s.stderr)")
        }
        let signed = try await SignoffFixture.verify(
            dir,
            [
                "--roster", dir.path + "/roster.yml", "--attestations", dir.path + "/attestations.yml", "--format",
                "json",
            ])
        #expect(signed.status == 0, "\(signed.stdout.suffix(1500))")
        let report = Report(signed)
        #expect(report.json["verdict"] as? String == "GO")
        for id in SignoffFixture.manual {
            #expect(report.item(id)?["status"] as? String == "attested")
            let attestation = report.item(id)?["attestation"] as? [String: Any]
            #expect(attestation?["signature"] as? String == "verified")
            #expect(attestation?["counted"] as? Bool == true)
        }
        let roles = (report.json["signoff"] as? [[String: Any]] ?? []).map {
            "\($0["role"] ?? ""):\($0["status"] ?? ""):\($0["name"] ?? "")"
        }
        #expect(roles == ["QA Lead:signed:Sam Ortiz", "Release Manager:signed:Ari Chen"])
    }

    @Test("a NO-GO from a missing sign-off alone is red in JUnit and an error in SARIF; signed, both are clean")
    func verdictInCIViews() async throws {
        let dir = try await SignoffFixture.make()
        try Data("## 1.2\n".utf8).write(to: dir.appendingPathComponent("CHANGELOG.md"))
        for id in SignoffFixture.manual {
            let a = try await SignoffFixture.attest(
                dir, ["--item", id, "--role", "QA Lead", "--name", "Sam Ortiz", "--sign-key", dir.path + "/qa.key"])
            #expect(a.status == 0, "\(a.stderr)")
        }
        let qa = try await SignoffFixture.attest(
            dir, ["--signoff", "--role", "QA Lead", "--name", "Sam Ortiz", "--sign-key", dir.path + "/qa.key"])
        #expect(qa.status == 0, "\(qa.stderr)")
        func run(_ out: String) throws -> (status: Int32, junit: String, sarif: [[String: Any]]) {
            let run = try SignoffFixture.verify(
                dir,
                [
                    "--roster", dir.path + "/roster.yml", "--attestations", dir.path + "/attestations.yml", "--out",
                    dir.path + "/" + out, "--format", "junit", "--format", "sarif", "--format", "html",
                ])
            let junit = try String(contentsOfFile: dir.path + "/\(out)/report.junit.xml", encoding: .utf8)
            let sarif =
                try JSONSerialization.jsonObject(
                    with: Data(contentsOf: dir.appendingPathComponent(out + "/report.sarif")))
                as? [String: Any]
            let results = (sarif?["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]] ?? []
            return (run.status, junit, results)
        }
        let half = try run("half")
        #expect(half.status == 1)
        // Every item passed or was attested: only the verdict's own cases fail.
        #expect(half.junit.contains("<testcase name=\"sign-off: Release Manager\" classname=\"gonogo.verdict\""))
        #expect(half.junit.contains("<failure message=\"sign-off missing: Release Manager\""), "\(half.junit)")
        #expect(!half.junit.contains("sign-off missing: QA Lead"))
        #expect(half.junit.contains("<failure message=\"NO-GO: sign-off missing: Release Manager\""))
        #expect(half.junit.contains("<testsuites name=") && half.junit.contains("failures=\"2\" errors=\"0\""))
        let errors = half.sarif.filter { $0["level"] as? String == "error" }
        #expect(errors.compactMap { $0["ruleId"] as? String }.sorted() == ["gonogo.signoff", "gonogo.verdict"])
        // As the field's readers see them: junitparser counts the failed cases, sarif-tools the error results.
        #expect(try await Self.readers(dir.path + "/half") == "junit failures 2, sarif errors 2")
        // The HTML's "Needs attention" names the missing sign-off, linked to the table.
        let html = try String(contentsOfFile: dir.path + "/half/report.html", encoding: .utf8)
        #expect(html.contains("<h2>Needs attention (1)</h2>"), "\(html.prefix(3000))")
        #expect(html.contains("<a href=\"#signoff\"><span class=\"pill s-manual\">sign-off</span> Release Manager</a>"))

        let rm = try await SignoffFixture.attest(
            dir, ["--signoff", "--role", "Release Manager", "--name", "Ari Chen", "--sign-key", dir.path + "/rm.key"])
        #expect(rm.status == 0, "\(rm.stderr)")
        let signed = try run("signed")
        #expect(signed.status == 0)
        #expect(!signed.junit.contains("<failure"), "\(signed.junit)")
        #expect(signed.junit.contains("<testcase name=\"verdict\" classname=\"gonogo.verdict\""))
        #expect(signed.sarif.allSatisfy { $0["level"] as? String != "error" })
        #expect(try await Self.readers(dir.path + "/signed") == "junit failures 0, sarif errors 0")
    }

    /// What junitparser and sarif-tools (PyPI, installed by scripts/test into a virtualenv named by
    /// GONOGO_TEST_PYTHON) read in `dir`'s report.junit.xml and report.sarif: failed or erred cases, error results.
    static func readers(_ dir: String) async throws -> String {
        let python = try #require(
            ProcessInfo.processInfo.environment["GONOGO_TEST_PYTHON"],
            "GONOGO_TEST_PYTHON is not set: run the tests through scripts/test, which installs junitparser and sarif-tools"
        )
        let script = """
            import sys, junitparser
            from sarif import loader
            xml = junitparser.JUnitXml.fromfile(sys.argv[1] + "/report.junit.xml")
            failed = sum(1 for suite in xml for case in suite
                         if any(isinstance(r, (junitparser.Failure, junitparser.Error)) for r in case.result))
            errors = loader.load_sarif_file(sys.argv[1] + "/report.sarif").get_report().get_issue_count_for_severity("error")
            print(f"junit failures {failed}, sarif errors {errors}")
            """
        let run = try await Executables.run(path: python, ["-c", script, dir])
        #expect(run.status == 0, "\(run.stderr)")
        return run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test("a forged attestation (another role's key, an outsider's key, an altered entry) is not counted: NO-GO")
    func forged() async throws {
        let dir = try await SignoffFixture.make()
        try Data("## 1.2\n".utf8).write(to: dir.appendingPathComponent("CHANGELOG.md"))
        let (load, runbook) = (SignoffFixture.manual[0], SignoffFixture.manual[1])
        // The Release Manager's key signs as QA Lead; an outsider signs as Release Manager.
        #expect(
            try await SignoffFixture.attest(
                dir, ["--item", load, "--role", "QA Lead", "--name", "Mallory", "--sign-key", dir.path + "/rm.key"]
            ).status == 0)
        #expect(
            try await SignoffFixture.attest(
                dir,
                [
                    "--item", runbook, "--role", "Release Manager", "--name", "Eve", "--sign-key",
                    dir.path + "/outsider.key",
                ]
            ).status == 0)
        #expect(
            try await SignoffFixture.attest(
                dir, ["--signoff", "--role", "QA Lead", "--name", "Sam Ortiz", "--sign-key", dir.path + "/qa.key"]
            ).status == 0)
        // An honest sign-off whose name is then edited by hand: the signature no longer covers it.
        #expect(
            try await SignoffFixture.attest(
                dir,
                ["--signoff", "--role", "Release Manager", "--name", "Ari Chen", "--sign-key", dir.path + "/rm.key"]
            ).status == 0)
        let file = dir.appendingPathComponent("attestations.yml")
        let text = try String(contentsOf: file, encoding: .utf8)
        try Data(text.replacingOccurrences(of: "\"Ari Chen\"", with: "\"Ari Chen-Smith\"").utf8).write(to: file)

        let run = try await SignoffFixture.verify(
            dir,
            ["--roster", dir.path + "/roster.yml", "--attestations", file.path, "--format", "json"])
        #expect(run.status == 1)
        let report = Report(run)
        #expect(report.item(load)?["status"] as? String == "manual")
        #expect(report.item(runbook)?["status"] as? String == "manual")
        let why = { (id: String) in (report.item(id)?["attestation"] as? [String: Any])?["reason"] as? String ?? "" }
        #expect(why(load) == "signed by a key of another role, not of QA Lead")
        #expect(why(runbook).hasPrefix("the signature does not verify with any Release Manager key"))
        let roles = report.json["signoff"] as? [[String: Any]] ?? []
        #expect(roles.first { $0["role"] as? String == "QA Lead" }?["status"] as? String == "signed")
        let rm = roles.first { $0["role"] as? String == "Release Manager" }
        #expect(rm?["status"] as? String == "missing")
        let rejected = rm?["rejected"] as? String ?? ""
        #expect(rejected.contains("does not verify"))
        let reasons = report.json["reasons"] as? [String] ?? []
        #expect(reasons.contains { $0.hasPrefix("2 manual items await attestation") }, "\(reasons)")
        #expect(reasons.contains("sign-off missing: Release Manager"), "\(reasons)")
        // Without a roster the same file is taken at its word, and says the signatures were not checked.
        let trusting = await Report(
            try SignoffFixture.verify(dir, ["--attestations", file.path, "--format", "json", "--gate", "ci"]))
        #expect(
            (trusting.item(load)?["attestation"] as? [String: Any])?["signature"] as? String
                == "not checked (no roster)")
    }

    @Test(
        "a valid waiver turns the failing blocker into waived and the verdict GO; an expired one does not, in every format"
    )
    func waivers() async throws {
        let dir = try await SignoffFixture.make()
        let failing = SignoffFixture.failing
        func waiver(_ expires: String) throws -> String {
            let path = dir.path + "/waivers-\(expires).yml"
            try Data(
                """
                waivers:
                  - item: \(failing)
                    justification: the changelog ships in the release notes this once
                    expires: \(expires)
                    approved_by: Priya Shah (Release Manager)
                  - item: build/readme-present
                    justification: not needed
                    expires: 2099-01-01
                    approved_by: Priya Shah

                """.utf8
            ).write(to: URL(fileURLWithPath: path))
            return path
        }
        let formats = ["--format", "junit", "--format", "markdown", "--format", "html", "--format", "sarif"]
        let validOut = dir.path + "/valid"
        let valid = try await SignoffFixture.verify(
            dir, ["--gate", "ci", "--waivers", try waiver("2099-12-31"), "--out", validOut] + formats)
        #expect(valid.status == 0, "\(valid.stdout)")
        #expect(valid.stdout.contains("Verdict: GO"))
        let expiredOut = dir.path + "/expired"
        let expired = try await SignoffFixture.verify(
            dir, ["--gate", "ci", "--waivers", try waiver("2020-01-31"), "--out", expiredOut] + formats)
        #expect(expired.status == 1)
        #expect(expired.stdout.contains("expired on 2020-01-31"))

        func read(_ dir: String, _ file: String) throws -> String {
            try String(contentsOfFile: dir + "/" + file, encoding: .utf8)
        }
        let json = try JSONSerialization.jsonObject(with: Data(read(validOut, "report.json").utf8)) as? [String: Any]
        let items = json?["items"] as? [[String: Any]] ?? []
        let waived = items.first { $0["id"] as? String == failing }
        #expect(waived?["status"] as? String == "waived")
        let message = waived?["message"] as? String ?? ""
        #expect(message.contains("the changelog ships in the release notes"))
        let readme = items.first { $0["id"] as? String == "build/readme-present" }
        #expect((readme?["waiver"] as? [String: Any])?["reason"] as? String == "unnecessary: the item's status is pass")
        #expect(
            (json?["notices"] as? [String] ?? []).contains {
                $0.contains("waiver of build/readme-present is unnecessary")
            })
        // The waiver, and its expiry, are visible in every format.
        #expect(try read(validOut, "report.junit.xml").contains("<skipped>waived until 2099-12-31"))
        #expect(try read(validOut, "report.md").contains("**🏳️ waived**: waived until 2099-12-31"))
        // HTML: what needs attention first, then the sign-off table, then the sections; the waiver's words once.
        let html = try read(validOut, "report.html")
        #expect(html.contains("waived until 2099-12-31 by Priya Shah (Release Manager)"))
        #expect(html.components(separatedBy: "the changelog ships in the release notes this once").count == 2)
        let attention = html.range(of: "<h2>Needs attention (")?.lowerBound
        let signoff = html.range(of: "<h2>Sign-off</h2>")?.lowerBound
        let sections = html.range(of: "<details class=\"section\"")?.lowerBound
        #expect(attention != nil && signoff != nil && sections != nil && attention! < signoff! && signoff! < sections!)
        #expect(html.contains("<a href=\"#\(failing)\"><span class=\"pill s-waived\">waived</span>"))
        // A GO under the ci gate says what the release gate would still need, in every format.
        #expect(valid.stdout.contains("Caution: GO under the ci gate only: 2 manual blockers await attestation"))
        #expect(html.contains("GO under the ci gate only: 2 manual blockers await attestation"))
        #expect(
            try read(validOut, "report.sarif").contains("\"justification\": \"the changelog ships in the release notes")
        )
        #expect(try read(expiredOut, "report.junit.xml").contains("<failure message=\"no file matches CHANGELOG.md"))
        #expect(try read(expiredOut, "report.md").contains("waiver not applied: expired on 2020-01-31"))
        #expect(try read(expiredOut, "report.html").contains("<b>not applied</b>: expired on 2020-01-31"))
        // Every result carries `suppressions`; with the waiver expired, none holds one.
        #expect(!(try read(expiredOut, "report.sarif").contains("\"justification\"")))
        #expect(try read(validOut, "report.sarif").contains("\"kind\": \"external\""))
    }

    @Test(
        "malformed attestations, waivers, rosters and keys: exit 2 naming the file and line; a key others can read is refused"
    )
    func malformed() async throws {
        let dir = try await SignoffFixture.make()
        func write(_ name: String, _ text: String) throws -> String {
            let path = dir.path + "/" + name
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            return path
        }
        let cases: [(flag: String, file: String, text: String, expect: String)] = [
            (
                "--attestations", "a1.yml",
                "attestations:\n  - item: x\n    status: maybe\n    name: A\n    role: QA Lead\n    date: 2026-11-26\n",
                ":3: status must be passed or failed"
            ),
            (
                "--attestations", "a2.yml",
                "attestations:\n  - item: x\n    status: passed\n    role: QA Lead\n    date: 2026-11-26\n",
                ":2: an attestation needs `name`"
            ),
            (
                "--attestations", "a3.yml",
                "attestations:\n  - item: x\n    status: passed\n    name: A\n    role: QA Lead\n    date: 26/11/2026\n",
                ":6: date must be a date as YYYY-MM-DD"
            ),
            ("--attestations", "a4.yml", "attestations:\n  - item: [x\n", ":3: not valid YAML"),
            ("--attestations", "a5.yml", "attestation:\n  - item: x\n", ":1: unknown key `attestation`"),
            (
                "--waivers", "w1.yml", "waivers:\n  - item: x\n    justification: why\n    approved_by: me\n",
                ":2: a waiver needs `expires`"
            ),
            (
                "--waivers", "w2.yml", "waivers:\n  - item: x\n    expires: 2026-12-01\n    approved_by: me\n",
                ":2: a waiver needs `justification`"
            ),
            (
                "--waivers", "w3.yml",
                "waivers:\n  - item: x\n    justification: j\n    expires: soon\n    approved_by: me\n",
                ":4: expires must be a date"
            ),
            ("--roster", "r1.yml", "roles:\n  QA Lead: [missing.pub]\n", ":2: missing.pub: no such key file"),
            (
                "--roster", "r2.yml",
                "roles:\n  QA Lead:\n    - |\n      -----BEGIN PUBLIC KEY-----\n      bm90IGEga2V5\n      -----END PUBLIC KEY-----\n",
                ":3: is not an ECDSA P-256 public key"
            ),
        ]
        for c in cases {
            let path = try write(c.file, c.text)
            let run = try await SignoffFixture.verify(dir, [c.flag, path])
            #expect(run.status == 2, "\(c.file): \(run.stdout) \(run.stderr)")
            #expect(run.stderr.contains(path + c.expect), "\(c.file): \(run.stderr)")
        }
        // Keys: garbage, a public key given as the private one, and a private key others can read.
        let garbage = try write("garbage.key", "-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----\n")
        chmod(garbage, 0o600)
        let pub = dir.path + "/qa.pub"
        let copied = dir.path + "/pub-as-private.key"
        try FileManager.default.copyItem(atPath: pub, toPath: copied)
        chmod(copied, 0o600)
        for key in [garbage, copied] {
            let run = try await SignoffFixture.verify(dir, ["--out", dir.path + "/o", "--sign-key", key])
            #expect(run.status == 2)
            #expect(run.stderr.contains("\(key): is not an ECDSA P-256 private key"), "\(run.stderr)")
        }
        let key = dir.path + "/qa.key"
        let mode = try FileManager.default.attributesOfItem(atPath: key)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        chmod(key, 0o644)
        for run in await [
            try SignoffFixture.verify(dir, ["--out", dir.path + "/o", "--sign-key", key]),
            try SignoffFixture.attest(dir, ["--signoff", "--role", "QA Lead", "--name", "S", "--sign-key", key]),
        ] {
            #expect(run.status == 2)
            #expect(run.stderr.contains("\(key): is readable by others (mode 644)"), "\(run.stderr)")
            #expect(run.stderr.contains("chmod 600 \(key)"))
            #expect(!run.stderr.contains("BEGIN"))  // the key's bytes never appear
        }
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/attestations.yml"))
        // attest refuses what the checklist does not name, and leaves the file alone.
        let before = try await SignoffFixture.attest(dir, ["--signoff", "--role", "QA Lead", "--name", "S"])
        #expect(before.status == 0)
        let text = try String(contentsOfFile: dir.path + "/attestations.yml", encoding: .utf8)
        let unknownItem = try await SignoffFixture.attest(
            dir, ["--item", "operations/nope", "--role", "QA Lead", "--name", "S"])
        #expect(unknownItem.status == 64)
        #expect(unknownItem.stderr.contains("has no item operations/nope"))
        let unknownRole = try await SignoffFixture.attest(dir, ["--signoff", "--role", "CTO", "--name", "S"])
        #expect(unknownRole.status == 64)
        #expect(unknownRole.stderr.contains("CTO is not a sign-off role of"))
        #expect(unknownRole.stderr.contains("QA Lead, Release Manager"))
        #expect(try String(contentsOfFile: dir.path + "/attestations.yml", encoding: .utf8) == text)
    }

    @Test("attest appends without rewriting: comments and hand-written entries stay, at their indentation")
    func appendKeepsFile() async throws {
        let dir = try await SignoffFixture.make()
        let file = dir.appendingPathComponent("attestations.yml")
        let original = """
            # signed off in the release meeting
            version: 1
            attestations:
            - item: operations/load-test-reviewed-by-the-team   # by hand
              status: passed
              name: "Dana: QA"
              role: QA Lead
              date: 2026-11-20

            """
        try Data(original.utf8).write(to: file)
        let run = try await SignoffFixture.attest(
            dir,
            [
                "--item", SignoffFixture.manual[1], "--role", "Release Manager", "--name", "Ari \"AC\" Chen",
                "--note", "line one\nline two: # not a comment",
            ])
        #expect(run.status == 0, "\(run.stderr)")
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(text.hasPrefix(original))
        let report = await Report(
            try SignoffFixture.verify(dir, ["--attestations", file.path, "--format", "json", "--gate", "ci"]))
        let attestation = report.item(SignoffFixture.manual[1])?["attestation"] as? [String: Any]
        #expect(attestation?["name"] as? String == "Ari \"AC\" Chen")
        #expect(attestation?["note"] as? String == "line one\nline two: # not a comment")
        #expect(
            (report.item(SignoffFixture.manual[0])?["attestation"] as? [String: Any])?["name"] as? String == "Dana: QA")
        // With a roster, the same unsigned entries do not count, and the report says why.
        let strict = await Report(
            try SignoffFixture.verify(
                dir, ["--attestations", file.path, "--roster", dir.path + "/roster.yml", "--format", "json"]))
        let unsigned = strict.item(SignoffFixture.manual[0])
        #expect(unsigned?["status"] as? String == "manual")
        #expect(
            (unsigned?["attestation"] as? [String: Any])?["reason"] as? String
                == "unsigned, and the roster requires a signature by a QA Lead key")
    }

    @Test("GITHUB_ACTIONS=true: failing items print as ::error annotations on their checklist line")
    func githubAnnotations() async throws {
        let dir = try await SignoffFixture.make()
        let run = try await gonogo(
            ["verify", dir.path + "/release.md", "--root", dir.path, "--gate", "ci"],
            environment: ["GITHUB_ACTIONS": "true"])
        #expect(run.status == 1)
        let line = run.stdout.split(separator: "\n").first { $0.hasPrefix("::error ") }
        #expect(
            line
                == "::error file=\(dir.path)/release.md,line=5,title=fail%3A build/changelog-present::no file matches CHANGELOG.md under \(dir.path) (expected CHANGELOG.md exists; observed no file)"
                as Substring?, "\(run.stdout)")
        let quiet = try await gonogo(
            ["verify", dir.path + "/release.md", "--root", dir.path, "--gate", "ci"],
            environment: ["GITHUB_ACTIONS": "false"])
        #expect(!quiet.stdout.contains("::error"))
    }
}
