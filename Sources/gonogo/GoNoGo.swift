import ArgumentParser
import Checklist
import DotEnv
import Foundation
import Probes

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `gonogo`: a deployment checklist in, typed checks out, a GO / NO-GO verdict at the end.
@main
struct GoNoGo: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "gonogo",
        abstract: "Turn a deployment checklist in Markdown into evidence: typed checks, a verdict, a report.",
        discussion: """
            gonogo reads a GitHub task-list checklist (- [ ] items under headings) and gives every item a kind: \
            a WAL check, an index check, an env-var check, an HSTS check, a latency probe… Items it cannot \
            recognise are `manual`: a named person must attest them. Nothing passes silently.

            Exit codes: 0 GO, 1 NO-GO, 2 could not read an input (the message names the file and line), \
            64 command-line usage error.

            Examples:
              # chat-api started, verified, every report written
              gonogo demo
              gonogo plan checklists/sprint5-production.md
              gonogo init checklists/sprint5-production.md --root ~/src/chat
              gonogo plan checklists/sprint5-production.md --format json > plan.json
              gonogo verify checklists/sprint5-production.md --config gonogo.yml \\
                  --out gonogo-report
              gonogo attest checklists/sprint5-production.md --signoff \\
                  --role "QA Lead" --name "Sam Ortiz" --file attestations.yml
              gonogo keygen --out release
              gonogo verify-report gonogo-report/report.intoto.json --key release.pub
              gonogo diff last~1 last --history gonogo-history.db
              gonogo kinds
            """,
        version: version,
        subcommands: [
            InitCommand.self, PlanCommand.self, VerifyCommand.self, DemoCommand.self, AttestCommand.self,
            KeygenCommand.self,
            VerifyReportCommand.self,
            KindsCommand.self,
            DiffCommand.self,
            HistoryCommand.self,
        ]
    )

    /// The families that probes declare are registered before any command plans a checklist.
    static func main() async {
        // A peer that closes a socket mid-write (a TLS server hanging up during the handshake) must end that check as
        // an error, never kill the process: writes then fail with EPIPE instead of raising SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        ProbeTable.bootstrap()
        do {
            var command = try parseAsRoot()
            if var command = command as? AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}

/// Keeps `value` until the process exits: a long checklist's plan is some hundred thousand values, and freeing them
/// one by one just before exiting cost about 3% of `plan`'s time. For values a command is done with.
func keptUntilExit(_ value: Any) {
    _ = Unmanaged.passRetained(KeptUntilExit(value))
}

private final class KeptUntilExit {
    let value: Any
    init(_ value: Any) { self.value = value }
}

/// Writes all of `text` to a file descriptor (plans of a 10 MB checklist are large); a closed pipe ends quietly.
func writeAll(_ text: String, to fd: Int32) {
    var text = text
    text.withUTF8 { writeAll($0, to: fd) }
}

/// Writes every byte of `bytes` to `fd` (a plan's JSON, tens of megabytes for a long checklist, without a `String`).
func writeAll(_ bytes: UnsafeBufferPointer<UInt8>, to fd: Int32) {
    var offset = 0
    while offset < bytes.count {
        let n = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { break }
        offset += n
    }
}

func writeStdout(_ text: String) { writeAll(text, to: 1) }

/// Prints `gonogo: error: …` to stderr.
func writeError(_ message: String) { writeAll("gonogo: error: \(message)\n", to: 2) }

/// `--color` / `--no-color`, shared by the commands that print text.
struct ColorOptions: ParsableArguments {
    @Flag(
        inversion: .prefixedNo,
        help: ArgumentHelp(
            "Colour the text on stdout, or not (default: when stdout is a terminal, NO_COLOR is unset and TERM is "
                + "not dumb)."))
    var color: Bool? = nil

    /// Whether stdout gets colour: the flag when given, else a terminal that wants it.
    var stdout: Bool { color ?? (isatty(1) == 1 && getenv("NO_COLOR") == nil && !terminalIsDumb) }
}

/// `TERM` unset or `dumb`: a terminal that understands no escape codes (no colour, no erasing a line).
var terminalIsDumb: Bool { (getenv("TERM").map { String(cString: $0) } ?? "dumb") == "dumb" }

/// Runs `body`, turning the input errors of the libraries into exit code 2 with a message naming the file and line.
func exitingOnInputErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as ChecklistError {
        writeError(error.description)
        throw ExitCode(2)
    } catch let error as any InputError {
        writeError(error.description)
        throw ExitCode(2)
    }
}
