import ArgumentParser
import Catalog
import Checklist
import Crypto
import DotEnv
import Foundation
import History
import Probes
import Reports
import Results
import Signing
import Verify

#if canImport(Glibc)
    import Glibc
#endif

extension GoNoGo {
    /// `gonogo verify CHECKLIST`: runs every check and gives the verdict.
    struct VerifyCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "Run a checklist's checks against the real thing and give a GO / NO-GO verdict.",
            discussion: """
                Settings come from a gonogo.yml (--config, or gonogo.yml beside the checklist when there is one); \
                flags win over it. Exit codes: 0 GO, 1 NO-GO, 2 an input could not be read (the message names the \
                file and line), 64 usage.

                Examples:
                  gonogo verify checklists/sprint5-production.md --config gonogo.yml
                  gonogo verify checklist.md --sqlite data/messages.db \\
                      --env-file .env.production --gate ci
                  gonogo verify checklist.md --only 'database-preparation/*' \\
                      --format json > report.json
                  # writes gonogo-report/report.json, and each format asked for beside it
                  gonogo verify checklist.md --out gonogo-report
                  gonogo verify checklist.md --out r --format junit --format sarif \\
                      --format html --format markdown
                  # a Pushgateway, node_exporter's textfile collector, a history of runs
                  gonogo verify checklist.md --env-name production \\
                      --push http://127.0.0.1:9091
                  gonogo verify checklist.md --format prometheus > /var/lib/node/gonogo.prom
                  gonogo verify checklist.md --history gonogo-history.db
                  # a signed, signed-off report
                  gonogo verify checklist.md --attestations attestations.yml \\
                      --waivers waivers.yml --roster roster.yml --out r \\
                      --sign-key release.key
                """
        )

        @Argument(help: "The checklist, a Markdown file with GitHub task-list items.")
        var checklist: String

        @Option(help: ArgumentHelp("The config (default: gonogo.yml beside the checklist, if any).", valueName: "file"))
        var config: String?

        @Option(
            help: ArgumentHelp(
                "The directory the config's and the checklist's paths are relative to (default: the config's root). "
                    + "Paths given as flags (--sqlite, --env-file, --out…) are relative to the current directory.",
                valueName: "dir"))
        var root: String?

        @Option(
            name: .customLong("env-file"),
            help: ArgumentHelp("A dotenv file for the env checks (repeatable).", valueName: "file"))
        var envFiles: [String] = []

        @Option(name: .customLong("api-url"), help: ArgumentHelp("The service's base URL.", valueName: "url"))
        var apiURL: String?

        @Option(
            name: .customLong("frontend-url"),
            help: ArgumentHelp("The frontend's base URL, for items about its pages.", valueName: "url"))
        var frontendURL: String?

        @Option(
            help: ArgumentHelp(
                "A connection setting by name, for a family that reads its own (repeatable): --connection redis_url=URL.",
                valueName: "name=value"))
        var connection: [String] = []

        @Option(
            name: .customLong("ca-file"),
            help: ArgumentHelp("A PEM CA bundle to trust for HTTPS checks, instead of the system's.", valueName: "pem"))
        var caFile: String?

        @Flag(help: "No certificate verification for HTTP checks (every such item says so in the report).")
        var insecure = false

        @Option(
            name: .customLong("plain-url"),
            help: ArgumentHelp(
                "The plain-HTTP address that must redirect to HTTPS (default: the API's host on port 80).",
                valueName: "url"))
        var plainURL: String?

        @Option(
            name: .customLong("env-name"),
            help: ArgumentHelp(
                "The environment's name every report carries (production, staging), over the config's `environment:`.",
                valueName: "name"))
        var envName: String?

        @Option(help: ArgumentHelp("The SQLite database file.", valueName: "path"))
        var sqlite: String?

        @Option(name: .customLong("database-url"), help: ArgumentHelp("The PostgreSQL URL.", valueName: "url"))
        var databaseURL: String?

        @Option(help: "release: manual items and sign-offs block; ci: they do not.")
        var gate: String = "release"

        @Option(
            help: ArgumentHelp(
                "Where to write report.json and every --format asked for (created if missing).", valueName: "dir"))
        var out: String?

        @Option(
            help: ArgumentHelp(
                "text (default), json, junit, markdown, html, sarif, prometheus; repeatable with --out (each to its file), "
                    + "else one, on stdout.", valueName: "format"))
        var format: [ReportFormat] = []

        @Option(
            help: ArgumentHelp(
                "Push the run's metrics to a Prometheus Pushgateway (its base URL; grouped by job gonogo, the checklist "
                    + "and the environment), replacing the group's last run.", valueName: "url"))
        var push: String?

        @Option(
            help: ArgumentHelp(
                "Keep the run (items, statuses, observed values, durations, target) in a history: a SQLite file or a "
                    + "postgres:// URL; gonogo history and gonogo diff read it.", valueName: "url"))
        var history: String?

        @OptionGroup var colors: ColorOptions

        @Flag(
            help: ArgumentHelp(
                "SARIF: list the items that need no attention too (passed, attested, skipped); by default only "
                    + "failures, errors, warnings, waived failures and items awaiting a person are results."))
        var sarifPasses = false

        @Option(help: ArgumentHelp("Attestations and sign-offs (YAML; docs/signoff.md).", valueName: "file"))
        var attestations: String?

        @Option(help: ArgumentHelp("Waivers (YAML; docs/signoff.md).", valueName: "file"))
        var waivers: String?

        @Option(
            help: ArgumentHelp(
                "Roles to public keys: attestations then count only when signed by a key of their role.",
                valueName: "file"))
        var roster: String?

        @Option(
            name: .customLong("sign-key"),
            help: ArgumentHelp(
                "Sign the report: writes report.intoto.json (DSSE, in-toto) beside report.json; needs --out.",
                valueName: "pem"))
        var signKey: String?

        @Option(
            name: .customLong("role"),
            help: ArgumentHelp(
                "A role that must sign off (repeatable), beside the checklist's sign-off table and the config's `roles:`.",
                valueName: "role"))
        var roles: [String] = []

        @Flag(help: "Run `command` items (off by default: a checklist from a pull request must not run code).")
        var allowCommands = false

        @Option(help: ArgumentHelp("Only items whose id matches (repeatable; * matches across /).", valueName: "glob"))
        var only: [String] = []

        @Option(help: ArgumentHelp("Skip items whose id matches (repeatable).", valueName: "glob"))
        var skip: [String] = []

        @Option(help: "Checks run at once.")
        var concurrency: Int?

        @Option(help: ArgumentHelp("The whole run's limit.", valueName: "seconds"))
        var timeout: Double?

        @Option(name: .customLong("fail-on"), help: "`warn`: advisory warnings also make the verdict NO-GO.")
        var failOn: String?

        func run() async throws {
            var inputs = VerifySession.Inputs(checklist: checklist)
            inputs.config = config
            inputs.root = root
            inputs.envFiles = envFiles
            inputs.sqlite = sqlite
            for pair in connection {
                guard let equals = pair.firstIndex(of: "=") else { continue }  // validate() refused it
                inputs.connections[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
            }
            for (name, value) in ["database_url": databaseURL, "api_url": apiURL, "frontend_url": frontendURL] {
                if let value { inputs.connections[name] = value }
            }
            inputs.gate = Gate(rawValue: gate)
            inputs.allowCommands = allowCommands
            inputs.only = only
            inputs.skip = skip
            inputs.failOnWarn = failOn == "warn"
            inputs.concurrency = concurrency
            inputs.timeout = timeout.map { .milliseconds(Int($0 * 1000)) }
            (inputs.attestations, inputs.waivers, inputs.roster, inputs.signKey) = (
                attestations, waivers, roster, signKey
            )
            (inputs.caFile, inputs.insecure, inputs.plainURL) = (caFile, insecure, plainURL)
            inputs.roles = roles
            inputs.envName = envName
            inputs.reportDirectory = out
            let session = try VerifySession.prepareForCommand(inputs)

            let showProgress = isatty(2) == 1 && !format.contains(.json)
            let line = ProgressLine(dumb: terminalIsDumb)
            let ticker = showProgress ? line.ticker() : nil
            let verified = await session.run(
                progress: showProgress ? line.progress : nil, started: showProgress ? line.started : nil)
            ticker?.cancel()
            if showProgress { line.clear() }

            let machine = format.filter { $0 != .text }
            if let out {
                let written: [String]
                do {
                    written = try session.write(
                        verified, formats: machine, to: out, toolVersion: GoNoGo.version, sarifPasses: sarifPasses)
                } catch {
                    writeError("cannot write the reports into \(out): \(error.localizedDescription)")
                    throw ExitCode(2)
                }
                if machine == [.json] {
                    writeStdout(
                        String(decoding: ReportFormat.json(verified, toolVersion: GoNoGo.version), as: UTF8.self))
                } else {
                    writeStdout(VerifyText.render(verified, color: colors.stdout))
                    writeStdout("Reports: " + written.joined(separator: ", ") + "\n")
                }
            } else if let only = machine.first {
                let report = ReportFormat.json(verified, toolVersion: GoNoGo.version)
                let source = (try? String(contentsOfFile: checklist, encoding: .utf8)) ?? ""
                writeStdout(
                    String(
                        decoding: only.render(
                            verified, report: report, checklistSource: source, toolVersion: GoNoGo.version,
                            sarifPasses: sarifPasses),
                        as: UTF8.self))
            } else {
                writeStdout(VerifyText.render(verified, color: colors.stdout))
            }
            if ProcessInfo.processInfo.environment["GITHUB_ACTIONS"] == "true" {
                // On stdout beside the text summary; on stderr when stdout carries a report a program will read.
                let stdoutIsText = machine.isEmpty || (out != nil && machine != [.json])
                writeAll(GitHubAnnotations.render(verified), to: stdoutIsText ? 1 : 2)
            }
            if let history {
                do {
                    let record = RunRecord(verified, toolVersion: GoNoGo.version)
                    let id = try await Self.offPool { try History.open(history).append(record) }
                    writeAll("gonogo: kept as run:\(id) in \(RunIdentity.shown(history))\n", to: 2)
                } catch let error as HistoryError {
                    writeError(error.description)
                    throw ExitCode(2)
                }
            }
            if let push {
                do {
                    try await session.push(verified, to: push, toolVersion: GoNoGo.version)
                } catch {
                    // The verdict above stands, but a dashboard would go on showing the last run: not a success.
                    writeError("\(error)")
                    throw ExitCode(2)
                }
            }
            if !verified.verdict.go { throw ExitCode(1) }
        }
    }
}
