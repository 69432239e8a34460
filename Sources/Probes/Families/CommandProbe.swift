import Catalog
import Foundation
import Results

/// `command.run`: a shell command in the root, exit 0 to pass, only with `--allow-commands` (the verifier does not
/// call it otherwise). Output is captured, masked and truncated in the report.
struct CommandProbe: Probe {
    /// The kinds this probe runs: exactly its family's in `Kind.registry` (`ProbeTableTests`).
    let kinds = ["run"].map { Kind(.command, $0) }

    func run(_ item: PlannedItem, in context: ProbeContext) async -> Outcome {
        guard let command = item.params.string("command"), !command.isEmpty else {
            return .error("no command: add params.command for \(item.id) in gonogo.yml")
        }
        let limit = context.settings.itemTimeout
        do {
            let run = try await ProcessRun.run(
                "/bin/sh", ["-c", "cd -- \"$0\" && exec /bin/sh -c \"$1\"", context.settings.root, command],
                timeout: limit, maxOutput: 16 << 10)
            let tail = context.masked(String((run.stderr.isEmpty ? run.stdout : run.stderr).suffix(2000))).trimmed
            var outcome: Outcome
            if run.timedOut {
                outcome = .error("`\(command)` was stopped after \(seconds(limit)) (the check's timeout)")
            } else {
                outcome = .check(
                    run.status == 0, expected: "exit 0", observed: "exit \(run.status)",
                    pass: "`\(command)` succeeded",
                    fail: "`\(command)` failed with exit \(run.status)"
                        + (tail.isEmpty ? "" : ": \(tail.split(separator: "\n").last ?? "")"))
            }
            outcome.details = .object([
                ("stdout", .string(context.masked(run.stdout))), ("stderr", .string(context.masked(run.stderr))),
            ])
            return outcome
        } catch {
            return .error("\(error)")
        }
    }
}
