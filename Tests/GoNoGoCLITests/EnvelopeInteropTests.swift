import Foundation
import TestSupport
import Testing

/// The signed report read by the libraries the in-toto ecosystem is built on (PyPI, installed by scripts/test):
/// securesystemslib verifies the DSSE envelope with the key as it loads a PEM by default (its own key id), and
/// in-toto-attestation validates the Statement and the test-result predicate against their protobuf definitions.
@Suite("gonogo signed reports: securesystemslib and in-toto-attestation")
struct EnvelopeInteropTests {
    static let script = """
        import json, sys
        from securesystemslib.signer import SSlibKey
        from securesystemslib.dsse import Envelope
        from google.protobuf import json_format
        from in_toto_attestation.v1 import statement_pb2
        from in_toto_attestation.v1.statement import Statement
        from in_toto_attestation.predicates.test_result.v0 import test_result_pb2
        from cryptography.hazmat.primitives.serialization import load_pem_public_key
        # The key as securesystemslib makes it from a PEM, with its default key id and scheme (none given by hand).
        key = SSlibKey.from_crypto(load_pem_public_key(open(sys.argv[2], "rb").read()))
        envelope = Envelope.from_dict(json.load(open(sys.argv[1])))
        envelope.verify([key], 1)  # raises VerificationError unless a signature of this key id verifies
        statement = Statement.copy_from_pb(json_format.Parse(envelope.payload, statement_pb2.Statement()))
        statement.validate()
        predicate = json.loads(envelope.payload)["predicate"]
        json_format.ParseDict(predicate, test_result_pb2.TestResult())  # unknown or mistyped fields raise
        print("verified", key.keyid, predicate["result"])
        for s in statement.pb.subject:
            print("subject", s.name, ",".join(f"{k}={v}" for k, v in sorted(s.digest.items())))
        """

    @Test(
        "securesystemslib verifies it by its default key id; the Statement and predicate validate; subjects: report, checklist, commit"
    )
    func interop() async throws {
        let python = try #require(
            ProcessInfo.processInfo.environment["GONOGO_TEST_PYTHON"],
            "GONOGO_TEST_PYTHON is not set: run the tests through scripts/test, which installs securesystemslib")
        let dir = try await VerifyFixture.make()
        let out = dir.path + "/out"
        let run = try await Blocking.run {
            _ = try gonogo(["keygen", "--out", dir.path + "/release"])
            return try gonogo([
                "verify", VerifyFixture.checklist, "--config", dir.path + "/gonogo.yml", "--gate", "ci",
                "--only", "database-preparation/sqlite-development/*", "--out", out, "--sign-key",
                dir.path + "/release.key",
            ])
        }
        #expect(run.status == 0, "\(run.stderr)")
        let checked = try await Blocking.run {
            try Executables.run(
                path: python, ["-c", Self.script, out + "/report.intoto.json", dir.path + "/release.pub"])
        }
        #expect(checked.status == 0, "\(checked.stderr)")
        let report =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/report.json")))
            as? [String: Any] ?? [:]
        let checklistSHA = (report["checklist"] as? [String: Any])?["sha256"] as? String ?? "-"
        let commit = ((report["target"] as? [String: Any])?["git"] as? [String: Any])?["commit"] as? String ?? "-"
        let reportSHA = try await Blocking.run {
            try Executables.run(path: "/usr/bin/sha256sum", [out + "/report.json"]).stdout.prefix(64)
        }
        let lines = checked.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("verified ") == true && lines.first?.hasSuffix(" PASSED") == true, "\(lines)")
        #expect(lines.contains("subject \(VerifyFixture.checklist) sha256=\(checklistSHA)"), "\(lines)")
        #expect(lines.contains("subject v1.0.0-s5 gitCommit=\(commit)"), "\(lines)")
        #expect(lines.contains("subject report.json sha256=\(reportSHA)"), "\(lines)")
        #expect(lines.filter { $0.hasPrefix("subject ") }.count == 3, "\(lines)")
        // Uncommitted changes to a tracked file: the tree is not that commit, so it is no subject.
        try Data("# Chat, edited\n".utf8).write(to: dir.appendingPathComponent("README.md"))
        let dirty = try await Blocking.run {
            _ = try gonogo([
                "verify", VerifyFixture.checklist, "--config", dir.path + "/gonogo.yml", "--gate", "ci",
                "--only", "database-preparation/sqlite-development/*", "--out", dir.path + "/dirty", "--sign-key",
                dir.path + "/release.key",
            ])
            return try Executables.run(
                path: python, ["-c", Self.script, dir.path + "/dirty/report.intoto.json", dir.path + "/release.pub"])
        }
        #expect(dirty.status == 0, "\(dirty.stderr)")
        #expect(!dirty.stdout.contains("gitCommit="), "\(dirty.stdout)")
        // gonogo's own check agrees, with the same key id.
        let verified = try await Blocking.run {
            try gonogo(["verify-report", out + "/report.intoto.json", "--key", dir.path + "/release.pub"])
        }
        #expect(verified.status == 0, "\(verified.stderr)")
        let keyid = lines.first?.split(separator: " ").dropFirst().first.map(String.init) ?? "-"
        #expect(verified.stdout.contains("signed by \(keyid)"), "\(verified.stdout)")
    }
}
