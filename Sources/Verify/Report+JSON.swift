import Catalog
import Foundation

/// `report.json`: schema `gonogo.report/v1`, as CONTRACT.md gives it (docs/report.schema.json).
extension VerifyRun {
    public static let schema = "gonogo.report/v1"

    public func json(toolVersion: String) -> JSONValue {
        let document = plan.document
        var checklist: [(String, JSONValue)] = [("path", .string(document.path)), ("sha256", .string(document.sha256))]
        if let title = document.title { checklist.append(("title", .string(title))) }
        checklist.append(("items", .int(results.count)))
        let counts = summary
        let automated = results.filter { $0.planned.kind.family.isAutomated }.count
        return .object([
            ("schema", .string(Self.schema)),
            ("tool", .object([("name", .string("gonogo")), ("version", .string(toolVersion))])),
            ("checklist", .object(checklist)),
            ("gate", .string(gate.rawValue)),
            ("startedAt", .string(Self.timestamp(startedAt))),
            ("durationMs", .int(durationMs)),
            ("verdict", .string(verdict.text)),
            ("reasons", .array(verdict.reasons.map { .string($0) })),
            ("summary", .object(Status.allCases.map { ($0.rawValue, .int(counts[$0] ?? 0)) })),
            ("automated", .int(automated)),
            ("items", .array(results.map(\.json))),
            (
                "signoff",
                .array(
                    document.roles.map {
                        .object([("role", .string($0)), ("status", .string("missing"))])
                    })
            ),
        ])
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}

extension ItemResult {
    public var json: JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("id", .string(id)),
            ("line", .int(planned.item.line)),
            ("section", .array(planned.item.section.map { .string($0) })),
            ("text", .string(planned.item.text)),
            ("kind", .string(planned.kind.description)),
            ("params", planned.params.json),
            ("severity", .string(planned.severity.rawValue)),
        ]
        if let parent = planned.parentID { pairs.append(("parent", .string(parent))) }
        pairs.append(("status", .string(status.rawValue)))
        if let expected = outcome.expected { pairs.append(("expected", .string(expected))) }
        if let observed = outcome.observed { pairs.append(("observed", .string(observed))) }
        pairs.append(("message", .string(outcome.message)))
        pairs.append(("durationMs", .int(durationMs)))
        if let details = outcome.details { pairs.append(("details", details)) }
        return .object(pairs)
    }
}
