import Foundation
import Results

extension RunIdentity {
    /// The commit checked out at `root`, a tag pointing at it and whether tracked files changed; nil when `root` is
    /// not a git work tree, git is missing or does not answer within its time (each call is bounded).
    public static func git(at root: String) async -> Git? {
        func git(_ arguments: [String]) async -> ProcessRun? {
            try? await ProcessRun.run("/usr/bin/env", ["git", "-C", root] + arguments, timeout: .seconds(10))
        }
        guard let head = await git(["rev-parse", "--verify", "-q", "HEAD"]), head.status == 0, !head.timedOut else {
            return nil
        }
        let commit = head.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !commit.isEmpty else { return nil }
        // The newest tag at HEAD by version (`v1.10.0` before `v1.9.0`), annotated or not.
        let tags = await git(["tag", "--points-at", "HEAD", "--sort=-v:refname"])
        let tag = tags.flatMap { $0.status == 0 ? $0.stdout.split(separator: "\n").first.map(String.init) : nil }
        let status = await git(["status", "--porcelain", "--untracked-files=no"])
        let dirty = status.map { $0.status == 0 && !$0.stdout.trimmingCharacters(in: .whitespaces).isEmpty } ?? false
        return Git(commit: commit, tag: tag, dirty: dirty)
    }
}
