import Crypto
import DotEnv
import Foundation
import Signing
import Yams

/// A person's word on an item, or a role's sign-off: one entry of an attestations file.
///
/// ```yaml
/// attestations:
///   - item: security/authentication/passwords-hashed-with-bcrypt
///     status: passed                 # or failed
///     name: Dana Lee
///     role: Security Lead            # a role of the checklist's sign-off table
///     date: 2026-11-26
///     evidence: https://wiki.example.com/audits/2026-11
///     note: reviewed with the auth team
///     expires: 2027-02-26            # optional: after it, the attestation no longer counts
///     signature: MEUCIQ…             # optional: ECDSA P-256 by the author's key (gonogo attest --sign-key)
///   - signoff: true                  # a role's sign-off of the whole release
///     role: QA Lead
///     name: Sam Ortiz
///     date: 2026-11-26
/// ```
public struct Attestation: Sendable, Equatable {
    /// The item's id; nil for a sign-off.
    public var item: String?
    public var status: String
    public var name: String
    public var role: String
    public var date: String
    public var evidence: String?
    public var note: String?
    public var expires: String?
    public var signature: String?
    /// Where it is: the file and the line of its entry.
    public var file: String
    public var line: Int

    public var isSignoff: Bool { item == nil }

    public init(
        item: String?, status: String, name: String, role: String, date: String, evidence: String? = nil,
        note: String? = nil, expires: String? = nil, signature: String? = nil, file: String = "", line: Int = 0
    ) {
        self.item = item
        self.status = status
        self.name = name
        self.role = role
        self.date = date
        self.evidence = evidence
        self.note = note
        self.expires = expires
        self.signature = signature
        self.file = file
        self.line = line
    }

    /// The bytes a signature covers: the checklist's sha256, the item (or `signoff`), the status, the role, the name,
    /// the date and the expiry, one `key: value` per line. A signature made for another version of the checklist, or
    /// moved to another item, role or date, does not verify.
    public func canonical(checklistSHA256: String) -> Data {
        let lines = [
            "gonogo-attestation/v1",
            "checklist-sha256: \(checklistSHA256)",
            "item: \(item ?? "signoff")",
            "status: \(status)",
            "role: \(role)",
            "name: \(name)",
            "date: \(date)",
            "expires: \(expires ?? "")",
        ]
        return Data((lines.joined(separator: "\n") + "\n").utf8)
    }

    /// Signs the canonical form; the signature is DER, base64.
    public mutating func sign(with key: P256.Signing.PrivateKey, checklistSHA256: String) throws {
        signature = try key.signature(for: canonical(checklistSHA256: checklistSHA256)).derRepresentation
            .base64EncodedString()
    }

    /// Whether the signature verifies with `key` over the canonical form.
    public func isSigned(by key: P256.Signing.PublicKey, checklistSHA256: String) -> Bool {
        guard let signature, let der = Data(base64Encoded: signature),
            let parsed = try? P256.Signing.ECDSASignature(derRepresentation: der)
        else { return false }
        return key.isValidSignature(parsed, for: canonical(checklistSHA256: checklistSHA256))
    }

    static let statuses = ["passed", "failed"]
    static let knownKeys = [
        "item", "signoff", "status", "name", "role", "date", "evidence", "note", "expires", "signature",
    ]
}

/// Reading and appending attestation files. Every error names the file and line.
public enum AttestationFile {
    /// The entries of `path`, in file order (a later entry for the same item or role wins).
    public static func load(path: String) throws -> [Attestation] {
        try parse(SignoffYAML.read(path), file: path)
    }

    public static func parse(_ text: String, file: String) throws -> [Attestation] {
        guard let entries = try SignoffYAML.list(text, key: "attestations", file: file) else { return [] }
        return try entries.map { try entry($0, file: file) }
    }

    static func entry(_ node: Node, file: String) throws -> Attestation {
        let fields = try SignoffYAML.fields(node, file: file, what: "an attestation", known: Attestation.knownKeys)
        let line = node.mark?.line ?? 0
        func required(_ key: String) throws -> String {
            guard let value = fields[key]?.value, !value.isEmpty else {
                throw InputFileError(file: file, line: line, message: "an attestation needs `\(key)`")
            }
            return value
        }
        let signoff = fields["signoff"]?.value
        if let signoff, !["true", "yes"].contains(signoff.lowercased()) {
            throw InputFileError(
                file: file, line: fields["signoff"]?.line ?? line, message: "signoff must be true (or be left out)")
        }
        let item = fields["item"]?.value
        if signoff != nil, item != nil {
            throw InputFileError(
                file: file, line: line,
                message: "an entry is an item's attestation (item:) or a sign-off (signoff:), not both")
        }
        if signoff == nil, item == nil {
            throw InputFileError(
                file: file, line: line, message: "an attestation needs `item` (an item id) or `signoff: true`")
        }
        var status = "signed"
        if signoff == nil {
            status = try required("status")
            guard Attestation.statuses.contains(status) else {
                throw InputFileError(
                    file: file, line: fields["status"]?.line ?? line,
                    message: "status must be passed or failed, not \(status)")
            }
        }
        let date = try required("date")
        try SignoffYAML.checkDate(date, file: file, line: fields["date"]?.line ?? line, key: "date")
        if let expires = fields["expires"]?.value {
            try SignoffYAML.checkDate(expires, file: file, line: fields["expires"]?.line ?? line, key: "expires")
        }
        if let signature = fields["signature"]?.value, Data(base64Encoded: signature) == nil {
            throw InputFileError(
                file: file, line: fields["signature"]?.line ?? line,
                message: "signature must be base64 (as gonogo attest writes it)")
        }
        return Attestation(
            item: item, status: status, name: try required("name"), role: try required("role"), date: date,
            evidence: fields["evidence"]?.value, note: fields["note"]?.value, expires: fields["expires"]?.value,
            signature: fields["signature"]?.value, file: file, line: line)
    }

    /// Appends `attestation` to the file at `path` (creating it with a header when missing) without rewriting what is
    /// there: comments and earlier entries stay as they were. The new text is read back before it replaces the file,
    /// so a file this cannot append to safely is left untouched and the error says why.
    public static func append(_ attestation: Attestation, to path: String) throws {
        let existing = FileManager.default.fileExists(atPath: path) ? try SignoffYAML.read(path) : nil
        var text =
            existing ?? "# gonogo attestations: append with `gonogo attest`; see docs/signoff.md\nattestations:\n"
        var indent = "  "
        var count = 0
        if existing != nil {
            if let entries = try SignoffYAML.list(text, key: "attestations", file: path) {
                count = entries.count
                if let first = entries.first, let column = first.mark?.column {
                    // Yams gives the column of the entry's content, one past its "- ".
                    indent = String(repeating: " ", count: max(0, column - 3))
                }
            } else {
                // No `attestations:` list yet (an empty file, or `attestations: []`): start one at the end.
                let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
                if trimmed.hasSuffix("attestations: []") {
                    text = String(trimmed.dropLast(" []".count)) + "\n"
                } else if !trimmed.split(separator: "\n").contains(where: { $0.hasPrefix("attestations:") }) {
                    text = (trimmed.isEmpty ? "" : trimmed + "\n") + "attestations:\n"
                }
            }
        }
        if !text.hasSuffix("\n") { text += "\n" }
        text += render(attestation, indent: indent)
        let reread = try? parse(text, file: path)
        guard let reread, reread.count == count + 1, reread.last?.item == attestation.item,
            reread.last?.signature == attestation.signature
        else {
            throw InputFileError(
                file: path, line: nil,
                message:
                    "cannot append safely: `attestations:` must be the file's last top-level key, a list of entries; "
                    + "the file is unchanged")
        }
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw InputFileError(file: path, line: nil, message: "cannot be written: \(error.localizedDescription)")
        }
    }

    /// One entry as YAML, every value double-quoted (JSON string syntax is valid YAML), so no value can break it.
    static func render(_ a: Attestation, indent: String) -> String {
        var pairs: [(String, String)] = []
        if let item = a.item {
            pairs.append(("item", item))
            pairs.append(("status", a.status))
        } else {
            pairs.append(("signoff", "true"))
        }
        pairs += [("name", a.name), ("role", a.role), ("date", a.date)]
        for (key, value) in [("evidence", a.evidence), ("note", a.note), ("expires", a.expires)] {
            if let value { pairs.append((key, value)) }
        }
        if let signature = a.signature { pairs.append(("signature", signature)) }
        var out = ""
        for (i, (key, value)) in pairs.enumerated() {
            let rendered = key == "signoff" ? "true" : SignoffYAML.quoted(value)
            out += indent + (i == 0 ? "- " : "  ") + "\(key): \(rendered)\n"
        }
        return out
    }
}
