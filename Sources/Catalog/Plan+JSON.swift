/// `gonogo plan --format json`: schema `gonogo.plan/v1`.
extension Plan {
    public static let schema = "gonogo.plan/v1"

    public var json: JSONValue { json(notApplicable: [:]) }

    /// The plan; `notApplicable`: the reason a config skips each item it skips, by id (`gonogo plan --config`).
    public func json(notApplicable: [String: String]) -> JSONValue {
        .object(headerJSON + [("items", .array(items.concurrentMap { $0.json(notApplicable: notApplicable[$0.id]) }))])
    }

    /// ``json(notApplicable:)`` serialised, in pieces to write one after the other (see
    /// ``JSONValue/objectPieces(_:thenArray:count:pretty:element:)``): the same bytes, without the whole tree.
    public func jsonPieces(notApplicable: [String: String]) -> [[UInt8]] {
        let items = items
        return JSONValue.objectPieces(headerJSON, thenArray: "items", count: items.count) { i in
            items[i].json(notApplicable: notApplicable[items[i].id])
        }
    }

    /// Every key of the plan's JSON before `items`.
    private var headerJSON: [(String, JSONValue)] {
        var checklist: [(String, JSONValue)] = [("path", .string(document.path)), ("sha256", .string(document.sha256))]
        if let title = document.title { checklist.append(("title", .string(title))) }
        checklist.append(("items", .int(items.count)))
        let summary: JSONValue = .object([
            ("items", .int(items.count)),
            ("automated", .int(automatedCount)),
            ("manual", .int(count(of: .manual))),
            ("group", .int(count(of: .group))),
            ("advisory", .int(advisoryCount)),
            ("families", .object(countsByFamily.map { ($0.0.rawValue, .int($0.1)) })),
        ])
        return [
            ("schema", .string(Plan.schema)),
            ("checklist", .object(checklist)),
            ("roles", .array(document.roles.map { .string($0) })),
            ("summary", summary),
        ]
    }
}

extension PlannedItem {
    public var json: JSONValue { json(notApplicable: nil) }

    /// The item; `notApplicable`: the reason a config skips it (`gonogo plan --config`).
    public func json(notApplicable: String?) -> JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("id", .string(id)),
            ("line", .int(item.line)),
            ("section", .array(item.section.map { .string($0) })),
            ("text", .string(item.text)),
            ("kind", .string(kind.description)),
            ("params", params.json),
            ("severity", .string(severity.rawValue)),
        ]
        if let parentID { pairs.append(("parent", .string(parentID))) }
        pairs.append(("checked", .bool(item.checked)))
        pairs.append(("source", .string(source.rawValue)))
        pairs.append(("rule", .string(rule)))
        if !evidence.isEmpty { pairs.append(("evidence", .array(evidence.map { .string($0) }))) }
        // Params the checklist's own facts set (a database file its heading names): where each came from.
        if !targetSources.isEmpty {
            pairs.append(
                ("targets", .object(targetSources.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })))
        }
        if let notApplicable { pairs.append(("notApplicable", .string(notApplicable))) }
        return .object(pairs)
    }
}
