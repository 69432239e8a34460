import ArgumentParser
import Catalog
import Checklist
import DotEnv
import Foundation
import Probes
import Reports
import Results
import Verify

extension GoNoGo {
    /// `gonogo plan CHECKLIST`: what gonogo would check, without checking anything.
    struct PlanCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "plan",
            abstract: "Show the typed checks a checklist becomes, without running them.",
            discussion: """
                Every task item (- [ ] or - [x], at any depth) becomes one planned item with a stable id, its line, \
                its section path, a kind (family.name), params and a severity. An explicit annotation \
                <!-- gonogo: KIND key=value … --> on the item wins over recognition; `gonogo kinds` lists the kinds.

                Examples:
                  gonogo plan checklists/sprint5-production.md
                  gonogo plan checklists/sprint5-production.md --format json | jq '.items[] | select(.kind=="manual") | .id'
                """
        )

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case text, json
        }

        @Argument(help: "The checklist, a Markdown file with GitHub task-list items.")
        var checklist: String

        @Option(help: "Output format: text (a table by section) or json (schema gonogo.plan/v1).")
        var format: Format = .text

        @Option(
            help: ArgumentHelp(
                "A gonogo.yml config. `plan` checks it (YAML, keys, the items it overrides) as `verify` would; its settings take effect with `verify`.",
                valueName: "file"))
        var config: String?

        func run() throws {
            try exitingOnInputErrors {
                if let config { try ChecklistLoader.requireReadableFile(config) }
                let document = try ChecklistLoader.load(path: checklist)
                let plan = try Planner.plan(document)
                if let config {
                    do {
                        let loaded = try VerifyConfig.load(
                            path: config, environment: ProcessInfo.processInfo.environment)
                        for warning in try loaded.checkOverrides(against: plan) {
                            writeAll("gonogo: warning: \(warning)\n", to: 2)
                        }
                    } catch let error as any InputError {
                        writeError(error.description)
                        throw ExitCode(2)
                    }
                }
                switch format {
                case .json: writeStdout(plan.json.serialized() + "\n")
                case .text: writeStdout(PlanText.render(plan, color: stdoutWantsColor))
                }
            }
        }
    }

    /// `gonogo kinds`: every kind an annotation may name.
    struct KindsCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "kinds",
            abstract: "List the check kinds, for annotations such as <!-- gonogo: sqlite.journal_mode mode=wal -->."
        )

        func run() {
            var out = ""
            for entry in Kind.registry {
                let name = entry.kind.description
                out += name + String(repeating: " ", count: max(1, 24 - name.count)) + entry.summary
                if !entry.params.isEmpty { out += "  (params: \(entry.params.map(\.name).joined(separator: " ")))" }
                out += "\n"
            }
            writeStdout(out)
        }
    }
}
