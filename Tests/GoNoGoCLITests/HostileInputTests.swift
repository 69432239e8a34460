import Foundation
import TestSupport
import Testing

/// gonogo under hostile input: a TLS server that hangs up or never answers, YAML nested past any person's writing.
/// Each ends as an `error` with the true reason, or an exit 2 naming the file and line; never a crash.
@Suite("Hostile input: peers that hang up, deep YAML")
struct HostileInputTests {
    static let checklist = """
        # TLS
        - [ ] Certificate valid <!-- gonogo: tls.certificate -->
        - [ ] TLS 1.2 minimum <!-- gonogo: tls.protocols min=1.2 -->

        """

    func verify(_ dir: URL, port: Int) async throws -> Run {
        try Data("api_url: https://127.0.0.1:\(port)\nhttp: {timeout: 2}\n".utf8)
            .write(to: dir.appendingPathComponent("gonogo.yml"))
        return try await gonogo([
            "verify", dir.path + "/tls.md", "--config", dir.path + "/gonogo.yml", "--gate", "ci", "--format", "json",
        ])
    }

    @Test("a TLS server that hangs up during the handshake: each item errors saying so, never a SIGPIPE death")
    func closingServer() async throws {
        let dir = try temporaryDirectory()
        try Data(Self.checklist.utf8).write(to: dir.appendingPathComponent("tls.md"))
        let server = LoopbackListener(closing: true)
        defer { server.stop() }
        for _ in 0..<5 {
            let run = try await verify(dir, port: server.port)
            #expect(run.status == 1, "exit \(run.status): \(run.stderr)")  // 141 was SIGPIPE
            let report = Report(run)
            for item in report.items {
                #expect(item["status"] as? String == "error", "\(item)")
                #expect(
                    (item["message"] as? String ?? "").contains("closed the connection during the handshake"),
                    "\(item["message"] ?? "")")
            }
        }
    }

    @Test("a TLS server that never answers: an error naming the wait, not a refusal")
    func silentServer() async throws {
        let dir = try temporaryDirectory()
        try Data(Self.checklist.utf8).write(to: dir.appendingPathComponent("tls.md"))
        let server = LoopbackListener(closing: false)
        defer { server.stop() }
        let report = await Report(try verify(dir, port: server.port))
        #expect(report.items.count == 2)
        for item in report.items {
            #expect(item["status"] as? String == "error", "\(item)")
            let message = item["message"] as? String ?? ""
            #expect(message.contains("no answer within 2 s"), "\(message)")
            #expect(!message.contains("accepts nothing") && !message.contains("closed"))
        }
    }

    @Test("YAML nested past any person's writing, in each YAML input: exit 2 naming the file and line, no crash")
    func deepYAML() async throws {
        let dir = try temporaryDirectory()
        try Data("# R\n- [ ] Runbook rehearsed\n".utf8).write(to: dir.appendingPathComponent("r.md"))
        let flow = "root: " + String(repeating: "[", count: 20_000) + String(repeating: "]", count: 20_000) + "\n"
        let block = (0..<200).map { String(repeating: "  ", count: $0) + "k\($0):" }.joined(separator: "\n") + " x\n"
        let waiver =
            "waivers:\n  - " + String(repeating: "{a: ", count: 4_200) + "1" + String(repeating: "}", count: 4_200)
        let dashes = "attestations:\n" + String(repeating: "- ", count: 5_000) + "x\n"
        let cases: [(file: String, text: String, flag: String, line: Int)] = [
            ("deep.yml", flow, "--config", 1),
            ("block.yml", block, "--config", 65),
            ("waivers.yml", waiver, "--waivers", 2),
            ("attestations.yml", dashes, "--attestations", 2),
            ("roster.yml", "roles:\n  QA: " + String(repeating: "[", count: 9_000), "--roster", 2),
        ]
        for (file, text, flag, line) in cases {
            try Data(text.utf8).write(to: dir.appendingPathComponent(file))
            let run = try await gonogo(["verify", dir.path + "/r.md", "--root", dir.path, flag, dir.path + "/" + file])
            #expect(run.status == 2, "\(file): exit \(run.status) \(run.stderr.prefix(300))")
            #expect(run.stderr.contains("\(file):\(line): "), "\(file): \(run.stderr.prefix(300))")
            #expect(run.stderr.contains("levels deep"), "\(file): \(run.stderr.prefix(300))")
        }
        // An alias bomb: refused before anything expands.
        let bomb =
            "a: &a [x, x]\n"
            + (1..<80).map { "a\($0): &a\($0) [*a\($0 - 1 == 0 ? "" : String($0 - 1)), *a]" }
            .joined(separator: "\n") + "\n"
        try Data(bomb.utf8).write(to: dir.appendingPathComponent("bomb.yml"))
        let run = try await gonogo(["plan", dir.path + "/r.md", "--config", dir.path + "/bomb.yml"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("aliases"), "\(run.stderr)")
    }

    @Test("a YAML or env file that is not UTF-8 names the line of the first bad byte")
    func notUTF8() async throws {
        let dir = try temporaryDirectory()
        try Data("# R\n- [ ] Runbook rehearsed\n".utf8).write(to: dir.appendingPathComponent("r.md"))
        var bad = Data("root: .\nitem_timeout: 5\n".utf8)
        bad.append(contentsOf: [0x6B, 0x3A, 0x20, 0xFF, 0x0A])
        try bad.write(to: dir.appendingPathComponent("bad.yml"))
        let config = try await gonogo(["plan", dir.path + "/r.md", "--config", dir.path + "/bad.yml"])
        #expect(config.status == 2)
        #expect(config.stderr.contains("bad.yml:3: is not UTF-8 text"), "\(config.stderr)")
        var env = Data("A=1\nB=2\n".utf8)
        env.append(contentsOf: [0x43, 0x3D, 0xC3, 0x28, 0x0A])
        try env.write(to: dir.appendingPathComponent("bad.env"))
        let run = try await gonogo([
            "verify", dir.path + "/r.md", "--root", dir.path, "--env-file", dir.path + "/bad.env",
        ])
        #expect(run.status == 2)
        #expect(run.stderr.contains("bad.env:3: "), "\(run.stderr)")
    }
}
