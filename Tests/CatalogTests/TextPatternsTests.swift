import Foundation
import Testing

@testable import Catalog

/// The hand-written patterns that replaced regex literals in the recognisers (Sources/Catalog/TextPatterns.swift):
/// each answers as the pattern it replaced did.
@Suite("Text patterns written out by hand")
struct TextPatternsTests {
    @Test("a provider's dashboard, console or UI, unless the service's own is named")
    func providerPlace() {
        #expect(TextPatterns.providerPlace("replica lag < 2s on the cloudsql dashboard"))
        #expect(TextPatterns.providerPlace("check in the host's ui"))
        #expect(TextPatterns.providerPlace("url-restricted in the mapbox console"))
        #expect(TextPatterns.providerPlace("dashboard queries p95 under 4 s"))
        #expect(!TextPatterns.providerPlace("dashboard kept as code"))
        #expect(!TextPatterns.providerPlace("shown in the admin dashboard"))
        #expect(!TextPatterns.providerPlace("build suite required"))
        #expect(!TextPatterns.providerPlace("on the dashboard"))
    }

    @Test("a file mode: 'mode 0600', 'mode: 640', `0640`; not a year or a port")
    func fileMode() {
        #expect(TextPatterns.fileMode("`.env.production` mode 0600"))
        #expect(TextPatterns.fileMode("key file mode: 640, owned by root"))
        #expect(TextPatterns.fileMode("`0640` on the certificate"))
        #expect(!TextPatterns.fileMode("released in 2024"))
        #expect(!TextPatterns.fileMode("listens on 8080"))
        #expect(!TextPatterns.fileMode("mode 0900"))
        #expect(!TextPatterns.fileMode("dark mode works"))
    }

    @Test("the root addressed as a place: 'on /' alone, not a longer path nor 'upon'")
    func onRoot() {
        #expect(TextPatterns.onRoot("brotli on /"))
        #expect(TextPatterns.onRoot("gzip on /, and on /docs"))
        #expect(TextPatterns.onRoot("x-frame-options on / (the shell)"))
        #expect(!TextPatterns.onRoot("gzip on /docs"))
        #expect(!TextPatterns.onRoot("relied upon /"))
        #expect(!TextPatterns.onRoot("the root /"))
    }

    @Test("no regex literal in the recognisers: one is parsed each time it is evaluated, once per item")
    func noRegexLiterals() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/Catalog")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".swift") }
        #expect(files.count > 20)
        for file in files {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let code = line.trimmingCharacters(in: .whitespaces)
                guard !code.hasPrefix("//") else { continue }
                let literal =
                    ["(/", ": /", "= /", "#/", "Regex("].contains { code.contains($0) }
                    && !code.contains("\"/") && !code.contains("(/)")
                #expect(!literal, "\(file):\(n + 1): \(code)")
            }
        }
    }

    @Test("a Markdown heading in a code span")
    func markdownHeading() {
        #expect(TextPatterns.markdownHeading("## Database down"))
        #expect(TextPatterns.markdownHeading("# Runbook"))
        #expect(!TextPatterns.markdownHeading("####### Seven"))
        #expect(!TextPatterns.markdownHeading("#hashtag"))
        #expect(!TextPatterns.markdownHeading("##  "))
        #expect(!TextPatterns.markdownHeading("Runbook"))
    }

    @Test("a number with a unit, or a range; not a plain number nor a word")
    func unitOrRange() {
        for yes in ["120s", "2.5GB", "2-4", "30m", "10ms"] { #expect(TextPatterns.unitOrRange(yes), "\(yes)") }
        for no in ["120", "v2", "production", "2.", "2-", "2-x", "1.2.3", "2.5"] {
            #expect(!TextPatterns.unitOrRange(no), "\(no)")
        }
    }
}
