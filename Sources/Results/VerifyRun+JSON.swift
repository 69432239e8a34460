import Catalog
import Foundation

/// `report.json`: schema `gonogo.report/v1`, as docs/report.schema.json gives it.
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
            ("target", identity.json),
            ("gate", .string(gate.rawValue)),
            ("startedAt", .string(Self.timestamp(startedAt))),
            ("durationMs", .int(durationMs)),
            ("verdict", .string(verdict.text)),
            ("reasons", .array(verdict.reasons.map { .string($0) })),
            ("summary", .object(Status.allCases.map { ($0.rawValue, .int(counts[$0] ?? 0)) })),
            ("automated", .int(automated)),
            (
                "coverage",
                .object([
                    ("applicable", .int(coverage.applicable)), ("checked", .int(coverage.checked)),
                    ("awaitingAttestation", .int(coverage.awaiting)), ("notApplicable", .int(coverage.skipped)),
                    ("errored", .int(coverage.errored)), ("attested", .int(coverage.attested)),
                ])
            ),
            (
                "targets",
                .array(
                    targets.map {
                        .object([
                            ("name", .string($0.name)), ("value", .string($0.value)), ("source", .string($0.source)),
                            ("items", .int($0.items)),
                        ])
                    })
            ),
            ("cautions", .array(cautions.map { .string($0) })),
            ("items", .array(results.map { $0.json(signoff.items[$0.id]) })),
            ("signoff", .array(signoff.roles.map(\.json))),
            ("notices", .array(signoff.notices.map { .string($0) })),
        ])
    }

    public static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}

extension RoleSignoff {
    var json: JSONValue {
        var pairs: [(String, JSONValue)] = [("role", .string(role))]
        if let entry {
            pairs += [("name", .string(entry.name)), ("date", .string(entry.date))]
            if let signature = entry.signature { pairs.append(("signature", .string(signature))) }
        }
        pairs.append(("status", .string(signed ? "signed" : "missing")))
        if let rejected { pairs.append(("rejected", .string(rejected))) }
        return .object(pairs)
    }
}

extension Attestation {
    var json: JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("status", .string(status)), ("name", .string(name)), ("role", .string(role)), ("date", .string(date)),
        ]
        for (key, value) in [("evidence", evidence), ("note", note), ("expires", expires)] {
            if let value { pairs.append((key, .string(value))) }
        }
        pairs.append(("source", .string("\(file):\(line)")))
        return .object(pairs)
    }
}

extension ItemSignoff {
    var json: [(String, JSONValue)] {
        var pairs: [(String, JSONValue)] = []
        if let a = attestation {
            guard case .object(var fields) = a.json else { return [] }
            fields.append(("signature", .string(attestationSignature ?? "unsigned")))
            fields.append(("counted", .bool(attestationRejected == nil)))
            if let why = attestationRejected { fields.append(("reason", .string(why))) }
            pairs.append(("attestation", .object(fields)))
        }
        if let w = waiver {
            var fields: [(String, JSONValue)] = [
                ("justification", .string(w.justification)), ("expires", .string(w.expires)),
                ("approvedBy", .string(w.approvedBy)), ("source", .string("\(w.file):\(w.line)")),
                ("applied", .bool(waiverNotApplied == nil)),
            ]
            if let why = waiverNotApplied { fields.append(("reason", .string(why))) }
            pairs.append(("waiver", .object(fields)))
        }
        return pairs
    }
}

extension ItemResult {
    public var json: JSONValue { json(nil) }

    public func json(_ signoff: ItemSignoff?) -> JSONValue {
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
        // Why the item has its kind: the rule and the words it matched, or the annotation or config that said so.
        pairs.append(("rule", .string(planned.rule)))
        if !planned.evidence.isEmpty { pairs.append(("evidence", .array(planned.evidence.map { .string($0) }))) }
        if !planned.targetSources.isEmpty {
            pairs.append(
                (
                    "targets",
                    .object(planned.targetSources.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })
                )
            )
        }
        pairs.append(("status", .string(status.rawValue)))
        if let expected = outcome.expected { pairs.append(("expected", .string(expected))) }
        if let observed = outcome.observed { pairs.append(("observed", .string(observed))) }
        pairs.append(("message", .string(outcome.message)))
        pairs.append(("durationMs", .int(durationMs)))
        if let details = outcome.details { pairs.append(("details", details)) }
        if let signoff { pairs += signoff.json }
        return .object(pairs)
    }
}
