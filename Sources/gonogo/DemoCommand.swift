import ArgumentParser
import Demo
import Dispatch
import Foundation
import Probes
import Reports
import Results
import Verify

#if canImport(Glibc)
    import Glibc
#endif

extension GoNoGo {
    /// `gonogo demo`: the embedded default.
    struct DemoCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "demo",
            abstract: "Start chat-api on loopback, verify the Sprint 5 checklist against it, write every report.",
            discussion: """
                Needs no network and no setup: chat-api runs as a child on a free 127.0.0.1 port, on SQLite in a \
                temporary folder, over HTTPS with a certificate made for the run, with two users and seeded data. \
                The checklist is checklists/sprint5-production.md and the config checklists/demo.gonogo.yml (what \
                does not apply to chat-api is skipped there, with the reason). Reports go to --out: report.json, \
                .junit.xml, .md, .html, .sarif, and report.intoto.json signed with a key made for this run \
                (demo-signing.pub). Manual items await attestation: the summary prints the command that signs one.

                The exit code is 0 when the demo ran to the end, whatever the verdict (under the release gate it is \
                NO-GO until people attest the manual items); 1 when it could not run.

                Examples:
                  gonogo demo
                  # keep the demo's project folder to look around
                  gonogo demo --out /tmp/report --keep
                  # checklists/demo.gonogo.yml plus attestations: …
                  gonogo demo --config my-demo.yml
                """
        )

        @Option(help: ArgumentHelp("Where the reports go.", valueName: "dir"))
        var out = "gonogo-report"

        @OptionGroup var colors: ColorOptions

        @Flag(help: "Keep the temporary project folder (database, env file, certificate).")
        var keep = false

        @Option(help: ArgumentHelp("The gonogo repository (default: found from the executable).", valueName: "dir"))
        var repository: String?

        @Option(
            help: ArgumentHelp(
                "A config instead of checklists/demo.gonogo.yml, read as gonogo verify reads one (attestations, "
                    + "waivers, overrides); ${GONOGO_DEMO_ROOT}, ${GONOGO_API_URL}… name the demo's deployment.",
                valueName: "file"))
        var config: String?

        @Flag(help: "Run `command` items of the --config given (the shipped config's one command always runs).")
        var allowCommands = false

        func run() async throws {
            var options = DemoRun.Options(
                out: ProbeSettings.absolute(out, base: FileManager.default.currentDirectoryPath))
            options.keep = keep
            options.toolVersion = GoNoGo.version
            options.repository = repository
            options.allowCommands = allowCommands
            options.config = config.map {
                ProbeSettings.absolute($0, base: FileManager.default.currentDirectoryPath)
            }
            let interrupt = Self.stopChildOnInterrupt()
            defer { interrupt.cancel() }
            let result: DemoRun.Result
            do {
                result = try await DemoRun.run(options) { line in writeAll("gonogo demo: \(line)\n", to: 2) }
            } catch {
                writeError("demo: \(error)")
                throw ExitCode(1)
            }
            writeStdout("\n" + VerifyText.render(result.run, color: colors.stdout))
            // What the demo wrote: every format's file (the text is on the screen), then the signed envelope.
            let reports =
                (ReportFormat.allCases.filter { $0 != .text }.map(\.file).sorted() + [ReportFormat.envelopeFile])
                .joined(separator: ", ")
            writeStdout(
                """

                Reports in \(out)/: \(reports)
                Open the HTML report: file://\(options.out)/report.html
                Check the signature (a key made for this run): \
                gonogo verify-report \(out)/report.intoto.json --key \(out)/demo-signing.pub

                """)
        }

        /// Ctrl-C stops chat-api before gonogo exits, so no server is left running.
        static func stopChildOnInterrupt() -> DispatchSourceSignal {
            signal(SIGINT, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
            source.setEventHandler {
                DemoRun.interrupt()
                writeAll("\ngonogo demo: interrupted; chat-api stopped, its temporary folder removed\n", to: 2)
                Glibc.exit(130)
            }
            source.resume()
            return source
        }
    }
}
