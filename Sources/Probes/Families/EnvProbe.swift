import Catalog
import Foundation
import Results

/// `env.*`: the env files and the process environment. A secret's value is never reported: only whether it is set
/// and how long it is.
struct EnvProbe: Probe {
    /// The kinds this probe runs: exactly its family's in `Kind.registry` (`ProbeTableTests`).
    let kinds = ["set", "equals", "not_equals", "not_wildcard", "url"].map { Kind(.env, $0) }

    func run(_ item: PlannedItem, in context: ProbeContext) async -> Outcome {
        guard let name = item.params.string("name") else {
            return .error("no variable named: add params.name for \(item.id) in gonogo.yml")
        }
        // Any `secret` but an explicit false marks it (a value masked on the way in still says secret).
        let secret = item.params["secret"].map { $0 != .bool(false) } ?? false || Secrets.isSecretName(name)
        let scopedFile = item.params.string("env_file")
        guard let env: Probes.Environment = context.environment(for: item) else {
            let file = scopedFile ?? ""
            return .error("cannot read \(name): \(file) does not exist under \(context.settings.root)")
        }
        let where_ = env.sources[name].map { " in \($0)" } ?? ""
        let files =
            scopedFile
            ?? (context.settings.envFiles.isEmpty
                ? "the environment" : context.settings.envFiles.joined(separator: ", "))
        guard let value = env.values[name] else {
            if item.kind.name == "not_equals" {
                return .pass(
                    "\(name) is not set", expected: "\(name) not \(item.params.string("value") ?? "")",
                    observed: "not set")
            }
            return .fail("\(name) is not set in \(files)", expected: "\(name) set", observed: "not set")
        }
        func shown(_ v: String) -> String { secret ? "set (\(v.count) characters)" : "\(name)=\(v)" }
        switch item.kind.name {
        case "set":
            return .check(
                !value.isEmpty, expected: "\(name) set", observed: value.isEmpty ? "empty" : shown(value),
                pass: "\(name) is set\(where_)", fail: "\(name) is empty\(where_)")
        case "equals", "not_equals":
            guard let wanted = item.params.string("value") else {
                return .error("no value to compare: add params.value for \(item.id) in gonogo.yml")
            }
            let same =
                item.params["case_insensitive"] == .bool(true)
                ? value.caseInsensitiveCompare(wanted) == .orderedSame : value == wanted
            let equals = item.kind.name == "equals"
            let expected =
                secret
                ? "\(name) \(equals ? "equal to" : "not") the expected value" : "\(name)\(equals ? "=" : "≠")\(wanted)"
            let ok = equals ? same : !same
            let observed = secret ? (same ? "equal" : "different") : "\(name)=\(value)"
            return .check(
                ok, expected: expected, observed: observed, pass: "\(name) is as expected\(where_)",
                fail: equals
                    ? "\(name) must be \(secret ? "the expected value" : wanted)\(where_)"
                    : "\(name) must not be \(secret ? "that value" : wanted)\(where_)")
        case "not_wildcard":
            let parts = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            let wildcard = parts.contains("*") || value.trimmingCharacters(in: .whitespaces).isEmpty
            return .check(
                !wildcard, expected: "\(name) lists explicit values, no *",
                observed: secret ? shown(value) : "\(name)=\(value)",
                pass: "\(name) names \(parts.count) value\(parts.count == 1 ? "" : "s")\(where_)",
                fail: value.isEmpty ? "\(name) is empty\(where_)" : "\(name) allows any value (*)\(where_)")
        case "url":
            let url = URLComponents(string: value)
            let scheme = url?.scheme?.lowercased() ?? ""
            var problems: [String] = []
            if url == nil || scheme.isEmpty { problems.append("not a URL") }
            if url?.host?.isEmpty ?? true, !scheme.hasPrefix("sqlite") { problems.append("no host") }
            if let wanted = item.params.string("scheme"), !scheme.hasPrefix(wanted.lowercased()) {
                problems.append("scheme \(scheme.isEmpty ? "missing" : scheme), not \(wanted)")
            }
            let observed =
                secret
                ? "set (\(value.count) characters, scheme \(scheme.isEmpty ? "none" : scheme))" : "\(name)=\(value)"
            return .check(
                problems.isEmpty, expected: "\(name) a valid URL", observed: observed,
                pass: "\(name) is a valid \(scheme) URL\(where_)",
                fail: "\(name) is \(problems.joined(separator: ", "))\(where_)")
        default:
            return .unsupported(item.kind)
        }
    }
}
