import Catalog
import Checklist
import Foundation
import Probes
import Results

/// Everything a run needs: the config file's settings with the command line's on top. What the probes read is
/// ``probe`` (reached directly too: `options.apiURL` is `options.probe.apiURL`); the rest is the run's own.
@dynamicMemberLookup
public struct VerifyOptions: Sendable {
    /// Where things are and how to reach them: what the probes read.
    public var probe = ProbeSettings()

    public subscript<T>(dynamicMember path: WritableKeyPath<ProbeSettings, T>) -> T {
        get { probe[keyPath: path] }
        set { probe[keyPath: path] = newValue }
    }

    public var notApplicable: [VerifyConfig.NotApplicable] = []
    public var overrides: [VerifyConfig.ItemOverride] = []
    public var allowCommands = false
    public var only: [String] = []
    public var skip: [String] = []
    public var gate: Gate = .release
    public var failOnWarn = false
    /// Each check's limit when neither the config nor a flag sets one.
    public static let defaultItemTimeout = ProbeSettings.defaultItemTimeout
    public var timeout: Duration = .seconds(300)
    public var concurrency = max(4, 2 * ProcessInfo.processInfo.activeProcessorCount)
    /// Attestations, waivers and the roster (`--attestations`, `--waivers`, `--roster`).
    public var signoff = SignoffInputs()
    /// Roles that must sign off beyond the checklist's table: the config's `roles:`, then `--role`.
    public var roles: [String] = []
    /// The environment's name for the report: the config's `environment:`, then `--env-name`.
    public var environmentName: String?

    /// Who must sign off `document`: its sign-off table's roles, then ``roles``, each once, in that order.
    public func signoffRoles(of document: ChecklistDocument) -> [String] {
        var seen = Set<String>()
        return (document.roles + roles).filter { seen.insert($0).inserted }
    }
    /// Where ``signoff`` comes from, relative to ``root`` unless absolute; read by ``loadSignoff()``.
    public var attestationsFile: String?
    public var waiversFile: String?
    public var rosterFile: String?

    /// Reads the attestations, waivers and roster files into ``signoff``. Throws `InputFileError` (file and line).
    public mutating func loadSignoff() throws {
        signoff.attestations = try attestationsFile.map { try AttestationFile.load(path: resolve($0)) } ?? []
        signoff.waivers = try waiversFile.map { try WaiverFile.load(path: resolve($0)) } ?? []
        signoff.roster = try rosterFile.map { try Roster.load(path: resolve($0)) }
    }

    public init() {}

    /// `config`'s settings; paths in it are relative to the config file's directory, its `root` too.
    public init(config: VerifyConfig) {
        let base =
            config.path.map { URL(fileURLWithPath: $0).deletingLastPathComponent().path }
            ?? FileManager.default.currentDirectoryPath
        probe.root = Self.absolute(config.root, base: base)
        probe.connections = config.connections
        probe.envFiles = config.envFiles
        // The named keys win over the same names under `connections:`; an absent one leaves that entry alone.
        if let value = config.sqlite { probe.sqlite = value }
        if let value = config.databaseURL { probe.databaseURL = value }
        if let value = config.apiURL { probe.apiURL = value }
        if let value = config.frontendURL { probe.frontendURL = value }
        probe.artifacts = config.artifacts
        probe.targets = config.targets
        notApplicable = config.notApplicable
        roles = config.roles
        environmentName = config.environment
        overrides = config.items
        if let t = config.timeout { timeout = .milliseconds(Int(t * 1000)) }
        if let t = config.itemTimeout { probe.itemTimeout = .milliseconds(Int(t * 1000)) }
        if let c = config.concurrency { concurrency = c }
        probe.http = config.http
        attestationsFile = config.attestations
        waiversFile = config.waivers
        rosterFile = config.roster
    }

    static func absolute(_ path: String, base: String) -> String { ProbeSettings.absolute(path, base: base) }

    /// `path` relative to the root, made absolute.
    public func resolve(_ path: String) -> String { probe.resolve(path) }
}
