import Catalog
import Crypto
import Foundation
import Results

/// SARIF 2.1.0, for code-scanning views (GitHub, GitLab, Azure DevOps): one result per item located at its line of the
/// checklist, the item's kind as the rule. `kind` says what came of it: `pass`, `fail`, `review` for an item awaiting a
/// person's attestation, `notApplicable` for a skipped one. A waived failure stays a `fail` with an accepted
/// `suppression` carrying the justification, so the exception is visible and not forgotten. By default only what needs
/// attention is a result (a failure, an error, a warning, a waived failure, an item awaiting a person): a code-scanning
/// view lists every result as a finding; `includePasses` adds the passed, attested and skipped items.
public enum ReportSARIF {
    public static func render(_ run: VerifyRun, toolVersion: String, includePasses: Bool = false) -> String {
        let document = run.plan.document
        let items = run.results.filter { r in
            r.planned.kind != .group && (includePasses || ![.pass, .attested, .skip].contains(r.status))
        }
        var rules: [String] = []
        for r in items where !rules.contains(r.planned.kind.description) { rules.append(r.planned.kind.description) }
        // The verdict's own reasons, so that a code-scanning view shows an error exactly when gonogo exits 1: a
        // missing sign-off, and a NO-GO whose reasons no item result carries.
        let missing = run.gate == .release ? run.signoff.roles.filter { !$0.signed }.map(\.role) : []
        var verdictResults: [(rule: String, text: String)] = missing.map {
            ("gonogo.signoff", "sign-off missing: \($0) (the release gate needs every role's sign-off)")
        }
        if !run.verdict.go {
            verdictResults.append(("gonogo.verdict", "NO-GO: " + run.verdict.reasons.joined(separator: "; ")))
        }
        for (rule, _) in verdictResults where !rules.contains(rule) { rules.append(rule) }
        let results: [JSONValue] =
            items.map { r in
                var (kind, level) = classify(r, failOnWarn: run.failOnWarn)
                // What does not block the verdict (an advisory failure, a warning) is a warning, what does an error.
                if kind == "fail" { level = run.standing(of: r) == .blocks ? "error" : "warning" }
                var text = r.outcome.message
                if let e = r.outcome.expected, let o = r.outcome.observed { text += " (expected \(e); observed \(o))" }
                var pairs: [(String, JSONValue)] = [
                    ("ruleId", .string(r.planned.kind.description)),
                    ("ruleIndex", .int(rules.firstIndex(of: r.planned.kind.description) ?? 0)),
                    ("kind", .string(kind)),
                    ("level", .string(level)),
                    ("message", .object([("text", .string("\(r.planned.item.text): \(text)"))])),
                    ("locations", location(document.path, line: r.planned.item.line)),
                    ("partialFingerprints", fingerprints(r.id, text: r.planned.item.text)),
                ]
                // Every result says whether it is suppressed (SARIF 3.27.23: all results or none carry the array).
                var suppressions: [JSONValue] = []
                if r.status == .waived, let waiver = run.signoff.items[r.id]?.waiver {
                    suppressions.append(
                        .object([
                            // No `status`: absent is accepted (SARIF 3.35.3), and the 2.1.0 schema the tests validate
                            // against (fixtures/schemas/) has none.
                            ("kind", .string("external")),
                            (
                                "justification",
                                .string(
                                    "\(waiver.justification) (approved by \(waiver.approvedBy), until \(waiver.expires))"
                                )
                            ),
                        ]))
                }
                pairs.append(("suppressions", .array(suppressions)))
                pairs.append(
                    (
                        "properties",
                        .object([
                            ("id", .string(r.id)), ("status", .string(r.status.rawValue)),
                            ("severity", .string(r.planned.severity.rawValue)),
                            ("section", .array(r.planned.item.section.map { .string($0) })),
                        ])
                    ))
                return .object(pairs)
            }
            + verdictResults.map { rule, text in
                .object([
                    ("ruleId", .string(rule)), ("ruleIndex", .int(rules.firstIndex(of: rule) ?? 0)),
                    ("kind", .string("fail")), ("level", .string("error")),
                    ("message", .object([("text", .string(text))])),
                    ("locations", location(document.path, line: 1)),
                    ("partialFingerprints", fingerprints(rule, text: rule)),
                    ("suppressions", .array([])),
                ])
            }
        let sarif: JSONValue = .object([
            ("$schema", .string("https://json.schemastore.org/sarif-2.1.0.json")),
            ("version", .string("2.1.0")),
            (
                "runs",
                .array([
                    .object([
                        (
                            "tool",
                            .object([
                                (
                                    "driver",
                                    .object([
                                        ("name", .string("gonogo")),
                                        ("version", .string(toolVersion)),
                                        ("informationUri", .string("https://github.com/gonogo/gonogo")),
                                        (
                                            "rules",
                                            .array(
                                                rules.map(rule))
                                        ),
                                    ])
                                )
                            ])
                        ),
                        (
                            "invocations",
                            .array([
                                .object([
                                    ("executionSuccessful", .bool(true)),
                                    ("startTimeUtc", .string(VerifyRun.timestamp(run.startedAt))),
                                ])
                            ])
                        ),
                        (
                            "automationDetails",
                            .object([("id", .string("gonogo/\(automationName(document.path))/\(run.gate.rawValue)/"))])
                        ),
                        ("originalUriBaseIds", baseIds(document.path)),
                        ("results", .array(results)),
                        (
                            "properties",
                            .object([
                                ("verdict", .string(run.verdict.text)), ("gate", .string(run.gate.rawValue)),
                                ("checklistSha256", .string(document.sha256)), ("summary", .string(run.countsLine)),
                                ("coverage", .string(run.coverageLine ?? "")),
                                ("cautions", .array(run.cautions.map { .string($0) })),
                                ("targets", .array(run.targetLines.map { .string($0) })),
                                ("deployment", run.identity.json),
                            ])
                        ),
                    ])
                ])
            ),
        ])
        return sarif.serialized() + "\n"
    }

    /// A result's `locations`: the checklist file at `line`.
    static func location(_ path: String, line: Int) -> JSONValue {
        .array([
            .object([
                (
                    "physicalLocation",
                    .object([
                        (
                            "artifactLocation",
                            .object([("uri", .string(uri(path))), ("uriBaseId", .string(baseId(path)))])
                        ),
                        ("region", .object([("startLine", .int(max(1, line)))])),
                    ])
                )
            ])
        ])
    }

    /// A rule's short description: the check kind's, or the verdict's own.
    static func ruleText(_ rule: String) -> String {
        switch rule {
        case "gonogo.signoff": return "a role's sign-off the release gate requires"
        case "gonogo.verdict": return "the GO / NO-GO verdict"
        default: return "gonogo check \(rule)"
        }
    }

    /// SARIF's `kind` and `level` for an item: `level` is `none` unless the kind is `fail`, as SARIF asks.
    static func classify(_ r: ItemResult, failOnWarn: Bool) -> (String, String) {
        switch r.status {
        case .pass, .attested: return ("pass", "none")
        case .fail, .error: return ("fail", "error")
        case .warn: return ("fail", failOnWarn ? "error" : "warning")
        case .waived: return ("fail", "error")
        case .manual: return ("review", "none")
        case .skip: return ("notApplicable", "none")
        }
    }

    /// The checklist's URI relative to its base (``baseId(_:)``): a relative path as written (code scanning resolves it
    /// against the repository), an absolute one by its file name under its folder.
    static func uri(_ path: String) -> String {
        let relative = path.hasPrefix("/") ? URL(fileURLWithPath: path).lastPathComponent : path
        return relative.split(separator: "/").map {
            String($0).addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? String($0)
        }.joined(separator: "/")
    }

    /// `%SRCROOT%` (where gonogo ran) for a relative checklist path, `CHECKLISTDIR` (its folder) for an absolute one.
    static func baseId(_ path: String) -> String { path.hasPrefix("/") ? "CHECKLISTDIR" : "%SRCROOT%" }

    /// `originalUriBaseIds`: the base's absolute file URI, ending in `/`.
    static func baseIds(_ path: String) -> JSONValue {
        let folder =
            path.hasPrefix("/")
            ? URL(fileURLWithPath: path).deletingLastPathComponent().path
            : FileManager.default.currentDirectoryPath
        let uri = URL(fileURLWithPath: folder, isDirectory: true).absoluteString
        return .object([(baseId(path), .object([("uri", .string(uri.hasSuffix("/") ? uri : uri + "/"))]))])
    }

    /// `automationDetails.id`'s middle: the checklist's file name without `.md`, as a slug.
    static func automationName(_ path: String) -> String {
        let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        return String(name.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" })
    }

    /// Stable fingerprints: the item's id, and a hash of its text in the form of GitHub's `primaryLocationLineHash`
    /// (hex, then `:` and the occurrence), so a result keeps its identity when lines move.
    static func fingerprints(_ id: String, text: String) -> JSONValue {
        let hash = SHA256.hash(data: Data(text.utf8)).prefix(8).map { String(format: "%02x", $0) }.joined()
        return .object([("gonogoItemId/v1", .string(id)), ("primaryLocationLineHash", .string(hash + ":1"))])
    }

    /// A rule: the kind's summary as its full description, and help that points into docs/verify.md.
    static func rule(_ id: String) -> JSONValue {
        let summary = Kind.registry.first { $0.kind.description == id }?.summary ?? ruleText(id)
        let help =
            "gonogo's `\(id)` check: \(summary). What it tries and reports, and the sentences that get it: "
            + "docs/verify.md and docs/checklist-syntax.md."
        return .object([
            ("id", .string(id)),
            ("shortDescription", .object([("text", .string(ruleText(id)))])),
            ("fullDescription", .object([("text", .string(summary))])),
            ("help", .object([("text", .string(help)), ("markdown", .string(help))])),
            ("helpUri", .string("https://github.com/gonogo/gonogo/blob/main/docs/verify.md")),
        ])
    }
}
