import Foundation
import TestSupport
import Testing

@Suite("gonogo demo")
struct DemoTests {
    @Test("ends with a verdict and every report; nothing failed, manual items await people; chat-api is stopped")
    func demo() throws {
        let out = try temporaryDirectory().appendingPathComponent("report").path
        let run = try gonogo(["demo", "--out", out])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("Verdict: NO-GO"))
        #expect(run.stdout.contains("Attest one: gonogo attest checklists/sprint5-production.md --item "))
        #expect(run.stdout.contains("Open the HTML report: file://\(out)/report.html"))
        for file in [
            "report.json", "report.junit.xml", "report.md", "report.html", "report.sarif", "report.intoto.json",
            "demo-signing.pub", "chat-api.log",
        ] {
            #expect(FileManager.default.fileExists(atPath: out + "/" + file), "\(file)")
        }
        let report =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/report.json")))
            as? [String: Any] ?? [:]
        // NO-GO only because people have not attested and signed off yet: no check failed or errored.
        let summary = report["summary"] as? [String: Int] ?? [:]
        #expect(summary["fail"] == 0 && summary["error"] == 0, "\(summary)")
        #expect((summary["pass"] ?? 0) > 60)
        let reasons = report["reasons"] as? [String] ?? []
        #expect(
            reasons.count == 2 && reasons[0].contains("manual items await attestation")
                && reasons[1].hasPrefix("sign-off missing"), "\(reasons)")
        // The signed envelope verifies with the key the demo printed.
        let checked = try gonogo(["verify-report", out + "/report.intoto.json", "--key", out + "/demo-signing.pub"])
        #expect(checked.status == 0, "\(checked.stderr)")
        // chat-api was stopped and the temporary project removed.
        let serving = run.stderr.split(separator: "\n").first { $0.contains("chat-api serving https://127.0.0.1:") }
        let port = try #require(serving.flatMap { Int($0.split(separator: ":").last ?? "") }, "\(run.stderr)")
        #expect(!Ports.accepts(port))
        let project = try #require(
            run.stderr.split(separator: "\n").first { $0.contains("demo project in ") }
                .map { String($0.split(separator: " ").last ?? "") })
        #expect(!FileManager.default.fileExists(atPath: project))
        #expect(run.stderr.contains("gonogo demo: chat-api stopped"))
    }
}
