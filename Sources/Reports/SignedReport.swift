import Catalog
import Crypto
import Foundation
import Results
import Signing

/// `report.intoto.json`: a DSSE envelope holding an in-toto Statement v1 whose predicate is a test result
/// (docs/signoff.md). Its subjects: `report.json` by its sha256 first (the interface scripts read, and
/// what `verify-report` checks byte for byte), then what was verified, as the test-result predicate means its
/// subjects: the checklist by its sha256 and, when the root is a git work tree without uncommitted changes to tracked
/// files, the deployed commit (`gitCommit`).
public enum SignedReport {
    public static let payloadType = "application/vnd.in-toto+json"
    public static let statementType = "https://in-toto.io/Statement/v1"
    public static let predicateType = "https://in-toto.io/attestation/test-result/v0.1"
    public static let subjectName = "report.json"

    /// PASSED, WARNED or FAILED: NO-GO fails; GO with warnings, waivers or pending items warns.
    public static func result(_ run: VerifyRun) -> String {
        if !run.verdict.go { return "FAILED" }
        let checked = run.results.filter { $0.planned.kind != .group }
        return checked.contains { [.warn, .waived, .manual, .error, .fail].contains($0.status) } ? "WARNED" : "PASSED"
    }

    /// The in-toto Statement for a report whose bytes are `report`.
    public static func statement(_ run: VerifyRun, report: Data) -> Data {
        let checked = run.results.filter { $0.planned.kind != .group }
        func ids(_ standing: VerifyRun.Standing) -> [JSONValue] {
            checked.filter { run.standing(of: $0) == standing }.map { .string($0.id) }
        }
        let document = run.plan.document
        let checklist: JSONValue = .object([
            ("name", .string(document.path)), ("digest", .object([("sha256", .string(document.sha256))])),
        ])
        var subjects: [JSONValue] = [.object([("name", .string(subjectName)), ("digest", digest(report))]), checklist]
        // A work tree with uncommitted changes is not that commit: no commit subject then.
        if let git = run.identity.git, !git.dirty {
            subjects.append(
                .object([
                    ("name", .string(git.tag ?? "HEAD")), ("digest", .object([("gitCommit", .string(git.commit))])),
                ]))
        }
        let statement: JSONValue = .object([
            ("_type", .string(statementType)),
            ("subject", .array(subjects)),
            ("predicateType", .string(predicateType)),
            (
                "predicate",
                .object([
                    ("result", .string(result(run))),
                    (
                        "configuration",
                        .array([checklist])
                    ),
                    // As the verdict reads them (VerifyRun.standing): what blocks fails, with each sign-off the
                    // release gate still needs; skipped items are in none of the three lists.
                    ("passedTests", .array(ids(.passed))),
                    ("warnedTests", .array(ids(.warns))),
                    (
                        "failedTests",
                        .array(
                            ids(.blocks)
                                + (run.gate == .release
                                    ? run.signoff.roles.filter { !$0.signed }.map { .string("sign-off: \($0.role)") }
                                    : [])
                        )
                    ),
                ])
            ),
        ])
        return Data(statement.serialized(pretty: false).utf8)
    }

    /// The signed envelope for `report`.
    public static func envelope(_ run: VerifyRun, report: Data, key: P256.Signing.PrivateKey) throws -> Data {
        try DSSE.sign(payload: statement(run, report: report), payloadType: payloadType, key: key)
    }

    static func digest(_ data: Data) -> JSONValue {
        .object([("sha256", .string(hex(data)))])
    }

    static func hex(_ data: Data) -> String { SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined() }

    /// What a verified envelope says.
    public struct Checked: Sendable {
        public var keyID: String
        public var result: String
        public var reportSHA256: String
        public var checklist: String
        public var checklistSHA256: String
    }

    /// Checks `envelope` with `key` and that it is about exactly `report`: the signature over the DSSE encoding, the
    /// payload type, the statement's type and predicate type, and the subject's sha256 against the report's bytes.
    public static func verify(
        envelope: Data, report: Data, key: P256.Signing.PublicKey
    ) throws(DSSE.Failure)
        -> Checked
    {
        let verified = try DSSE.verify(envelope: envelope, key: key)
        guard verified.payloadType == payloadType else {
            throw DSSE.Failure("the payload type is \(verified.payloadType), not \(payloadType)")
        }
        guard let statement = (try? JSONSerialization.jsonObject(with: verified.payload)) as? [String: Any] else {
            throw DSSE.Failure("the signed payload is not a JSON statement")
        }
        guard statement["_type"] as? String == statementType else {
            throw DSSE.Failure("the statement's _type is not \(statementType)")
        }
        guard statement["predicateType"] as? String == predicateType else {
            throw DSSE.Failure("the predicate type is not \(predicateType)")
        }
        let predicate = statement["predicate"] as? [String: Any] ?? [:]
        let subjects = statement["subject"] as? [[String: Any]] ?? []
        guard let entry = subjects.first(where: { $0["name"] as? String == subjectName }),
            let signed = (entry["digest"] as? [String: Any])?["sha256"] as? String
        else {
            throw DSSE.Failure("the statement has no subject \(subjectName) with a sha256 digest")
        }
        let actual = hex(report)
        guard signed == actual else {
            throw DSSE.Failure(
                "the report does not match the signature: its sha256 is \(actual), the signed one \(signed) "
                    + "(report.json was changed after it was signed, or this is another run's report)")
        }
        let configuration = (predicate["configuration"] as? [[String: Any]])?.first ?? [:]
        return Checked(
            keyID: verified.keyID, result: predicate["result"] as? String ?? "?", reportSHA256: actual,
            checklist: configuration["name"] as? String ?? "?",
            checklistSHA256: (configuration["digest"] as? [String: Any])?["sha256"] as? String ?? "?")
    }
}
