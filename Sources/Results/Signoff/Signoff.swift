import Catalog
import Foundation

/// What people said about a release: attestations and sign-offs, waivers, and the roster that says whose word counts
/// for which role. ``Verifier`` applies them after the checks ran and before groups and the verdict.
public struct SignoffInputs: Sendable {
    public var attestations: [Attestation] = []
    public var waivers: [Waiver] = []
    public var roster: Roster?
    /// Today as `YYYY-MM-DD` (UTC): expiries are compared with it.
    public var today: String = SignoffYAML.today()

    /// The status `id` will be reported with once its waiver (if any) is applied: `waived` for a failing, erroring,
    /// warning or manual item with a waiver that has not expired, as ``apply(to:roles:checklistSHA256:)`` decides.
    public func finalStatus(of id: String, _ status: Status) -> Status {
        guard [.fail, .error, .manual, .warn].contains(status),
            waivers.contains(where: { $0.item == id && $0.expires >= today })
        else { return status }
        return .waived
    }

    public init(attestations: [Attestation] = [], waivers: [Waiver] = [], roster: Roster? = nil) {
        self.attestations = attestations
        self.waivers = waivers
        self.roster = roster
    }
}

/// A role's line of the sign-off table in a report.
public struct RoleSignoff: Sendable {
    public var role: String
    /// The sign-off that counts, if any.
    public var entry: Attestation?
    /// Why an entry for this role did not count, if one was given.
    public var rejected: String?
    public var signed: Bool { entry != nil }
}

/// How an attestation or a waiver was judged for one item, for every report format.
public struct ItemSignoff: Sendable {
    public var attestation: Attestation?
    /// Counted, or why not.
    public var attestationRejected: String?
    public var attestationSignature: String?
    public var waiver: Waiver?
    /// Applied, or why not (expired, unnecessary).
    public var waiverNotApplied: String?
}

/// The outcome of applying ``SignoffInputs``: per item, per role, and notes for entries that matched nothing.
public struct SignoffResult: Sendable {
    public var items: [String: ItemSignoff] = [:]
    public var roles: [RoleSignoff] = []
    public var notices: [String] = []
    public var signedRoles: Set<String> { Set(roles.filter(\.signed).map(\.role)) }

    public init() {}
}

extension SignoffInputs {
    /// Judges one entry's identity: its role is in the table, it has not expired and, with a roster, it is signed by
    /// a key of its role. Nil when it counts, else why not.
    func rejection(_ a: Attestation, roles: [String], checklistSHA256: String) -> String? {
        // With no roles declared (no sign-off table, no `roles:`), any role may attest; with some, only those.
        if !roles.isEmpty, !roles.contains(a.role) {
            return "role \(a.role) is not a sign-off role (\(roles.joined(separator: ", ")))"
        }
        if let expires = a.expires, expires < today { return "expired on \(expires)" }
        guard let roster else { return nil }
        guard a.signature != nil else { return "unsigned, and the roster requires a signature by a \(a.role) key" }
        let keys = roster.keys[a.role] ?? []
        if keys.contains(where: { a.isSigned(by: $0, checklistSHA256: checklistSHA256) }) { return nil }
        if roster.keys.contains(where: { role, keys in
            role != a.role && keys.contains { a.isSigned(by: $0, checklistSHA256: checklistSHA256) }
        }) {
            return "signed by a key of another role, not of \(a.role)"
        }
        return keys.isEmpty
            ? "the roster has no key for \(a.role)"
            : "the signature does not verify with any \(a.role) key of the roster (forged, altered, or made for "
                + "another version of the checklist)"
    }

    func signatureState(_ a: Attestation) -> String {
        if roster != nil { return "verified" }
        return a.signature == nil ? "unsigned" : "not checked (no roster)"
    }

    /// Applies attestations to manual items and waivers to failing ones, in place; returns what was judged.
    public func apply(to results: inout [ItemResult], roles: [String], checklistSHA256: String) -> SignoffResult {
        var out = SignoffResult()
        let index = Dictionary(results.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        var roleEntries: [String: RoleSignoff] = [:]
        // Later entries win: the file is a log, and a correction is appended.
        for a in attestations {
            let reason = rejection(a, roles: roles, checklistSHA256: checklistSHA256)
            let place = "\(a.file):\(a.line)"
            if a.isSignoff {
                var role = roleEntries[a.role] ?? RoleSignoff(role: a.role)
                if let reason {
                    if roles.contains(a.role) {
                        role.rejected = "\(a.name)'s sign-off (\(place)) does not count: \(reason)"
                    }
                    out.notices.append("\(place): \(a.name)'s sign-off for \(a.role) does not count: \(reason)")
                } else {
                    role.entry = a
                    role.rejected = nil
                }
                roleEntries[a.role] = role
                continue
            }
            guard let id = a.item, let i = index[id] else {
                out.notices.append("\(place): no item \(a.item ?? "") in this checklist; the attestation is ignored")
                continue
            }
            var judged = out.items[id] ?? ItemSignoff()
            judged.attestation = a
            judged.attestationRejected = reason
            judged.attestationSignature = reason != nil && roster != nil ? "rejected" : signatureState(a)
            out.items[id] = judged
            if reason != nil { out.notices.append("\(place): the attestation of \(id) does not count: \(reason!)") }
            if results[i].planned.kind.family.isAutomated {
                out.notices.append("\(place): \(id) is checked automatically; its check decides, not the attestation")
            }
        }
        out.roles = roles.map { roleEntries[$0] ?? RoleSignoff(role: $0) }

        for (id, judged) in out.items {
            guard let i = index[id], let a = judged.attestation, judged.attestationRejected == nil,
                results[i].status == .manual
            else { continue }
            let failed: Status = results[i].planned.severity == .advisory ? .warn : .fail
            var outcome = Outcome(
                a.status == "passed" ? .attested : failed, expected: "an attestation with status passed",
                observed: "\(a.status) by \(a.name) (\(a.role)) on \(a.date)",
                message: "attested \(a.status) by \(a.name) (\(a.role)) on \(a.date)"
                    + (a.evidence.map { ", evidence \($0)" } ?? "") + (a.note.map { ": \($0)" } ?? ""))
            outcome.details = results[i].outcome.details
            results[i].outcome = outcome
        }
        for (id, judged) in out.items where judged.attestationRejected != nil {
            guard let i = index[id], results[i].status == .manual else { continue }
            results[i].outcome.message +=
                "; an attestation was given but does not count: \(judged.attestationRejected!)"
        }

        for w in waivers {
            let place = "\(w.file):\(w.line)"
            guard let i = index[w.item] else {
                out.notices.append("\(place): no item \(w.item) in this checklist; the waiver is ignored")
                continue
            }
            var judged = out.items[w.item] ?? ItemSignoff()
            judged.waiver = w
            let status = results[i].status
            if results[i].planned.kind == .group {
                judged.waiverNotApplied = "a group takes the worst of its children: waive the failing children"
                out.notices.append("\(place): \(w.item) is a group; waive its failing children instead")
            } else if w.expires < today {
                judged.waiverNotApplied = "expired on \(w.expires)"
                out.notices.append("\(place): the waiver of \(w.item) expired on \(w.expires) and does not apply")
            } else if [.fail, .error, .manual, .warn].contains(status) {
                let was = "\(status.rawValue): \(results[i].outcome.message)"
                results[i].outcome.status = .waived
                results[i].outcome.message =
                    "waived until \(w.expires) by \(w.approvedBy): \(w.justification) (was \(was))"
            } else {
                judged.waiverNotApplied = "unnecessary: the item's status is \(status.rawValue)"
                out.notices.append("\(place): the waiver of \(w.item) is unnecessary: the item is \(status.rawValue)")
            }
            out.items[w.item] = judged
        }
        return out
    }
}
