import ArgumentParser
import Crypto
import DotEnv
import Foundation
import Reports
import Signing

extension GoNoGo {
    /// `gonogo verify-report ENVELOPE --key PUB`: is this the report that was signed, by this key?
    struct VerifyReportCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify-report",
            abstract: "Check a signed report: the signature, the payload type, and report.json against its digest.",
            discussion: """
                Exit codes: 0 the envelope is signed by the key and report.json is the one it names; 1 it is not \
                (the message says what is wrong); 2 a file or the key cannot be read.

                Example:
                  gonogo verify-report gonogo-report/report.intoto.json --key release.pub
                """
        )

        @Argument(help: "The envelope, report.intoto.json.")
        var envelope: String

        @Option(help: ArgumentHelp("The signer's public key (PEM).", valueName: "pub"))
        var key: String

        @Option(help: ArgumentHelp("The report (default: report.json beside the envelope).", valueName: "file"))
        var report: String?

        func run() throws {
            let reportPath =
                report
                ?? URL(fileURLWithPath: envelope).deletingLastPathComponent().appendingPathComponent("report.json")
                .path
            let publicKey: P256.Signing.PublicKey
            let envelopeData: Data
            let reportData: Data
            do {
                publicKey = try SigningKeys.loadPublic(path: key)
                guard let e = FileManager.default.contents(atPath: envelope) else {
                    throw InputFileError(file: envelope, line: nil, message: "cannot be read")
                }
                guard let r = FileManager.default.contents(atPath: reportPath) else {
                    throw InputFileError(file: reportPath, line: nil, message: "cannot be read (give it with --report)")
                }
                envelopeData = e
                reportData = r
            } catch let error as any InputError {
                writeError(error.description)
                throw ExitCode(2)
            }
            do {
                let checked = try SignedReport.verify(envelope: envelopeData, report: reportData, key: publicKey)
                // The signature holds; what the report says is another matter: its verdict, in the words of gonogo.
                let verdict = checked.result == "FAILED" ? "NO-GO" : "GO"
                writeStdout(
                    """
                    gonogo: \(envelope) verifies: signed by \(checked.keyID)
                      report   \(reportPath) sha256 \(checked.reportSHA256)
                      verdict  \(verdict) (in-toto result \(checked.result)) for \(checked.checklist) (sha256 \(checked.checklistSHA256))

                    """)
            } catch {
                writeError("\(envelope) does not verify: \(error.description)")
                throw ExitCode(1)
            }
        }
    }
}
