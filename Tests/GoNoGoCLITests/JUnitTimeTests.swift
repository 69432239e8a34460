import Foundation
import TestSupport
import Testing

/// JUnit as CI views read it: a suite's time is its wall time (its checks run concurrently), and a warning that does
/// not block is said on a `warning:` line of the case's system-out.
@Suite("JUnit: suite wall time and warnings")
struct JUnitTimeTests {
    @Test("three 1-second commands in one section: the suite's time is under their sum and at least the longest")
    func wallTime() async throws {
        let dir = try Executables.temporaryDirectory("junit-time")
        let checklist = dir.appendingPathComponent("c.md")
        try Data(
            """
            # Timing
            ## Build
            - [ ] First <!-- gonogo: command.run command="sleep 1" -->
            - [ ] Second <!-- gonogo: command.run command="sleep 1" -->
            - [ ] Third <!-- gonogo: command.run command="sleep 1" -->
            - [ ] Debug toolbar off (optional) <!-- gonogo: env.set name=GONOGO_TEST_NEVER_SET_VARIABLE -->

            """.utf8
        ).write(to: checklist)
        let run = try await Blocking.run {
            try gonogo([
                "verify", checklist.path, "--allow-commands", "--gate", "ci", "--concurrency", "4", "--format", "junit",
            ])
        }
        #expect(run.status == 0, "\(run.stderr)")
        let xml = run.stdout
        func seconds(after marker: String) -> Double? {
            guard let r = xml.range(of: marker), let t = xml[r.upperBound...].range(of: "time=\"") else { return nil }
            return Double(xml[t.upperBound...].prefix { $0 != "\"" })
        }
        let suite = try #require(seconds(after: "<testsuite name=\"Build\""))
        let cases = xml.components(separatedBy: "<testcase name=\"").dropFirst().compactMap { part -> Double? in
            guard part.hasPrefix("First") || part.hasPrefix("Second") || part.hasPrefix("Third"),
                let t = part.range(of: "time=\"")
            else { return nil }
            return Double(part[t.upperBound...].prefix { $0 != "\"" })
        }
        try #require(cases.count == 3, "\(xml)")
        #expect(suite < cases.reduce(0, +), "suite \(suite) s, cases \(cases)")
        #expect(suite >= (cases.max() ?? 0) - 0.001, "suite \(suite) s, cases \(cases)")
        // The advisory item failed: a warning that passes, saying so.
        #expect(xml.contains("warning: GONOGO_TEST_NEVER_SET_VARIABLE"), "\(xml)")
    }
}
