import Catalog
import DotEnv
import Foundation
import Probes
import Results
import Yams

#if canImport(Glibc)
    import Glibc
#endif

/// Typed reads of YAML nodes, each failure naming the line; `${VAR}` expanded in every string.
struct NodeReader: Sendable {
    let file: String
    let environment: [String: String]
    let unset = LockedBox<[(name: String, line: Int)]>([])

    func line(_ node: Node) -> Int { node.mark?.line ?? 0 }

    func error(_ node: Node, _ message: String) -> ConfigError {
        ConfigError(file: file, line: node.mark?.line, message: message)
    }

    func mapping(_ node: Node, what: String) throws -> [(Node, Node)] {
        guard case .mapping(let mapping) = node else { throw error(node, "\(what) must be a mapping (key: value)") }
        return mapping.map { ($0.key, $0.value) }
    }

    func sequence(_ node: Node, what: String) throws -> [Node] {
        guard case .sequence(let sequence) = node else { throw error(node, "\(what) must be a list") }
        return Array(sequence)
    }

    /// A scalar as a string with `${VAR}` expanded; nil when it expands to nothing (an unset variable).
    func string(_ node: Node, _ key: String) throws -> String? {
        guard case .scalar(let scalar) = node else { throw error(node, "\(key) must be a single value") }
        if scalar.string.isEmpty, scalar.style == .plain { return nil }  // `key:` with no value
        let expanded = expand(scalar.string, line: line(node))
        return expanded.isEmpty ? nil : expanded
    }

    /// A scalar or a list of scalars.
    func strings(_ node: Node, _ key: String) throws -> [String] {
        if case .sequence(let sequence) = node {
            return try sequence.compactMap { try string($0, key) }
        }
        return try string(node, key).map { [$0] } ?? []
    }

    func seconds(_ node: Node, _ key: String) throws -> Double {
        guard let value = node.float, value > 0, value <= 86_400 else {
            throw error(node, "\(key) must be a number of seconds from 0 to 86400")
        }
        return value
    }

    /// `params: {key: value}`: scalars (typed as YAML types them) and lists of strings.
    func params(_ node: Node) throws -> Params {
        var params = Params()
        for (k, v) in try mapping(node, what: "params") {
            let key = k.string ?? ""
            switch v {
            case .sequence: params[key] = .list(try strings(v, key))
            case .scalar(let scalar) where key == "threshold":
                // Parsed as an annotation's is: a string here would be ignored and the check run on its default.
                guard let threshold = Threshold(parsing: expand(scalar.string, line: line(v))) else {
                    throw error(v, "params.threshold `\(scalar.string)` is not like \"p95 < 500ms\" or \">= 85%\"")
                }
                params[key] = .threshold(threshold)
            case .scalar(let scalar):
                if scalar.style == .plain, let b = v.bool {
                    params[key] = .bool(b)
                } else if scalar.style == .plain, let i = v.int {
                    params[key] = .int(i)
                } else if scalar.style == .plain, let d = v.float {
                    params[key] = .double(d)
                } else {
                    params[key] = .string(expand(scalar.string, line: line(v)))
                }
            default: throw error(v, "params.\(key) must be a value or a list")
            }
        }
        return params
    }

    /// `${NAME}` from the environment; an unset one expands to nothing and is remembered for a warning.
    func expand(_ text: String, line: Int) -> String {
        guard text.contains("${") else { return text }
        var out = ""
        var rest = Substring(text)
        while let open = rest.range(of: "${") {
            out += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].firstIndex(of: "}") else {
                out += rest[open.lowerBound...]
                return out
            }
            let name = String(rest[open.upperBound..<close])
            if let value = environment[name] {
                out += value
            } else {
                unset.withLock { $0.append((name, line)) }
            }
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }
}

/// Id globs for `--only`, `--skip` and config entries (`fnmatch`): `*` matches any run of characters, `/` included,
/// so `database-preparation/*` takes a section's items at every depth.
public enum IDGlob {
    public static func matches(_ pattern: String, _ id: String) -> Bool {
        fnmatch(pattern, id, 0) == 0
    }
}

extension VerifyConfig {
    /// The `items:` overrides against the checklist's plan, as the run applies them (an item takes the first pattern
    /// that matches it): a param the item's kind does not read is an error at its line (it would be ignored, and the
    /// check run on its default); a pattern that applies to no item, because it matches none or an earlier pattern
    /// takes them all, is a warning (a typo, or a config shared by several checklists), returned for the caller.
    public func checkOverrides(against plan: Plan) throws -> [String] {
        var warnings: [String] = []
        let first = plan.items.map { item in items.firstIndex { IDGlob.matches($0.pattern, item.id) } }
        for (n, override) in items.enumerated() {
            let matched = plan.items.indices.filter { first[$0] == n }.map { plan.items[$0] }
            if matched.isEmpty {
                let shadow = plan.items.indices.first { IDGlob.matches(override.pattern, plan.items[$0].id) }
                    .flatMap { first[$0] }.map { items[$0] }
                warnings.append(
                    "\(path ?? "config"):\(override.line): items: “\(override.pattern)” "
                        + (shadow.map {
                            "applies to nothing: “\($0.pattern)” (line \($0.line)) comes first for its items"
                        }
                            ?? "matches no item of \(plan.document.path)"))
            }
            // The checklist's annotation wins over the config: say so rather than ignore either silently.
            let conflicting = { (item: PlannedItem) in
                override.kind != nil || (override.params?.pairs ?? []).contains { item.params[$0.0] != nil }
            }
            if override.kind != nil || override.params != nil {
                for item in matched where item.source == .annotation && conflicting(item) {
                    let at = item.item.annotations.first.map { ":\($0.line)" } ?? ":\(item.item.line)"
                    warnings.append(
                        "\(path ?? "config"):\(override.line): items: “\(override.pattern)” does not change "
                            + "\(item.id)'s kind or the params its annotation sets: the annotation at "
                            + "\(plan.document.path)\(at) wins over the config")
                }
            }
            guard let params = override.params else { continue }
            for item in matched where item.source != .annotation {
                let kind = override.kind ?? item.kind
                guard kind.family.isAutomated else { continue }
                for (key, _) in params.pairs {
                    if let why = Kind.unknownParameter(key, of: kind) {
                        throw ConfigError(
                            file: path ?? "config", line: override.line,
                            message: "items: “\(override.pattern)” (\(item.id)): \(why)")
                    }
                }
                if let threshold = params.threshold, let why = Threshold.unsuitable(threshold, for: kind) {
                    throw ConfigError(
                        file: path ?? "config", line: override.line,
                        message: "items: “\(override.pattern)” (\(item.id)): threshold \(threshold.description): \(why)"
                    )
                }
            }
        }
        return warnings
    }
}
