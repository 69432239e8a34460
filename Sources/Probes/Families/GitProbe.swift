import Catalog
import Foundation
import Results

/// `git.*`: through the `git` executable, in the root.
struct GitProbe: Probe {
    /// The kinds this probe runs: exactly its family's in `Kind.registry` (`ProbeTableTests`).
    let kinds = ["tag", "untracked", "ignored"].map { Kind(.git, $0) }

    func run(_ item: PlannedItem, in context: ProbeContext) async -> Outcome {
        let root = context.settings.root
        func git(_ arguments: [String]) async throws -> ProcessRun {
            try await ProcessRun.run("/usr/bin/env", ["git", "-C", root] + arguments, timeout: .seconds(20))
        }
        do {
            let inside = try await git(["rev-parse", "--is-inside-work-tree"])
            guard inside.status == 0 else {
                return .error("\(root) is not a git work tree (git said: \(inside.stderr.trimmed))")
            }
            switch item.kind.name {
            case "tag":
                // A named tag; with `previous=true` as well, another release to roll back to.
                let name = item.params.string("name")
                if let name {
                    let found = try await git(["rev-parse", "-q", "--verify", "refs/tags/\(name)"])
                    let named = Outcome.check(
                        found.status == 0, expected: "tag \(name)",
                        observed: found.status == 0 ? "tag \(name) exists" : "no tag \(name)",
                        pass: "tag \(name) exists", fail: "no tag \(name): git tag \(name) && git push origin \(name)")
                    guard named.status == .pass, item.params["previous"] == .bool(true) else { return named }
                }
                // "Previous version accessible": a tag besides the newest (or the named) one. Newest first; tags made
                // in the same second are ordered by version, newest first.
                let tags = try await git(["tag", "--sort=-v:refname", "--sort=-creatordate"])
                let list = tags.stdout.split(separator: "\n").map(String.init)
                let previous = name.map { current in list.filter { $0 != current } } ?? Array(list.dropFirst())
                return .check(
                    !previous.isEmpty, expected: "a previous release tag",
                    observed:
                        "\(list.count) tag\(list.count == 1 ? "" : "s")\(list.isEmpty ? "" : ": " + list.prefix(3).joined(separator: ", "))",
                    pass: (name.map { "tag \($0) exists; " } ?? "")
                        + "previous release \(previous.first ?? "") is tagged",
                    fail: "no previous release tag to roll back to")
            case "untracked":
                guard let path = item.params.string("path") else {
                    return .error("no path: add params.path in gonogo.yml")
                }
                let tracked = try await git(["ls-files", "--", path])
                let files = tracked.stdout.split(separator: "\n")
                return .check(
                    files.isEmpty, expected: "\(path) not tracked",
                    observed: files.isEmpty ? "not tracked" : "tracked: \(files.prefix(3).joined(separator: ", "))",
                    pass: "\(path) is not tracked by git", fail: "\(path) is tracked by git: git rm --cached \(path)")
            case "ignored":
                guard let path = item.params.string("path") else {
                    return .error("no path: add params.path in gonogo.yml")
                }
                let ignored = try await git(["check-ignore", "-q", "--no-index", "--", path])
                return .check(
                    ignored.status == 0, expected: "\(path) ignored",
                    observed: ignored.status == 0 ? "ignored" : "not ignored",
                    pass: "\(path) is ignored by git", fail: "\(path) is not ignored: add it to .gitignore")
            default:
                return .unsupported(item.kind)
            }
        } catch {
            return .error("git: \(error)")
        }
    }
}

extension String {
    var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }
}
