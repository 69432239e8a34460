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
                  gonogo plan checklists/sprint5-production.md --explain
                  gonogo plan checklists/sprint5-production.md \\
                      --config checklists/demo.gonogo.yml
                  gonogo plan checklists/sprint5-production.md --format json \\
                      | jq '.items[] | select(.kind=="manual") | .id'

                --explain shows under each item why it has its kind: the recognition rule and the words of the \
                sentence it matched (also `rule` and `evidence` in the JSON), the annotation, or the config's line.
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

        @OptionGroup var colors: ColorOptions

        @Flag(
            help:
                "Under each item, why it has its kind: the rule and the words it matched, or the annotation or config line."
        )
        var explain = false

        func run() throws {
            try exitingOnInputErrors {
                if let config { try ChecklistLoader.requireReadableFile(config) }
                let document = try ChecklistLoader.load(path: checklist)
                var plan = try Planner.plan(document)
                var skipped: [String: String] = [:]
                var given = (database: false, envFiles: false)
                if let config {
                    do {
                        let loaded = try VerifyConfig.load(
                            path: config, environment: ProcessInfo.processInfo.environment)
                        for warning in try loaded.checkOverrides(against: plan) {
                            writeAll("gonogo: warning: \(warning)\n", to: 2)
                        }
                        // The effective plan: what verify runs under this config, each override's line shown.
                        (plan, skipped) = loaded.effective(plan)
                        given = (loaded.sqlite != nil, !loaded.envFiles.isEmpty)
                    } catch let error as any InputError {
                        writeError(error.description)
                        throw ExitCode(2)
                    }
                }
                // The files the checklist names for the items they govern, as verify takes them (its flags and the
                // config win there too).
                ChecklistTargets.applyFacts(
                    ChecklistTargets.facts(plan), to: &plan, databaseGiven: given.database,
                    envFilesGiven: given.envFiles)
                switch format {
                case .json:
                    // Bytes straight out, piece by piece: a long checklist's plan is tens of megabytes.
                    let pieces = plan.jsonPieces(notApplicable: skipped) + [[UInt8(ascii: "\n")]]
                    for piece in pieces { piece.withUnsafeBufferPointer { writeAll($0, to: 1) } }
                    keptUntilExit((plan, document, pieces))
                case .text:
                    var text = PlanText.render(
                        plan, color: colors.stdout, explain: explain, notApplicable: skipped)
                    if let config {
                        text +=
                            "Config: \(config) (items it overrides show “config, line N” with --explain; "
                            + "\(skipped.count) not applicable)\n"
                    }
                    writeStdout(text)
                }
            }
        }
    }

    /// `gonogo kinds`: every kind an annotation may name.
    struct KindsCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "kinds",
            abstract: "List the check kinds, for annotations such as <!-- gonogo: sqlite.journal_mode mode=wal -->.",
            discussion: """
                Each line: the kind, what it checks, and its params. An annotation on an item names one:
                  - [ ] WAL on <!-- gonogo: sqlite.journal_mode mode=wal -->

                Examples:
                  gonogo kinds
                  gonogo kinds | grep '^http\\.'
                """
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
