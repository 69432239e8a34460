import Foundation
import TestSupport
import Testing

/// Why each item has its kind (`plan --explain`, `rule` and `evidence` in JSON), the effective plan under a config,
/// an annotation against a config override, and the same counts and cautions in every report format.
@Suite("gonogo plan --explain and --config; the same summary in every format")
struct ExplainTests {
    static let checklist = """
        # Release

        ## Service
        - [ ] Code coverage at least 85%
        - [ ] `/healthz` returns 200 <!-- gonogo: http.status path=/healthz status=200 -->
        - [ ] Runbook rehearsed
        - [ ] `README.md` present

        """

    static func make(config: String? = nil) throws -> URL {
        let dir = try temporaryDirectory()
        try Data(checklist.utf8).write(to: dir.appendingPathComponent("release.md"))
        try Data("# app\n".utf8).write(to: dir.appendingPathComponent("README.md"))
        if let config { try Data(config.utf8).write(to: dir.appendingPathComponent("other.yml")) }
        return dir
    }

    @Test("--explain names the rule and the words it matched, the annotation, or nothing recognised; JSON too")
    func explain() async throws {
        let dir = try Self.make()
        let text = try await gonogo(["plan", dir.path + "/release.md", "--explain"])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("↳ rule “coverage” on “coverage”, “code”"), "\(text.stdout)")
        #expect(text.stdout.contains("↳ annotation (line 5)"))
        #expect(text.stdout.contains("↳ manual by rule “documentation” on “runbook”"))
        #expect(text.stdout.contains("↳ rule “file” on `README.md`"))
        let json = try await gonogo(["plan", dir.path + "/release.md", "--format", "json"])
        let plan = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let items = plan?["items"] as? [[String: Any]] ?? []
        #expect(items.first?["rule"] as? String == "coverage")
        #expect(items.first?["evidence"] as? [String] == ["coverage", "code"])
    }

    @Test("--config shows the effective plan: each override's line, items skipped; an annotation wins, with a warning")
    func effective() async throws {
        let dir = try Self.make(
            config: """
                items:
                  "service/runbook-rehearsed":
                    kind: file.exists
                    params: {path: docs/runbook.md}
                  "service/healthz-returns-200":
                    params: {status: 204}
                not_applicable:
                  - item: "service/readme-md-present"
                    reason: the README is checked by the docs build

                """)
        let run = try await gonogo(["plan", dir.path + "/release.md", "--config", dir.path + "/other.yml", "--explain"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("file.exists"), "\(run.stdout)")
        #expect(run.stdout.contains("↳ config, line 2"))
        #expect(run.stdout.contains("↳ skipped: not applicable: the README is checked by the docs build"))
        // The annotation in the file wins; the config's attempt is reported at its line.
        #expect(run.stdout.contains("status=200"))
        #expect(!run.stdout.contains("status=204"))
        #expect(
            run.stderr.contains(
                "other.yml:5: items: “service/healthz-returns-200” does not change service/healthz-returns-200's kind "
                    + "or the params its annotation sets: the annotation at \(dir.path)/release.md:5 wins over the config"
            ),
            "\(run.stderr)")
    }

    @Test("every format carries the same counts and coverage sentence; --insecure is a caution at the top")
    func sameCounts() async throws {
        let dir = try Self.make()
        let out = dir.appendingPathComponent("out")
        let run = try await gonogo([
            "verify", dir.path + "/release.md", "--root", dir.path, "--gate", "ci", "--insecure", "--api-url",
            "https://127.0.0.1:9", "--out", out.path, "--format", "html", "--format", "markdown", "--format", "junit",
            "--format", "sarif",
        ])
        #expect([0, 1].contains(run.status), "\(run.stderr)")
        let report =
            try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("report.json")))
            as? [String: Any]
        let coverage = report?["coverage"] as? [String: Int] ?? [:]
        let caution = (report?["cautions"] as? [String])?.first ?? ""
        #expect(caution.hasPrefix("TLS verification is off"))
        // The sentence every format carries, built from the JSON's figures.
        let applicable = coverage["applicable"] ?? 0
        let checked = coverage["checked"] ?? 0
        let sentence =
            "Checked automatically: \(checked) of the \(applicable) items that apply "
            + "(\(Int((Double(checked) * 100 / Double(max(applicable, 1))).rounded()))%)"
        #expect(applicable == 4)
        for file in ["report.html", "report.md", "report.junit.xml", "report.sarif"] {
            let text = try String(contentsOf: out.appendingPathComponent(file), encoding: .utf8)
            #expect(text.contains(sentence), "\(file): \(sentence)")
            #expect(text.contains("TLS verification is off"), "\(file)")
        }
        // The text format, on stdout, says the same.
        let text = try await gonogo([
            "verify", dir.path + "/release.md", "--root", dir.path, "--gate", "ci", "--insecure", "--api-url",
            "https://127.0.0.1:9",
        ])
        #expect(text.stdout.contains(sentence), "\(text.stdout)")
        #expect(text.stdout.contains("Caution: TLS verification is off"))
        // An error is never counted as checked: the unreachable /healthz errored.
        #expect((coverage["errored"] ?? 0) >= 1)
    }
}
