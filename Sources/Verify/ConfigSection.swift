import Catalog
import Yams

/// One section of `gonogo.yml`: its keys, in the order the docs list them, and for each the code that reads its
/// value into `Target`. An unknown key's error lists this table's keys and suggests the nearest, so the "known keys"
/// and the did-you-mean can never drift from what is read.
struct ConfigSection<Target>: Sendable {
    /// Reads `value` (under the key node `key`) into `target`.
    typealias Read = @Sendable (_ reader: NodeReader, _ value: Node, _ key: Node, _ target: inout Target) throws -> Void

    /// How errors name the section: "the config", "http", "a flow step"…
    let name: String
    let keys: [(String, Read)]

    init(_ name: String, _ keys: [(String, Read)]) {
        self.name = name
        self.keys = keys
    }

    var names: [String] { keys.map(\.0) }

    /// Every key of the mapping `node`, read in the file's order; an unknown one is an error at its line. `what` names
    /// this entry in errors when it is one of many (`items.PATTERN`, `http.requests.NAME`).
    func read(_ node: Node, into target: inout Target, _ reader: NodeReader, what: String? = nil) throws {
        for (keyNode, value) in try reader.mapping(node, what: what ?? name) {
            let key = keyNode.string ?? ""
            guard let read = keys.first(where: { $0.0 == key })?.1 else {
                throw reader.error(
                    keyNode,
                    "unknown key `\(key)` (known: \(names.joined(separator: ", ")))"
                        + Suggestion.hint(for: key, in: names))
            }
            try read(reader, value, keyNode, &target)
        }
    }

    /// A fresh `Target` read from `node`.
    func read(_ node: Node, from start: Target, _ reader: NodeReader, what: String? = nil) throws -> Target {
        var target = start
        try read(node, into: &target, reader, what: what)
        return target
    }
}
