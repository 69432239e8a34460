import Foundation
import TestSupport
import Testing

/// A checklist without a sign-off table: `roles:` in the config (and --role) say who must sign off; `attest` accepts
/// them; with neither, the release gate needs only the attestations, and says so.
@Suite("Sign-off roles without a sign-off table")
struct RolesTests {
    static let checklist = """
        # Release 2.0

        ## Operations
        - [ ] Runbook rehearsed with on-call
        - [ ] `README.md` present

        """
    static let item = "operations/runbook-rehearsed-with-on-call"

    static func make(roles: String?) throws -> URL {
        let dir = try temporaryDirectory()
        try Data(checklist.utf8).write(to: dir.appendingPathComponent("release.md"))
        try Data("# app\n".utf8).write(to: dir.appendingPathComponent("README.md"))
        if let roles { try Data("roles: \(roles)\n".utf8).write(to: dir.appendingPathComponent("gonogo.yml")) }
        return dir
    }

    static func run(_ dir: URL, _ arguments: [String]) async throws -> Run {
        try await gonogo(arguments.map { $0 == "CHECKLIST" ? dir.path + "/release.md" : $0 })
    }

    static func verify(_ dir: URL, _ extra: [String] = []) async throws -> Report {
        let file = dir.path + "/a.yml"
        let attestations = FileManager.default.fileExists(atPath: file) ? ["--attestations", file] : []
        return await Report(
            try run(dir, ["verify", "CHECKLIST", "--root", dir.path, "--format", "json"] + attestations + extra))
    }

    static func attest(_ dir: URL, _ arguments: [String]) async throws -> Run {
        try await run(dir, ["attest", "CHECKLIST", "--name", "Ari Chen", "--file", dir.path + "/a.yml"] + arguments)
    }

    @Test("roles: in the config: attest accepts them and refuses others; GO once they attest and sign off")
    func configRoles() async throws {
        let dir = try Self.make(roles: "[DevOps Lead, QA Lead]")
        let refused = try await Self.attest(dir, ["--item", Self.item, "--role", "Intern"])
        #expect(refused.status == 64)
        #expect(refused.stderr.contains("Intern is not a sign-off role"), "\(refused.stderr)")
        #expect(refused.stderr.contains("DevOps Lead, QA Lead"))
        #expect(try await Self.attest(dir, ["--item", Self.item, "--role", "DevOps Lead"]).status == 0)

        let unsigned = try await Self.verify(dir)
        #expect(unsigned.run.status == 1)
        #expect(unsigned.json["verdict"] as? String == "NO-GO")
        #expect((unsigned.json["reasons"] as? [String])?.contains("sign-off missing: DevOps Lead, QA Lead") == true)

        for role in ["DevOps Lead", "QA Lead"] {
            #expect(try await Self.attest(dir, ["--signoff", "--role", role]).status == 0)
        }
        let signed = try await Self.verify(dir)
        #expect(signed.run.status == 0, "\(signed.json["reasons"] ?? "")")
        #expect(signed.json["verdict"] as? String == "GO")
        #expect(signed.item(Self.item)?["status"] as? String == "attested")
        // --role adds a role the config does not name: NO-GO until it signs off.
        let more = try await Self.verify(dir, ["--role", "Security"])
        #expect((more.json["reasons"] as? [String])?.contains("sign-off missing: Security") == true)
    }

    @Test("neither a table nor roles: any role attests; GO on the attestations alone, and the report says so")
    func noRoles() async throws {
        let dir = try Self.make(roles: nil)
        let waiting = try await Self.verify(dir)
        #expect(waiting.json["verdict"] as? String == "NO-GO")
        let caution = (waiting.json["cautions"] as? [String])?.first ?? ""
        #expect(caution.hasPrefix("No sign-off roles"), "\(caution)")
        let attested = try await Self.attest(dir, ["--item", Self.item, "--role", "DevOps"])
        #expect(attested.status == 0, "\(attested.stderr)")
        #expect(attested.stderr.contains("any role may attest"))
        let go = try await Self.verify(dir)
        #expect(go.run.status == 0)
        #expect(go.json["verdict"] as? String == "GO")
        #expect((go.json["coverage"] as? [String: Int])?["attested"] == 1)
    }
}
