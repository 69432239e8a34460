import Catalog
import Foundation
import Results

/// A family's runner: one item in, an outcome out. It must stop when its task is cancelled (the item's timeout or the
/// run's has passed: ``CurlClient`` removes its transfers, ``Blocking`` returns at once, a child process is killed)
/// and must never put a secret's value in its outcome.
public protocol Probe: Sendable {
    /// The kinds this probe runs: exactly the kinds of its family that `Kind.registry` declares.
    var kinds: [Kind] { get }
    func run(_ item: PlannedItem, in context: ProbeContext) async -> Outcome
    /// When the run may start `item`: beside the others (the default), or after all of them, alone.
    func scheduling(of item: PlannedItem, in context: ProbeContext) -> Scheduling
    /// The family's kinds and recognition rules, for a family the catalog does not declare itself (nil for the
    /// built-in ones): registered by ``ProbeTable/bootstrap()``.
    var declaration: FamilyDeclaration? { get }
}

extension Probe {
    /// ``run(_:in:)`` for a kind the probe claims; ``Outcome/unsupported(_:)`` for any other, before anything runs.
    public func check(_ item: PlannedItem, in context: ProbeContext) async -> Outcome {
        guard kinds.contains(item.kind) else { return .unsupported(item.kind) }
        return await run(item, in: context)
    }

    public func scheduling(of item: PlannedItem, in context: ProbeContext) -> Scheduling { .concurrent }
    public var declaration: FamilyDeclaration? { nil }
}

/// How a check shares the run with the others.
public enum Scheduling: Sendable, Equatable {
    /// Beside every other check, up to the run's concurrency.
    case concurrent
    /// After every concurrent check has finished, one at a time, in ascending `order` (then file order): for checks
    /// that spend a budget the others share (a rate limit's allowance).
    case alone(order: Int)
}

/// Every family's probe. A registered kind whose family has no probe here, or whose probe does not claim it, fails
/// `ProbeTableTests`. A family the catalog does not declare brings its declaration with its probe: one row here.
public enum ProbeTable {
    /// Registers the declarations of the families whose probes carry one, so the catalog recognises their items and
    /// annotations name their kinds. Called once at startup (gonogo's `main`, `VerifySession.prepare`); again is harmless.
    public static func bootstrap() {
        FamilyRegistry.register(byFamily.values.compactMap(\.declaration))
    }

    public static let byFamily: [Family: any Probe] = [
        .env: EnvProbe(), .file: FileProbe(), .git: GitProbe(), .sqlite: SQLiteProbe(), .command: CommandProbe(),
        .artifact: ArtifactProbe(), .postgres: PostgresProbe(), .http: HTTPProbe(),
        .tls: TLSProbe(), .latency: LatencyProbe(), .browser: BrowserProbe(),
    ]
}
