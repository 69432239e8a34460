import Catalog

extension ChecklistTargets {
    /// The facts of one kind (`what`), indexed once so that finding the one governing an item costs its depth, not
    /// the number of facts (a long checklist states a database or an env file in every part).
    struct FactIndex {
        /// The first fact stated by each item, for its descendants.
        private var byItem: [Int: Fact] = [:]
        /// Facts stated by an item, with their order in the document, for the item itself.
        private var onItem: [Int: [(order: Int, fact: Fact)]] = [:]
        /// Facts of a whole section, by its heading path, with their order.
        private var bySection: [[String]: [(order: Int, fact: Fact)]] = [:]
        private let document: Fact?

        init(_ what: What, _ facts: [Fact]) {
            let mine = facts.filter { $0.what == what }
            for (order, fact) in mine.enumerated() {
                if let item = fact.item {
                    if byItem[item] == nil { byItem[item] = fact }
                    onItem[item, default: []].append((order, fact))
                } else {
                    bySection[fact.section, default: []].append((order, fact))
                }
            }
            document = ChecklistTargets.documentFact(mine)
        }

        /// The fact that governs item `index`: the nearest ancestor's, else the deepest section's, else the
        /// document's single one.
        func governing(_ index: Int, _ plan: Plan) -> Fact? {
            var ancestor = plan.items[index].item.parent
            while let a = ancestor {
                if let fact = byItem[a] { return fact }
                ancestor = plan.items[a].item.parent
            }
            let section = plan.items[index].item.section
            let line = plan.items[index].item.line
            var enclosing: [(order: Int, fact: Fact)] = []
            for depth in 0...section.count { enclosing += bySection[Array(section[..<depth])] ?? [] }
            enclosing += (onItem[index] ?? []).filter { section.starts(with: $0.fact.section) }
            if let depth = enclosing.map(\.fact.section.count).max() {
                // Two files stated in the same section: the one stated last before the item; none before it, none.
                let deepest = enclosing.filter { $0.fact.section.count == depth }.sorted { $0.order < $1.order }
                    .map(\.fact)
                if Set(deepest.map(\.value)).count == 1 { return deepest.first }
                return deepest.filter { $0.line < line }.max { $0.line < $1.line }
            }
            return document
        }
    }
}
