import ArgumentParser
import Catalog
import Checklist
import DotEnv
import Foundation
import Probes
import Results
import Signing
import Verify

extension GoNoGo {
    /// `gonogo attest`: a person's word on a manual item, or a role's sign-off, appended to an attestations file.
    struct AttestCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "attest",
            abstract: "Attest a manual item, or sign off a role, in an attestations file (appended, never rewritten).",
            discussion: """
                The item id must be one of the checklist's (`gonogo plan CHECKLIST` lists them) and the role one of \
                its sign-off table or of the config's `roles:` (a checklist with neither accepts any role, and its \
                release gate needs only the attestations). With --sign-key the entry is signed (ECDSA P-256) over the checklist's sha256, \
                the item, status, role, name and dates; `gonogo verify --roster` then counts it only when the key \
                belongs to that role. See docs/signoff.md.

                Examples:
                  gonogo attest checklists/sprint5-production.md \\
                      --item security/authentication/rate-limiting-on-login \\
                      --role "QA Lead" --name "Sam Ortiz" \\
                      --evidence https://ci.example.com/runs/812 \\
                      --sign-key ~/.gonogo/sam.key --file attestations.yml
                  gonogo attest checklists/sprint5-production.md --signoff \\
                      --role "DevOps Lead" --name "Ari Chen" --file attestations.yml
                """
        )

        @Argument(help: "The checklist the attestation is about.")
        var checklist: String

        @Option(help: ArgumentHelp("The item's id.", valueName: "id"))
        var item: String?

        @Flag(help: "Sign off the release for --role instead of attesting one item.")
        var signoff = false

        @Option(
            help: "A role of the checklist's sign-off table or of the config's `roles:` (any, when neither has one).")
        var role: String

        @Option(
            help: ArgumentHelp(
                "The config whose `roles:` may attest (default: gonogo.yml beside the checklist, if any).",
                valueName: "file"))
        var config: String?

        @Option(help: "Who attests.")
        var name: String

        @Option(help: "passed or failed (items only).")
        var status: String = "passed"

        @Option(help: ArgumentHelp("A link to the evidence (http or https).", valueName: "url"))
        var evidence: String?

        @Option(help: "A note for the report.")
        var note: String?

        @Option(help: ArgumentHelp("The day of the attestation (default: today, UTC).", valueName: "YYYY-MM-DD"))
        var date: String?

        @Option(help: ArgumentHelp("After this day the attestation no longer counts.", valueName: "YYYY-MM-DD"))
        var expires: String?

        @Option(
            name: .customLong("sign-key"),
            help: ArgumentHelp("Your private key (gonogo keygen): signs the entry.", valueName: "pem"))
        var signKey: String?

        @Option(help: ArgumentHelp("The attestations file (created if missing).", valueName: "file"))
        var file: String

        func validate() throws {
            if (item == nil) == !signoff {
                throw ValidationError("give either --item ID or --signoff")
            }
            if signoff, status != "passed" {
                throw ValidationError("--status is for items; a sign-off has none")
            }
            if !["passed", "failed"].contains(status) { throw ValidationError("--status must be passed or failed") }
            for (flag, value) in [("--date", date), ("--expires", expires)] {
                if let value, SignoffDates.day(value) == nil {
                    throw ValidationError("\(flag) must be a date as YYYY-MM-DD, not \(value)")
                }
            }
            if let evidence,
                !(evidence.hasPrefix("https://") || evidence.hasPrefix("http://")) || URL(string: evidence) == nil
            {
                throw ValidationError("--evidence must be an http(s) URL")
            }
            if name.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--name must not be empty") }
        }

        func run() throws {
            let document: ChecklistDocument
            let plan: Plan
            do {
                document = try ChecklistLoader.load(path: checklist)
                plan = try Planner.plan(document)
            } catch let error as ChecklistError {
                writeError(error.description)
                throw ExitCode(2)
            }
            if let item, !plan.items.contains(where: { $0.id == item }) {
                let last = item.split(separator: "/").last.map(String.init) ?? item
                let near = plan.items.filter { $0.id.contains(last) || $0.kind == .manual && $0.id.hasPrefix(item) }
                    .prefix(5).map { "  \($0.id)" }
                writeError(
                    "\(checklist) has no item \(item)"
                        + (near.isEmpty
                            ? "; `gonogo plan \(checklist)` lists the ids"
                            : "; did you mean:\n" + near.joined(separator: "\n")))
                throw ExitCode(64)
            }
            // Who may attest: the sign-off table's roles and the config's `roles:`; with neither, anyone.
            let roles: [String]
            do {
                var options = VerifyOptions()
                if let path = config ?? VerifySession.defaultConfig(beside: checklist) {
                    options = VerifyOptions(
                        config: try VerifyConfig.load(path: path, environment: ProcessInfo.processInfo.environment))
                }
                roles = options.signoffRoles(of: document)
            } catch let error as any InputError {
                writeError(error.description)
                throw ExitCode(2)
            }
            if roles.isEmpty {
                writeAll(
                    "gonogo: note: \(checklist) has no sign-off table and no config declares `roles:`, so any role may "
                        + "attest; declare the roles that must sign off with `roles:` in gonogo.yml\n", to: 2)
            } else if !roles.contains(role) {
                writeError(
                    "\(role) is not a sign-off role of \(checklist) (its sign-off table and the config's `roles:`): "
                        + roles.joined(separator: ", "))
                throw ExitCode(64)
            }
            var entry = Attestation(
                item: item, status: signoff ? "signed" : status, name: name, role: role,
                date: date ?? SignoffDates.today(), evidence: evidence, note: note, expires: expires)
            do {
                var keyID: String? = nil
                if let signKey {
                    let key = try SigningKeys.loadPrivate(path: signKey)
                    try entry.sign(with: key, checklistSHA256: document.sha256)
                    keyID = SigningKeys.keyID(key.publicKey)
                }
                try AttestationFile.append(entry, to: file)
                let what = item.map { "\($0) as \(status)" } ?? "the release for \(role)"
                writeStdout(
                    "gonogo: \(signoff ? "signed off" : "attested") \(what) by \(name) (\(role)) in \(file)"
                        + (keyID.map { ", signed with key \($0)" } ?? ", unsigned") + "\n")
            } catch let error as any InputError {
                writeError(error.description)
                throw ExitCode(2)
            }
        }
    }

    /// `gonogo keygen --out PREFIX`.
    struct KeygenCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "keygen",
            abstract: "Make an ECDSA P-256 key pair: PREFIX.key (mode 0600) and PREFIX.pub, PEM.",
            discussion: """
                The private key signs reports (verify --sign-key) and attestations (attest --sign-key); give the \
                public key to whoever verifies (verify-report --key, a roster). Existing files are never overwritten.

                Example:
                  gonogo keygen --out ~/.gonogo/release
                """
        )

        @Option(help: ArgumentHelp("Where the two files go: PREFIX.key and PREFIX.pub.", valueName: "prefix"))
        var out: String

        func run() throws {
            do {
                let made = try SigningKeys.generate(prefix: out)
                let envelopeID = try SigningKeys.envelopeKeyID(SigningKeys.loadPublic(path: made.publicPath))
                writeStdout(
                    "gonogo: wrote \(made.privatePath) (private, mode 0600) and \(made.publicPath); key id \(made.keyID)"
                        + " (in attestations), \(envelopeID) (in signed reports, as securesystemslib names it)\n")
            } catch let error as any InputError {
                writeError(error.description)
                throw ExitCode(2)
            }
        }
    }
}
