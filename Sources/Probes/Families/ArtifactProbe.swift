import Catalog
import Foundation
import Results

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// `artifact.*`: what CI left behind. JUnit XML (test counts by suite), coverage (Cobertura XML or LCOV), Lighthouse
/// JSON (category scores, metrics, audits). Files come from the item's own `path` (a path or glob the checklist
/// names, like "reports/pytest.xml"), else from `artifacts:` in the config (globs); a file that cannot be parsed is an
/// `error` naming the file and line.
struct ArtifactProbe: Probe {
    /// The kinds this probe runs: exactly its family's in `Kind.registry` (`ProbeTableTests`).
    let kinds = ["junit", "coverage", "lighthouse"].map { Kind(.artifact, $0) }

    func run(_ item: PlannedItem, in context: ProbeContext) async -> Outcome {
        let family = item.kind.name ?? ""
        guard let patterns = item.params.strings("path") ?? context.settings.artifacts[family], !patterns.isEmpty
        else {
            return .error(
                "no \(family) artifacts configured: add `artifacts: {\(family): [PATH or GLOB]}` to gonogo.yml")
        }
        let root = context.settings.root
        let params = item.params
        do {
            return try await Blocking.run {
                let files = patterns.flatMap { PathGlob.files($0, root: root) }
                guard !files.isEmpty else {
                    return .fail(
                        "no \(family) artifact matches \(patterns.joined(separator: ", ")) under \(root)",
                        expected: "a \(family) report", observed: "no file")
                }
                switch family {
                case "junit": return try JUnit.check(params, files: files, root: root)
                case "coverage": return try Coverage.check(params, files: files, root: root)
                case "lighthouse": return try Lighthouse.check(params, files: files, root: root)
                default: return .unsupported(item.kind)
                }
            }
        } catch let error as ProbeError {
            return .error(error.description)
        } catch {
            return .error("\(error)")
        }
    }
}

func readArtifact(_ file: String, root: String) throws -> Data {
    let path = file.hasPrefix("/") ? file : root + "/" + file
    guard let data = FileManager.default.contents(atPath: path) else {
        throw ProbeError.input(file: file, line: nil, "cannot be read")
    }
    return data
}

/// JUnit XML as GitLab, Jenkins, Surefire, pytest and Swift Testing write it: `<testsuites>` or `<testsuite>`
/// roots, nested suites, counts from the attributes or, where they are missing, from the `<testcase>` elements.
enum JUnit {
    struct Suite {
        var name: String
        var file: String
        var tests = 0
        var failures = 0
        var errors = 0
        var skipped = 0
        var passed: Int { tests - failures - errors - skipped }
    }

    /// Counts leaf suites only (a suite of suites would count its children twice): from their attributes, or
    /// from their `<testcase>` elements where the attributes are missing.
    final class Reader: NSObject, XMLParserDelegate {
        struct Open {
            var suite: Suite
            var hasAttributes: Bool
            var hasChildSuites = false
            var cases = (tests: 0, failures: 0, errors: 0, skipped: 0)
        }
        let file: String
        var suites: [Suite] = []
        var stack: [Open] = []
        var inCase = false

        init(file: String) { self.file = file }

        func parser(
            _ parser: XMLParser, didStartElement element: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            switch element {
            case "testsuite":
                if !stack.isEmpty { stack[stack.count - 1].hasChildSuites = true }
                var suite = Suite(name: attributes["name"] ?? "", file: file)
                suite.tests = Int(attributes["tests"] ?? "") ?? 0
                suite.failures = Int(attributes["failures"] ?? "") ?? 0
                suite.errors = Int(attributes["errors"] ?? "") ?? 0
                suite.skipped = Int(attributes["skipped"] ?? attributes["disabled"] ?? "") ?? 0
                stack.append(Open(suite: suite, hasAttributes: attributes["tests"] != nil))
            case "testcase" where !stack.isEmpty:
                inCase = true
                stack[stack.count - 1].cases.tests += 1
            case "failure" where inCase: stack[stack.count - 1].cases.failures += 1
            case "error" where inCase: stack[stack.count - 1].cases.errors += 1
            case "skipped" where inCase: stack[stack.count - 1].cases.skipped += 1
            default: break
            }
        }

        func parser(
            _ parser: XMLParser, didEndElement element: String, namespaceURI: String?, qualifiedName: String?
        ) {
            if element == "testcase" { inCase = false }
            guard element == "testsuite", let open = stack.popLast(), !open.hasChildSuites else { return }
            var suite = open.suite
            if !open.hasAttributes {
                (suite.tests, suite.failures, suite.errors, suite.skipped) = open.cases
            }
            suites.append(suite)
        }
    }

    static func parse(_ file: String, root: String) throws -> [Suite] {
        let data = try readArtifact(file, root: root)
        let parser = XMLParser(data: data)
        let reader = Reader(file: file)
        parser.delegate = reader
        // FoundationXML may return true from parse() and still report an error.
        guard parser.parse(), parser.parserError == nil else {
            throw ProbeError.input(file: file, line: parser.lineNumber, "not well-formed JUnit XML")
        }
        return reader.suites
    }

    static func check(_ params: Params, files: [String], root: String) throws -> Outcome {
        var suites = try files.flatMap { try parse($0, root: root) }
        guard !suites.isEmpty else {
            return .fail(
                "no test suite in \(files.joined(separator: ", "))", expected: "JUnit test suites", observed: "none")
        }
        let wanted = params.string("suite")
        if let wanted {
            let key = wanted.lowercased()
            // By suite name; failing that, by file name (pytest writes one file per run: unit.xml, e2e.xml).
            let named = suites.filter { $0.name.lowercased().contains(key) }
            suites =
                named.isEmpty
                ? suites.filter {
                    URL(fileURLWithPath: $0.file).deletingPathExtension().lastPathComponent.lowercased().contains(key)
                } : named
            guard !suites.isEmpty else {
                return .fail(
                    "no suite named like “\(wanted)” in \(files.joined(separator: ", "))",
                    expected: "suite \(wanted)", observed: "no such suite")
            }
        }
        let total = suites.reduce(into: Suite(name: wanted ?? "all", file: "")) {
            $0.tests += $1.tests
            $0.failures += $1.failures
            $0.errors += $1.errors
            $0.skipped += $1.skipped
        }
        let observed =
            "\(total.tests) tests, \(total.failures) failures, \(total.errors) errors, \(total.skipped) skipped"
        var problems: [String] = []
        // `failures`: how many failing tests (failures and errors) the item tolerates; none unless it says so.
        let tolerated = params.int("failures") ?? 0
        if total.failures + total.errors > tolerated {
            problems.append(
                "\(total.failures + total.errors) failing" + (tolerated > 0 ? " (at most \(tolerated) allowed)" : ""))
        }
        if let tests = params.int("tests"), total.tests < tests {
            problems.append("\(total.tests) tests, expected \(tests)")
        }
        if let passed = params.int("passed"), total.passed < passed {
            problems.append("\(total.passed) passed, expected \(passed)")
        }
        if total.tests == 0 { problems.append("no tests ran") }
        var expected = tolerated > 0 ? "at most \(tolerated) failing" : "no failures"
        if let tests = params.int("tests") { expected = "\(params.int("passed") ?? tests)/\(tests) passing" }
        let label = wanted.map { "suite \($0)" } ?? "all suites"
        return .check(
            problems.isEmpty, expected: expected, observed: observed, pass: "\(label): \(total.passed) passed",
            fail: "\(label): \(problems.joined(separator: "; "))")
    }
}
