import Catalog
import Checklist

/// An item's status in a report, as docs/report.schema.json names them.
public enum Status: String, Sendable, CaseIterable, Codable {
    case pass, fail, warn, skip, error, manual, attested, waived

    /// How bad a status is, for a group (the worst of its children) and for sorting: error is worst.
    var badness: Int {
        switch self {
        case .error: 6
        case .fail: 5
        case .manual: 4
        case .warn: 3
        case .pass, .attested, .waived: 1
        case .skip: 0
        }
    }
}

/// What a probe found for one item: a status with what was expected, what was observed, and a message a person can
/// act on. Values of secrets never go in here: a secret is "set (N characters)" at most.
public struct Outcome: Sendable, Equatable {
    public var status: Status
    public var expected: String?
    public var observed: String?
    public var message: String
    /// Extra structured evidence for the JSON report (counts, percentiles, output), or nil.
    public var details: JSONValue?

    public init(
        _ status: Status, expected: String? = nil, observed: String? = nil, message: String, details: JSONValue? = nil
    ) {
        self.status = status
        self.expected = expected
        self.observed = observed
        self.message = message
        self.details = details
    }

    public static func pass(_ message: String, expected: String? = nil, observed: String? = nil) -> Outcome {
        Outcome(.pass, expected: expected, observed: observed, message: message)
    }
    public static func fail(_ message: String, expected: String? = nil, observed: String? = nil) -> Outcome {
        Outcome(.fail, expected: expected, observed: observed, message: message)
    }
    public static func error(_ message: String, expected: String? = nil) -> Outcome {
        Outcome(.error, expected: expected, message: message)
    }
    public static func skip(_ message: String) -> Outcome { Outcome(.skip, message: message) }

    /// What a probe answers for a kind it does not run: never reached for a registered kind (`ProbeTableTests`).
    public static func unsupported(_ kind: Kind) -> Outcome { .error("gonogo cannot run \(kind) checks") }

    /// `pass` when `ok`, else `fail`, with the same expectation and observation.
    public static func check(_ ok: Bool, expected: String, observed: String, pass: String, fail: String) -> Outcome {
        Outcome(ok ? .pass : .fail, expected: expected, observed: observed, message: ok ? pass : fail)
    }
}

/// One item of a verified checklist: the planned check and what came of it.
public struct ItemResult: Sendable {
    public var planned: PlannedItem
    public var outcome: Outcome
    public var durationMs: Int
    /// When its check began, in milliseconds after the run's start; nil for an item no check ran (so that a report
    /// can give a section's wall time, checks running concurrently).
    public var startMs: Int?

    public init(planned: PlannedItem, outcome: Outcome, durationMs: Int) {
        self.planned = planned
        self.outcome = outcome
        self.durationMs = durationMs
    }

    public var id: String { planned.id }
    public var status: Status { outcome.status }
}
