import Foundation
import TestSupport
import Testing

/// `--help` piped (no terminal: swift-argument-parser wraps at 80 columns): every example stays whole, a command on
/// its line or continued with `\` on an indented one, never cut mid-command by the wrapping.
@Suite("gonogo --help: examples never wrapped")
struct HelpTests {
    static let commands = [
        "", "init", "plan", "verify", "demo", "attest", "keygen", "verify-report", "kinds", "diff", "history",
    ]

    @Test("each command's examples, piped, are whole lines", arguments: commands)
    func examples(_ command: String) async throws {
        let help = try await Blocking.run { try gonogo((command.isEmpty ? [] : [command]) + ["--help"]) }
        #expect(help.status == 0, "\(help.stderr)")
        let lines = help.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let start = try #require(
            lines.firstIndex { $0 == "Examples:" || $0 == "Example:" }, "gonogo \(command) --help has no examples")
        let examples = lines[(start + 1)...].prefix { !$0.isEmpty }
        #expect(!examples.isEmpty)
        for line in examples {
            #expect(
                line.count <= 80 && (line.hasPrefix("  gonogo ") || line.hasPrefix("      ") || line.hasPrefix("  # ")),
                "gonogo \(command) --help: \(line)")
        }
        // A line continued with `\` goes on with an indented one.
        for (line, next) in zip(examples, examples.dropFirst()) where line.hasSuffix("\\") {
            #expect(next.hasPrefix("      "), "gonogo \(command) --help: \(next)")
        }
    }
}
