import Catalog
import Checklist
import Crypto
import DotEnv
import Foundation
import Probes
import Reports
import Results
import Signing

/// `gonogo verify` as a library: the checklist loaded and planned, the config's layers (the file, its `${VAR}`s, the
/// caller's values on top), the sign-off files and the signing key read, then the run and its reports. The `verify`
/// command and `gonogo demo` are both thin callers of this, so a config behaves the same in either.
///
/// ``prepare(_:)`` reads every input and throws for the first it cannot use: ``ChecklistError``, ``ConfigError``
/// and the other `InputError`s name the file and line (exit code 2); ``SelectionError`` is a usage error (64).
public struct VerifySession: Sendable {
    /// What the caller says on top of the config file: every value given wins over the file's (flags win over the
    /// config, which wins over defaults: docs/verify.md). Paths here are relative to ``workingDirectory``.
    public struct Inputs: Sendable {
        public var checklist: String
        /// The config file; nil: `gonogo.yml` beside the checklist, when there is one.
        public var config: String?
        public var workingDirectory = FileManager.default.currentDirectoryPath
        /// Where `${VAR}` in the config expands from (with the env files' values under it).
        public var variables: [String: String] = ProcessInfo.processInfo.environment
        /// The process environment the env checks see under the env files; nil: none (the demo's deployment is its
        /// env file, not the shell of whoever runs it).
        public var checkedEnvironment: [String: String]? = ProcessInfo.processInfo.environment
        public var root: String?
        public var envFiles: [String] = []
        public var sqlite: String?
        /// Connection settings by name (`database_url`, `api_url`, `frontend_url`…), each replacing the config's.
        public var connections: [String: String] = [:]
        public var gate: Gate?
        public var allowCommands = false
        public var only: [String] = []
        public var skip: [String] = []
        public var failOnWarn = false
        public var concurrency: Int?
        public var timeout: Duration?
        public var attestations: String?
        public var waivers: String?
        public var roster: String?
        /// Roles that must sign off, beyond the sign-off table's and the config's (`--role`).
        public var roles: [String] = []
        /// The environment's name for the report (`--env-name`), over the config's `environment:`.
        public var envName: String?
        /// A PEM private key to sign the report with.
        public var signKey: String?
        /// A CA bundle to trust for HTTPS (`http.ca_file`), no certificate verification (`http.insecure`; every http
        /// item says so), and the plain-HTTP address that must redirect (`http.plain_url`).
        public var caFile: String?
        public var insecure = false
        public var plainURL: String?
        /// The reports' directory (`--out`), where checks keep their files (screenshots).
        public var reportDirectory: String?
        /// Hears each warning as soon as it is known (an error that follows may be its consequence).
        public var warn: (@Sendable (String) -> Void)?

        public init(checklist: String) { self.checklist = checklist }

        /// `path` as given, made absolute against the working directory.
        func absolute(_ path: String) -> String { ProbeSettings.absolute(path, base: workingDirectory) }
    }

    /// An `--only` or `--skip` glob that matches no item: the run would verify nothing and say GO.
    public struct SelectionError: Error, CustomStringConvertible {
        public let description: String
    }

    public let checklistPath: String
    public let plan: Plan
    public let options: VerifyOptions
    public let environment: Probes.Environment
    /// The env files items read by name (the checklist's own, ``ChecklistTargets``), those that exist.
    public let scoped: [String: Probes.Environment]
    /// The targets taken from the checklist, for the report.
    public let targets: [Target]
    public let signingKey: P256.Signing.PrivateKey?
    /// What the person running it should know: `${VAR}`s that were not set, overrides that apply to nothing.
    public let warnings: [String]

    public static func prepare(_ inputs: Inputs) throws -> VerifySession {
        ProbeTable.bootstrap()
        let document = try ChecklistLoader.load(path: inputs.checklist)
        var plan = try Planner.plan(document)
        for glob in inputs.only + inputs.skip where !plan.items.contains(where: { IDGlob.matches(glob, $0.id) }) {
            let example = plan.items.first(where: { $0.kind.family.isAutomated })?.id ?? ""
            throw SelectionError(
                description: "\(inputs.only.contains(glob) ? "--only" : "--skip") \(glob) matches no item of "
                    + "\(inputs.checklist); ids look like \(example) (`gonogo plan \(inputs.checklist)` lists them)")
        }
        var warnings: [String] = []
        var options = VerifyOptions()
        /// Said at once (an error that follows may be its consequence) and kept for the session.
        func warn(_ text: String) {
            warnings.append(text)
            inputs.warn?(text)
        }
        if let path = inputs.config ?? defaultConfig(beside: inputs.checklist) {
            let config = try loadConfig(path, inputs)
            for unset in config.unsetVariables {
                warn("\(path):\(unset.line): ${\(unset.name)} is not set; the setting is left empty")
            }
            for warning in try config.checkOverrides(against: plan) { warn(warning) }
            options = VerifyOptions(config: config)
            // A latency item under a timeout its sampling cannot fit in would always end as an error.
            let overridden = plan.items.map { item -> Kind in
                var item = item
                Verifier.apply(options.overrides, to: &item)
                return item.kind
            }
            if overridden.contains(Kind(.latency, "request")), let error = config.latencySamplingError() {
                throw error
            }
        }
        let declared = options.signoffRoles(of: document)
        apply(inputs, to: &options)
        for role in inputs.roles where !declared.contains(role) {
            warn(
                "--role \(role): gonogo attest accepts only the roles of the sign-off table and of `roles:` in the "
                    + "config; declare it there so its sign-off can be recorded")
        }
        try options.loadSignoff()
        let key = try inputs.signKey.map { try SigningKeys.loadPrivate(path: inputs.absolute($0)) }
        let environment = try Probes.Environment.load(
            options.envFiles, root: options.root, process: inputs.checkedEnvironment ?? [:])
        // The checklist's own facts for what no flag or config set, after the config's overrides.
        for i in plan.items.indices { Verifier.apply(options.overrides, to: &plan.items[i]) }
        let resolved = try ChecklistTargets.resolve(plan, options: options)
        plan = resolved.plan
        options = resolved.options
        // Every env file an item reads by name: the checklist's, and those an annotation or the config gives.
        let named = Set(resolved.envFiles + plan.items.compactMap { $0.params.string("env_file") })
        var scoped: [String: Probes.Environment] = [:]
        for file in named.sorted() where FileManager.default.fileExists(atPath: options.probe.resolve(file)) {
            scoped[file] = try Probes.Environment.load(
                [file], root: options.root, process: inputs.checkedEnvironment ?? [:])
        }
        return VerifySession(
            checklistPath: inputs.checklist, plan: plan, options: options, environment: environment,
            scoped: scoped, targets: resolved.notes, signingKey: key, warnings: warnings)
    }

    /// The config file, read twice when it names env files: `${VAR}` expands from the environment and the env files
    /// (the environment winning), which only the first reading can say.
    static func loadConfig(_ path: String, _ inputs: Inputs) throws -> VerifyConfig {
        let first = try VerifyConfig.load(path: path, environment: inputs.variables)
        guard !first.envFiles.isEmpty else { return first }
        // The env files are where the caller's root says, when it gives one (it wins over the config's).
        let base = inputs.root.map(inputs.absolute) ?? VerifyOptions(config: first).root
        let files = try Probes.Environment.load(first.envFiles, root: base, process: [:])
        return try VerifyConfig.load(path: path, environment: files.values.merging(inputs.variables) { $1 })
    }

    /// The caller's values over the config's.
    static func apply(_ inputs: Inputs, to options: inout VerifyOptions) {
        if let root = inputs.root { options.root = inputs.absolute(root) }
        if !inputs.envFiles.isEmpty { options.envFiles = inputs.envFiles.map(inputs.absolute) }
        if let sqlite = inputs.sqlite { options.sqlite = inputs.absolute(sqlite) }
        for (name, value) in inputs.connections { options.probe.connections[name] = value }
        if let gate = inputs.gate { options.gate = gate }
        if inputs.allowCommands { options.allowCommands = true }
        options.only = inputs.only
        options.skip = inputs.skip
        if inputs.failOnWarn { options.failOnWarn = true }
        if let concurrency = inputs.concurrency { options.concurrency = concurrency }
        if let timeout = inputs.timeout { options.timeout = timeout }
        if let file = inputs.attestations { options.attestationsFile = inputs.absolute(file) }
        if let file = inputs.waivers { options.waiversFile = inputs.absolute(file) }
        if let file = inputs.roster { options.rosterFile = inputs.absolute(file) }
        options.roles += inputs.roles
        if let name = inputs.envName { options.environmentName = name }
        if let file = inputs.caFile { options.http.caFile = inputs.absolute(file) }
        if inputs.insecure { options.http.insecure = true }
        if let url = inputs.plainURL { options.http.plainURL = url }
        if let dir = inputs.reportDirectory { options.probe.reportDirectory = inputs.absolute(dir) }
    }

    /// `gonogo.yml` beside the checklist, when it exists.
    public static func defaultConfig(beside checklist: String) -> String? {
        let candidate = URL(fileURLWithPath: checklist).deletingLastPathComponent()
            .appendingPathComponent("gonogo.yml").path
        return FileManager.default.fileExists(atPath: candidate) ? candidate : nil
    }

    /// Runs every check; `progress` hears of each as it finishes.
    public func run(progress: Verifier.Progress? = nil, started: Verifier.Started? = nil) async -> VerifyRun {
        var run = await Verifier.run(
            plan: plan, options: options, environment: environment, scoped: scoped, progress: progress,
            started: started)
        run.targets = targets
        run.identity = await identity()
        if options.gate == .release, options.signoffRoles(of: plan.document).isEmpty {
            let manual = plan.items.contains { $0.kind == .manual }
            run.cautions.append(
                "No sign-off roles: the checklist has no sign-off table and neither `roles:` in the config nor --role "
                    + "names any, so the release gate needs "
                    + (manual ? "only the attestations of manual items" : "no person's sign-off at all"))
        }
        // A GO under the ci gate says nothing of what the release gate would still need.
        if options.gate == .ci, run.verdict.go {
            let awaiting = run.results.filter {
                $0.planned.kind != .group && $0.status == .manual && $0.planned.severity == .blocker
            }.count
            let missing = run.signoff.roles.filter { !$0.signed }.map(\.role)
            if awaiting > 0 || !missing.isEmpty {
                let parts =
                    (awaiting > 0
                        ? ["\(awaiting) manual blocker\(awaiting == 1 ? " awaits" : "s await") attestation"] : [])
                    + (missing.isEmpty ? [] : ["sign-off missing: \(missing.joined(separator: ", "))"])
                run.cautions.append(
                    "GO under the ci gate only: " + parts.joined(separator: "; ")
                        + "; the release gate would say NO-GO until "
                        + (missing.isEmpty
                            ? "people attest them" : awaiting > 0 ? "people attest and sign" : "they sign"))
            }
        }
        if options.http.insecure {
            run.cautions.append(
                "TLS verification is off (--insecure or http.insecure): HTTPS requests and certificate checks trust any "
                    + "certificate, so a tls.certificate pass says nothing about the chain")
        }
        return run
    }

    /// What this run verifies, for every report: the environment's name, the URLs and databases the checks reach,
    /// and the root's git commit.
    func identity() async -> RunIdentity {
        var identity = RunIdentity()
        // One line, never empty: a name with a line break would break the text reports' lines.
        identity.environment = options.environmentName.map {
            $0.split(whereSeparator: \.isNewline).joined(separator: " ").trimmingCharacters(in: .whitespaces)
        }.flatMap { $0.isEmpty ? nil : $0 }
        for name in ["api_url", "frontend_url"] {
            if let url = options.probe.connections[name], !url.isEmpty { identity.urls[name] = RunIdentity.shown(url) }
        }
        if let plain = options.http.plainURL { identity.urls["plain_url"] = RunIdentity.shown(plain) }
        if let file = options.sqlite, !file.isEmpty {
            let path = options.resolve(file)
            let root = options.root.hasSuffix("/") ? options.root : options.root + "/"
            identity.databases.append(("sqlite", path.hasPrefix(root) ? String(path.dropFirst(root.count)) : path))
        }
        if let url = options.databaseURL, !url.isEmpty {
            identity.databases.append(("postgresql", RunIdentity.postgresLocation(url)))
        }
        identity.git = await RunIdentity.git(at: options.root)
        return identity
    }

    /// Pushes the run's metrics to a Pushgateway (`--push URL`), trusting what the HTTP checks trust.
    public func push(_ run: VerifyRun, to url: String, toolVersion: String) async throws {
        try await Pushgateway.push(
            ReportPrometheus.render(run, toolVersion: toolVersion), run: run, to: url, http: options.http)
    }

    /// Writes `report.json` and every other format of `formats` into `directory` (made if missing), and the signed
    /// envelope when there is a key (``signingKey``, or `key` when given). Returns the paths written, in order.
    public func write(
        _ run: VerifyRun, formats: [ReportFormat], to directory: String, toolVersion: String,
        signingWith key: P256.Signing.PrivateKey? = nil, sarifPasses: Bool = false
    ) throws -> [String] {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let report = ReportFormat.json(run, toolVersion: toolVersion)
        let source = (try? String(contentsOfFile: checklistPath, encoding: .utf8)) ?? ""
        var written: [String] = []
        for format in [ReportFormat.json] + formats.filter({ $0 != .json && $0 != .text }) {
            let path = directory + "/" + format.file
            try format.render(
                run, report: report, checklistSource: source, toolVersion: toolVersion, sarifPasses: sarifPasses
            )
            .write(to: URL(fileURLWithPath: path), options: .atomic)
            written.append(path)
        }
        if let key = key ?? signingKey {
            let path = directory + "/" + ReportFormat.envelopeFile
            try SignedReport.envelope(run, report: report, key: key).write(
                to: URL(fileURLWithPath: path), options: .atomic)
            written.append(path)
        }
        return written
    }
}
