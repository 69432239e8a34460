import Foundation

/// What `gonogo init` finds under a project's root: env files, SQLite databases, nginx site files, docs, CI
/// artifacts (JUnit, coverage, Lighthouse) and a git repository. A bounded walk: at most ``maxEntries`` entries,
/// ``maxDepth`` levels, no `.git`, `node_modules`, `.build` or virtualenv; a file's content is sniffed from its first
/// ``sniffBytes`` bytes only.
public struct Discovery: Sendable {
    public var envFiles: [String] = []
    public var sqliteFiles: [String] = []
    public var nginxFiles: [String] = []
    public var docs: [String] = []
    public var junit: [String] = []
    public var coverage: [String] = []
    public var lighthouse: [String] = []
    public var git = false
    /// The walk stopped at ``maxEntries``: what is listed is a part.
    public var truncated = false

    public static let maxEntries = 50_000
    public static let maxDepth = 6
    static let sniffBytes = 4096
    /// Folders whose files are not the deployment's: dependencies, build output, and tests' fixtures.
    static let skipped: Set<String> = [
        ".git", "node_modules", ".build", ".venv", "venv", "__pycache__", ".tox", "vendor", "target", ".next", "dist",
        "fixtures", "testdata", "__fixtures__", "examples",
    ]

    /// Walks `root` (absolute). Paths in the result are relative to it, sorted.
    public static func scan(_ root: String) -> Discovery {
        var found = Discovery()
        let fm = FileManager.default
        found.git = fm.fileExists(atPath: root + "/.git")
        guard let walker = fm.enumerator(atPath: root) else { return found }
        var seen = 0
        while let entry = walker.nextObject() as? String {
            seen += 1
            if seen > maxEntries {
                found.truncated = true
                break
            }
            let name = (entry as NSString).lastPathComponent
            let full = root + "/" + entry
            // Only directories and regular files: never a FIFO, a device or a socket, whose open can block.
            let type = walker.fileAttributes?[.type] as? FileAttributeType
            if type == .typeDirectory {
                if skipped.contains(name) || walker.level >= maxDepth { walker.skipDescendants() }
                continue
            }
            guard type == .typeRegular else { continue }
            found.classify(entry, name: name, full: full)
        }
        for list in [\Discovery.envFiles, \.sqliteFiles, \.nginxFiles, \.docs, \.junit, \.coverage, \.lighthouse] {
            found[keyPath: list].sort()
        }
        return found
    }

    mutating func classify(_ path: String, name: String, full: String) {
        let lower = name.lowercased()
        if ChecklistTargets.isEnvFile(path) {
            envFiles.append(path)
            return
        }
        let ext = (lower as NSString).pathExtension
        if ["db", "sqlite", "sqlite3", "db3"].contains(ext) {
            if Self.head(full).starts(with: Array("SQLite format 3\u{0}".utf8)) { sqliteFiles.append(path) }
        } else if ext == "md" || ext == "markdown" {
            if path.hasPrefix("docs/") || !path.contains("/") && lower.hasPrefix("readme") { docs.append(path) }
        } else if ext == "conf" {
            let text = String(decoding: Self.head(full), as: UTF8.self)
            if text.contains("server {") || text.contains("server{"),
                text.contains("location") || text.contains("listen")
            {
                nginxFiles.append(path)
            }
        } else if ext == "xml" {
            let text = String(decoding: Self.head(full), as: UTF8.self)
            if text.contains("<testsuite") {
                junit.append(path)
            } else if text.contains("<coverage") && (text.contains("line-rate") || text.contains("lines-covered")) {
                coverage.append(path)
            }
        } else if lower == "lcov.info" {
            coverage.append(path)
        } else if ext == "json" {
            if String(decoding: Self.head(full), as: UTF8.self).contains("\"lighthouseVersion\"") {
                lighthouse.append(path)
            }
        }
    }

    /// The first bytes of a file; empty when it cannot be read.
    static func head(_ path: String) -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: path) else { return [] }
        defer { try? handle.close() }
        return Array((try? handle.read(upToCount: sniffBytes)) ?? Data())
    }
}
