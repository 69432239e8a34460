import Catalog
import DotEnv
import Foundation

/// `gonogo init`: a starter gonogo.yml for a checklist and a project root. What the root holds becomes settings
/// (env files, the SQLite database, artifacts, docs, nginx site files); what the checklist says itself (its database
/// file, its env files, and DATABASE_URL or the API URL in them) stays the checklist's and is noted, since `verify`
/// reads it anyway (``ChecklistTargets``); each target still missing is a commented key naming the items that need it.
/// Secrets are never written: a URL from an env file is `${NAME}`, expanded at verify time.
public enum StarterConfig {
    /// The config text. `root` is absolute; `configDirectory` is where the file will be (root is written relative to
    /// it when under it).
    public static func render(plan: Plan, root: String, configDirectory: String, found: Discovery) throws -> String {
        let facts = ChecklistTargets.facts(plan)
        let exists = { (fact: ChecklistTargets.Fact) in FileManager.default.fileExists(atPath: root + "/" + fact.value)
        }
        let namedEnv = facts.filter { $0.what == .envFile }
        let namedDatabase = facts.filter { $0.what == .database && exists($0) }
        var out = "# gonogo.yml: written by `gonogo init` for \(plan.document.path), from what \(root) holds.\n"
        out += "# Check it with `gonogo plan \(plan.document.path) --config THIS_FILE --explain`; edit freely.\n"
        let relativeRoot =
            root == configDirectory
            ? "." : root.hasPrefix(configDirectory + "/") ? String(root.dropFirst(configDirectory.count + 1)) : root
        out += "root: \(quoted(relativeRoot))\n"

        /// An env file's values; a file that cannot be read is a comment, not the end of init.
        func values(_ file: String) -> [String: String]? {
            do {
                return try DotEnv.load(path: root + "/" + file)
            } catch {
                out += "# \(file) could not be read: \(error)\n"
                return nil
            }
        }
        var settings = ProbeSettingsSeen()
        // The env file for the whole run, when the checklist names none: a production one, then `.env`, then the
        // shallowest; the others listed.
        let ranked = found.envFiles.sorted {
            rank($0) != rank($1) ? rank($0) < rank($1) : $0.split(separator: "/").count < $1.split(separator: "/").count
        }
        if namedEnv.isEmpty, let env = ranked.first {
            out += "env_files: [\(quoted(env))]\n"
            for other in ranked.dropFirst().prefix(10) { out += "#   also found: \(other)\n" }
            if let values = values(env) {
                if let url = values["DATABASE_URL"], url.hasPrefix("postgres") {
                    out += "database_url: ${DATABASE_URL}   # from \(env)\n"
                    settings.databaseURL = true
                }
                if let name = ChecklistTargets.apiURLNames.first(where: { values[$0]?.hasPrefix("http") == true }) {
                    out += "api_url: ${\(name)}   # from \(env)\n"
                    settings.apiURL = true
                }
                if let url = values["DATABASE_URL"], let path = ChecklistTargets.sqlitePath(url) {
                    out += "sqlite: \(quoted(path))   # DATABASE_URL in \(env)\n"
                    settings.sqlite = true
                }
            }
        } else {
            for fact in namedEnv {
                out +=
                    "# env file: \(fact.value), as the checklist says (line \(fact.line))"
                    + (exists(fact) ? "; verify reads it for " : ": NOT FOUND under the root; its items will error. ")
                    + (fact.item == nil
                        ? "the env items of its section (and of the document, when it is the only one), and "
                            + "DATABASE_URL and the API URL in it\n"
                        : "the items under that line\n")
            }
            // What verify will take from the checklist's env file (``ChecklistTargets/discover``), the same choice.
            if let fact = ChecklistTargets.documentFact(namedEnv), exists(fact), let values = values(fact.value) {
                let url = values["DATABASE_URL"] ?? ""
                settings.databaseURL = url.hasPrefix("postgres")
                settings.sqlite = ChecklistTargets.sqlitePath(url) != nil
                settings.apiURL = ChecklistTargets.apiURLNames.contains { values[$0]?.hasPrefix("http") == true }
            }
        }
        if !settings.sqlite {
            if let fact = namedDatabase.first {
                out += "# sqlite: \(fact.value), as the checklist says (line \(fact.line))\n"
                settings.sqlite = true
            } else if let db = found.sqliteFiles.first {
                out += "sqlite: \(quoted(db))\n"
                settings.sqlite = true
            }
        }
        let artifacts = [("junit", found.junit), ("coverage", found.coverage), ("lighthouse", found.lighthouse)]
            .filter { !$0.1.isEmpty }
        if !artifacts.isEmpty {
            out += "artifacts:\n"
            for (name, files) in artifacts { out += "  \(name): [\(files.map(quoted).joined(separator: ", "))]\n" }
        }
        var targets: [(String, [String])] = []
        if !found.docs.isEmpty {
            let docs = found.docs.contains { $0.hasPrefix("docs/") } ? ["docs/**/*.md"] : []
            targets.append(("docs", docs + found.docs.filter { !$0.hasPrefix("docs/") }))
        }
        if !found.nginxFiles.isEmpty { targets.append(("nginx", found.nginxFiles)) }
        if !targets.isEmpty {
            out += "targets:\n"
            for (name, paths) in targets { out += "  \(name): [\(paths.map(quoted).joined(separator: ", "))]\n" }
        }
        if found.git { out += "# git: \(root) is a git repository; the git items read it\n" }
        if found.truncated {
            out += "# (the search stopped after \(Discovery.maxEntries) entries: more may be there)\n"
        }
        out += missing(plan, settings, found: found, artifacts: Set(artifacts.map(\.0)), targets: Set(targets.map(\.0)))
        return out
    }

    /// How likely an env file is the deployment's: production first, then `.env`, then the rest.
    static func rank(_ path: String) -> Int {
        let name = (path.split(separator: "/").last.map(String.init) ?? path).lowercased()
        if name.contains("prod") { return 0 }
        if name == ".env" { return 1 }
        if name.contains("dev") || name.contains("test") || name.contains("local") { return 3 }
        return 2
    }

    struct ProbeSettingsSeen {
        var sqlite = false
        var databaseURL = false
        var apiURL = false
    }

    /// Commented keys for targets no one found, each naming the items that need it.
    static func missing(
        _ plan: Plan, _ seen: ProbeSettingsSeen, found: Discovery, artifacts: Set<String>, targets: Set<String>
    ) -> String {
        var needs: [(key: String, example: String, ids: [String])] = []
        func need(_ key: String, _ example: String, _ id: String) {
            if let i = needs.firstIndex(where: { $0.key == key }) {
                needs[i].ids.append(id)
            } else {
                needs.append((key, example, [id]))
            }
        }
        for p in plan.items where p.kind.family.isAutomated {
            let name = p.kind.name ?? ""
            switch p.kind.family {
            case .http, .tls:
                if !seen.apiURL { need("api_url", "https://HOST", p.id) }
            case .latency:
                if let request = p.params.string("request") {
                    need("http: {requests: {\(request): {method: GET, path: /PATH}}}", "", p.id)
                }
                if p.params.string("target") == "frontend" {
                    need("frontend_url", "https://HOST", p.id)
                } else if !seen.apiURL {
                    need("api_url", "https://HOST", p.id)
                }
            case .postgres: if !seen.databaseURL { need("database_url", "${DATABASE_URL}", p.id) }
            case .sqlite: if !seen.sqlite && p.params["path"] == nil { need("sqlite", "PATH", p.id) }
            case .artifact:
                if p.params["path"] == nil, !artifacts.contains(name) {
                    need("artifacts: {\(name): [PATH or GLOB]}", "", p.id)
                }
            case .file:
                if let target = p.params.string("target"), !targets.contains(target) {
                    need("targets: {\(target): [PATH or GLOB]}", "", p.id)
                }
            default: break
            }
        }
        guard !needs.isEmpty else { return "" }
        var out = "#\n# Not found under the root; these items need them (uncomment and fill in, or mark the items "
        out += "not_applicable):\n"
        for (key, example, ids) in needs {
            let line = example.isEmpty ? key : "\(key): \(example)"
            let shown = ids.prefix(3).joined(separator: ", ") + (ids.count > 3 ? " and \(ids.count - 3) more" : "")
            out += "# \(line)   # \(ids.count) item\(ids.count == 1 ? "" : "s"): \(shown)\n"
        }
        return out
    }

    /// A YAML double-quoted scalar.
    static func quoted(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
