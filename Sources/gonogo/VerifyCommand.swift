import ArgumentParser
import Catalog
import Checklist
import Crypto
import DotEnv
import Foundation
import Reports
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
                  gonogo verify checklist.md --sqlite data/messages.db --env-file .env.production --gate ci
                  gonogo verify checklist.md --only 'database-preparation/*' --format json > report.json
                  gonogo verify checklist.md --out gonogo-report      # writes gonogo-report/report.json
                  gonogo verify checklist.md --out r --format junit --format sarif --format html --format markdown
                  gonogo verify checklist.md --attestations attestations.yml --waivers waivers.yml \\
                      --roster roster.yml --out r --sign-key release.key  # a signed, signed-off report
                """
        )

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case text, json, junit, markdown, html, sarif

            /// The file `--out` writes it to.
            var file: String {
                switch self {
                case .text: "report.txt"
                case .json: "report.json"
                case .junit: "report.junit.xml"
                case .markdown: "report.md"
                case .html: "report.html"
                case .sarif: "report.sarif"
                }
            }
        }

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
                "text (default), json, junit, markdown, html, sarif; repeatable with --out (each to its file), "
                    + "else one, on stdout.", valueName: "format"))
        var format: [Format] = []

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

        func validate() throws {
            guard Gate(rawValue: gate) != nil else { throw ValidationError("--gate must be release or ci") }
            if let failOn, failOn != "warn" { throw ValidationError("--fail-on takes only `warn`") }
            if let concurrency, !(1...256).contains(concurrency) {
                throw ValidationError("--concurrency must be from 1 to 256")
            }
            if let timeout, !(timeout > 0 && timeout <= 86_400) {
                throw ValidationError("--timeout must be a number of seconds from 0 to 86400")
            }
            if out == nil, format.filter({ $0 != .text }).count > 1 {
                throw ValidationError(
                    "several formats go to files: add --out DIR (e.g. --out gonogo-report --format junit --format html)"
                )
            }
            if signKey != nil, out == nil {
                throw ValidationError("--sign-key signs report.json in --out DIR: add --out")
            }
        }

        func run() async throws {
            let processEnvironment = ProcessInfo.processInfo.environment
            let document: ChecklistDocument
            let plan: Plan
            var options: VerifyOptions
            let environment: Verify.Environment
            var signingKey: P256.Signing.PrivateKey? = nil
            do {
                document = try ChecklistLoader.load(path: checklist)
                plan = try Catalog.plan(document)
                // A selection that selects nothing would verify nothing and say GO: refuse it.
                for glob in only + skip where !plan.items.contains(where: { IDGlob.matches(glob, $0.id) }) {
                    let example = plan.items.first(where: { $0.kind.family.isAutomated })?.id ?? ""
                    writeError(
                        "\(only.contains(glob) ? "--only" : "--skip") \(glob) matches no item of \(checklist); ids look like "
                            + "\(example) (`gonogo plan \(checklist)` lists them)")
                    throw ExitCode(64)
                }
                let configPath = config ?? Self.defaultConfig(beside: checklist)
                if let configPath {
                    var loaded = try VerifyConfig.load(path: configPath, environment: processEnvironment)
                    // `${VAR}` expands from the environment and the env files: read again with their values
                    // (the process environment winning), once the first reading has said which files they are.
                    if !loaded.envFiles.isEmpty {
                        // The env files are where --root says, when it is given (flags win over the config).
                        let base =
                            root.map { VerifyOptionsPaths.absolute($0, base: FileManager.default.currentDirectoryPath) }
                            ?? VerifyOptions(config: loaded).root
                        let files = try Verify.Environment.load(loaded.envFiles, root: base, process: [:])
                        let merged = files.values.merging(processEnvironment) { _, process in process }
                        loaded = try VerifyConfig.load(path: configPath, environment: merged)
                    }
                    for unset in loaded.unsetVariables {
                        writeAll(
                            "gonogo: warning: \(configPath):\(unset.line): ${\(unset.name)} is not set; the setting is left empty\n",
                            to: 2)
                    }
                    for warning in try loaded.checkOverrides(against: plan) {
                        writeAll("gonogo: warning: \(warning)\n", to: 2)
                    }
                    options = VerifyOptions(config: loaded)
                } else {
                    options = VerifyOptions()
                }
                let cwd = FileManager.default.currentDirectoryPath
                if let root { options.root = VerifyOptionsPaths.absolute(root, base: cwd) }
                if !envFiles.isEmpty { options.envFiles = envFiles.map { VerifyOptionsPaths.absolute($0, base: cwd) } }
                if let sqlite { options.sqlite = VerifyOptionsPaths.absolute(sqlite, base: cwd) }
                if let databaseURL { options.databaseURL = databaseURL }
                if let apiURL { options.apiURL = apiURL }
                if let frontendURL { options.frontendURL = frontendURL }
                options.gate = Gate(rawValue: gate) ?? .release
                options.allowCommands = allowCommands
                options.only = only
                options.skip = skip
                options.failOnWarn = failOn == "warn"
                if let concurrency { options.concurrency = concurrency }
                if let timeout { options.timeout = .milliseconds(Int(timeout * 1000)) }
                if let attestations { options.attestationsFile = VerifyOptionsPaths.absolute(attestations, base: cwd) }
                if let waivers { options.waiversFile = VerifyOptionsPaths.absolute(waivers, base: cwd) }
                if let roster { options.rosterFile = VerifyOptionsPaths.absolute(roster, base: cwd) }
                try options.loadSignoff()
                signingKey = try signKey.map { try SigningKeys.loadPrivate(path: $0) }
                environment = try Verify.Environment.load(
                    options.envFiles, root: options.root, process: processEnvironment)
            } catch let error as ChecklistError {
                writeError(error.description)
                throw ExitCode(2)
            } catch let error as InputFileError {  // a config or an env file
                writeError(error.description)
                throw ExitCode(2)
            }

            let showProgress = isatty(2) == 1 && !format.contains(.json)
            var progress: Verifier.Progress? = nil
            if showProgress {
                progress = { (done: Int, total: Int, item: ItemResult) in
                    let line = "\r\u{1B}[K[\(done)/\(total)] \(item.status.rawValue) " + String(item.id.prefix(70))
                    writeAll(line, to: 2)
                }
            }
            let verified = await Verifier.run(
                plan: plan, options: options, environment: environment, progress: progress)
            if showProgress { writeAll("\r\u{1B}[K", to: 2) }

            let report = Data((verified.json(toolVersion: GoNoGo.version).serialized() + "\n").utf8)
            let machine = format.filter { $0 != .text }
            if let out {
                var written: [String] = []
                do {
                    try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
                    for f in [Format.json] + machine.filter({ $0 != .json }) {
                        try render(f, verified, report: report).write(
                            to: URL(fileURLWithPath: out + "/" + f.file), options: .atomic)
                        written.append(out + "/" + f.file)
                    }
                    if let signingKey {
                        let envelope = try SignedReport.envelope(verified, report: report, key: signingKey)
                        try envelope.write(to: URL(fileURLWithPath: out + "/report.intoto.json"), options: .atomic)
                        written.append(out + "/report.intoto.json")
                    }
                } catch {
                    writeError("cannot write the reports into \(out): \(error.localizedDescription)")
                    throw ExitCode(2)
                }
                if machine == [.json] {
                    writeStdout(String(decoding: report, as: UTF8.self))
                } else {
                    writeStdout(VerifyText.render(verified, color: stdoutWantsColor))
                    writeStdout("Reports: " + written.joined(separator: ", ") + "\n")
                }
            } else if let only = machine.first {
                writeStdout(String(decoding: try render(only, verified, report: report), as: UTF8.self))
            } else {
                writeStdout(VerifyText.render(verified, color: stdoutWantsColor))
            }
            if ProcessInfo.processInfo.environment["GITHUB_ACTIONS"] == "true" {
                // On stdout beside the text summary; on stderr when stdout carries a report a program will read.
                let stdoutIsText = machine.isEmpty || (out != nil && machine != [.json])
                writeAll(GitHubAnnotations.render(verified), to: stdoutIsText ? 1 : 2)
            }
            if !verified.verdict.go { throw ExitCode(1) }
        }

        func render(_ format: Format, _ run: VerifyRun, report: Data) throws -> Data {
            switch format {
            case .json: return report
            case .text: return Data(VerifyText.render(run).utf8)
            case .junit: return Data(ReportJUnit.render(run).utf8)
            case .sarif: return Data(ReportSARIF.render(run, toolVersion: GoNoGo.version).utf8)
            case .html: return Data(ReportHTML.render(run).utf8)
            case .markdown:
                let source = (try? String(contentsOfFile: checklist, encoding: .utf8)) ?? ""
                return Data(ReportMarkdown.render(run, source: source).utf8)
            }
        }

        /// `gonogo.yml` beside the checklist, when it exists.
        static func defaultConfig(beside checklist: String) -> String? {
            let candidate = URL(fileURLWithPath: checklist).deletingLastPathComponent().appendingPathComponent(
                "gonogo.yml"
            ).path
            return FileManager.default.fileExists(atPath: candidate) ? candidate : nil
        }
    }
}

/// Paths given on the command line are relative to the working directory.
enum VerifyOptionsPaths {
    static func absolute(_ path: String, base: String) -> String {
        URL(fileURLWithPath: path.hasPrefix("/") ? path : base + "/" + path).standardizedFileURL.path
    }
}
