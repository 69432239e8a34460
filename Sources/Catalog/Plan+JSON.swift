/// `gonogo plan --format json`: schema `gonogo.plan/v1`.
extension Plan {
    public static let schema = "gonogo.plan/v1"

    public var json: JSONValue {
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
        return .object([
            ("schema", .string(Plan.schema)),
            ("checklist", .object(checklist)),
            ("roles", .array(document.roles.map { .string($0) })),
            ("summary", summary),
            ("items", .array(items.map(\.json))),
        ])
    }
}

extension PlannedItem {
    public var json: JSONValue {
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
        return .object(pairs)
    }
}
