import Catalog
import Foundation
import Results

/// `file.*`: files under the root, by path, glob, or a named target of the config (`targets.docs`).
struct FileProbe: Probe {
    /// The kinds this probe runs: exactly its family's in `Kind.registry` (`ProbeTableTests`).
    let kinds = ["exists", "nonempty", "contains", "absent"].map { Kind(.file, $0) }

    /// Files larger than this are searched only in their first part.
    static let maxSearchBytes = 8 << 20

    func run(_ item: PlannedItem, in context: ProbeContext) async -> Outcome {
        let patterns: [String]
        let what: String
        if let path = item.params.string("path") {
            patterns = [path]
            what = path
        } else if let target = item.params.string("target") {
            guard let configured = context.settings.targets[target], !configured.isEmpty else {
                return .error(
                    "the checklist means the \(target) files, but the config does not say where they are: "
                        + "add `targets: {\(target): [PATH or GLOB]}` to gonogo.yml (or mark the item not applicable)")
            }
            patterns = configured
            what = "\(target) (\(configured.joined(separator: ", ")))"
        } else {
            return .error("no path: add params.path for \(item.id) in gonogo.yml")
        }
        let root = context.settings.root
        let kind = item.kind.name ?? ""
        let pattern = item.params.string("pattern")
        do {
            return try await Blocking.run {
                let files = patterns.flatMap { PathGlob.files($0, root: root) }
                switch kind {
                case "exists":
                    return .check(
                        !files.isEmpty, expected: "\(what) exists", observed: Self.describe(files),
                        pass: "found \(Self.describe(files))", fail: "no file matches \(what) under \(root)")
                case "absent":
                    return .check(
                        files.isEmpty, expected: "no file matches \(what)", observed: Self.describe(files),
                        pass: "no file matches \(what)",
                        fail: "found \(Self.describe(files)); remove it before deploying")
                case "nonempty":
                    guard !files.isEmpty else {
                        return .fail(
                            "no file matches \(what) under \(root)", expected: "\(what) not empty", observed: "missing")
                    }
                    let empty = files.filter { Self.size(root, $0) == 0 }
                    return .check(
                        empty.isEmpty, expected: "\(what) not empty",
                        observed: empty.isEmpty ? Self.describe(files) : "empty: \(empty.joined(separator: ", "))",
                        pass: "\(Self.describe(files)) not empty", fail: "\(empty.joined(separator: ", ")) is empty")
                case "contains":
                    guard let pattern, !pattern.isEmpty else {
                        return .error("nothing to look for: add params.pattern for \(item.id) in gonogo.yml")
                    }
                    guard !files.isEmpty else {
                        return .fail(
                            "no file matches \(what) under \(root)", expected: "\(what) mentions “\(pattern)”",
                            observed: "no such file")
                    }
                    for file in files {
                        if let line = Self.find(pattern, in: root + "/" + file) {
                            return .pass(
                                "found in \(file):\(line)", expected: "\(what) mentions “\(pattern)”",
                                observed: "\(file):\(line)")
                        }
                    }
                    return .fail(
                        "“\(pattern)” is in none of \(Self.describe(files))", expected: "\(what) mentions “\(pattern)”",
                        observed: "not found in \(files.count) file\(files.count == 1 ? "" : "s")")
                default:
                    return .unsupported(item.kind)
                }
            }
        } catch {
            return .error("\(error)")
        }
    }

    static func describe(_ files: [String]) -> String {
        switch files.count {
        case 0: "no file"
        case 1...3: files.joined(separator: ", ")
        default: "\(files.count) files (\(files.prefix(3).joined(separator: ", ")), …)"
        }
    }

    static func size(_ root: String, _ file: String) -> Int {
        let path = file.hasPrefix("/") ? file : root + "/" + file
        return (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    }

    /// The first line of `path` that holds `pattern`, ignoring case and runs of blanks; nil when none does.
    static func find(_ pattern: String, in path: String) -> Int? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        let data = (try? handle.read(upToCount: maxSearchBytes)) ?? Data()
        let needle = normalized(pattern)
        var number = 0
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            if normalized(String(line)).contains(needle) { return number }
        }
        return nil
    }

    static func normalized(_ text: String) -> String {
        text.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }
}
