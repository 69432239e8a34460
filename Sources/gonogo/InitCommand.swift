import ArgumentParser
import Catalog
import Checklist
import DotEnv
import Foundation
import Verify

extension GoNoGo {
    /// `gonogo init CHECKLIST [--root DIR]`: a starter gonogo.yml from what the root holds.
    struct InitCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "init",
            abstract: "Write a starter gonogo.yml: the targets found under the root, and what is still missing.",
            discussion: """
                Looks under the root (bounded: \(Discovery.maxEntries) entries, \(Discovery.maxDepth) levels) for env \
                files, SQLite databases, nginx site files, docs, CI artifacts (JUnit, coverage, Lighthouse) and git, \
                and writes them as settings. What the checklist names itself (its database file, its env files) is \
                left to the checklist, which verify reads anyway. Each target still missing is a commented key naming \
                the items that need it. Values of secrets are never written: a URL from an env file is ${NAME}.

                Examples:
                  gonogo init checklists/sprint5-production.md --root ~/src/chat
                  gonogo init release.md --out ci/gonogo.yml
                  gonogo verify release.md --config gonogo.yml
                """
        )

        @Argument(help: "The checklist.")
        var checklist: String

        @Option(help: ArgumentHelp("The project to look in (default: the current directory).", valueName: "dir"))
        var root: String?

        @Option(help: ArgumentHelp("Where to write (default: gonogo.yml beside the checklist).", valueName: "file"))
        var out: String?

        @Flag(help: "Replace the file if it exists (it is never replaced otherwise).")
        var force = false

        func run() throws {
            try exitingOnInputErrors {
                let cwd = FileManager.default.currentDirectoryPath
                let document = try ChecklistLoader.load(path: checklist)
                let plan = try Planner.plan(document)
                let rootPath = URL(fileURLWithPath: root ?? cwd, relativeTo: URL(fileURLWithPath: cwd + "/"))
                    .standardizedFileURL.path
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: rootPath, isDirectory: &isDirectory), isDirectory.boolValue
                else {
                    writeError("--root \(rootPath): no such directory")
                    throw ExitCode(2)
                }
                let target = URL(
                    fileURLWithPath: out
                        ?? URL(fileURLWithPath: checklist).deletingLastPathComponent().appendingPathComponent(
                            "gonogo.yml"
                        )
                        .path, relativeTo: URL(fileURLWithPath: cwd + "/")
                ).standardizedFileURL
                if FileManager.default.fileExists(atPath: target.path), !force {
                    writeError("\(target.path) exists; nothing written (pass --force to replace it, or --out FILE)")
                    throw ExitCode(1)
                }
                let found = Discovery.scan(rootPath)
                let text = try StarterConfig.render(
                    plan: plan, root: rootPath, configDirectory: target.deletingLastPathComponent().path, found: found)
                try FileManager.default.createDirectory(
                    at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(text.utf8).write(to: target, options: .atomic)
                writeStdout(
                    "gonogo: wrote \(target.path): \(found.envFiles.count) env files, \(found.sqliteFiles.count) "
                        + "SQLite databases, \(found.junit.count + found.coverage.count + found.lighthouse.count) CI "
                        + "artifacts, \(found.docs.count) docs, \(found.nginxFiles.count) nginx files found\n"
                        + "gonogo: next: gonogo plan \(checklist) --config \(target.path) --explain\n")
            }
        }
    }
}
