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
}

extension Probe {
    /// ``run(_:in:)`` for a kind the probe claims; ``Outcome/unsupported(_:)`` for any other, before anything runs.
    public func check(_ item: PlannedItem, in context: ProbeContext) async -> Outcome {
        guard kinds.contains(item.kind) else { return .unsupported(item.kind) }
        return await run(item, in: context)
    }

    public func scheduling(of item: PlannedItem, in context: ProbeContext) -> Scheduling { .concurrent }
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
/// `ProbeTableTests`.
public enum ProbeTable {
    public static let byFamily: [Family: any Probe] = [
        .env: EnvProbe(), .file: FileProbe(), .git: GitProbe(), .sqlite: SQLiteProbe(), .command: CommandProbe(),
        .artifact: ArtifactProbe(), .postgres: PostgresProbe(), .http: HTTPProbe(),
        .tls: TLSProbe(), .latency: LatencyProbe(),
    ]
}
