import Foundation
import TestSupport
import Testing

/// The report items of `gonogo verify CHECKLIST --config DIR/gonogo.yml --format json --gate ci`: seven of them.
func verifyItems(_ checklist: URL, in dir: URL) async throws -> [[String: Any]] {
    let run = try await Blocking.run {
        try gonogo([
            "verify", checklist.path, "--config", dir.path + "/gonogo.yml", "--format", "json", "--gate", "ci",
        ])
    }
    let items = Report(run).items
    try #require(items.count == 7, "\(run.stdout.prefix(1500)) \(run.stderr)")
    return items
}

/// Certificate items check every part their sentence names, against chat-api serving a certificate the test makes
/// (EC P-256, five days left, no OCSP stapling) over TLS on loopback; no annotations: the words alone.
@Suite("gonogo verify: certificate items check what they say")
struct CertificateItemsTests {
    static let checklist = """
        # TLS
        - [ ] Certificate not expired
        - [ ] SSL certificate valid and not expiring within 30 days
        - [ ] Certificate key at least 4096 bits
        - [ ] Certificate key at least 2048 bits
        - [ ] OCSP stapling enabled
        - [ ] SSL certificate valid and not expiring within 3 days
        - [ ] Certificate does not expire within 3 days

        """

    @Test("validity, days, key strength and OCSP each decide; a chain that does not verify fails a 'valid' item")
    func parts() async throws {
        let dir = try await VerifyFixture.make()
        let (server, port) = try await VerifyFixture.serveTLS(in: dir, days: 5)
        defer { server.stop() }
        let checklist = dir.appendingPathComponent("tls.md")
        try Data(Self.checklist.utf8).write(to: checklist)
        func verify(caFile: Bool) async throws -> [(status: String, text: String)] {
            let config = "root: .\napi_url: https://127.0.0.1:\(port)\n" + (caFile ? "http: {ca_file: cert.pem}\n" : "")
            try Data(config.utf8).write(to: dir.appendingPathComponent("gonogo.yml"))
            return try await verifyItems(checklist, in: dir).map { item in
                let text = ["kind", "observed", "message"].map { "\(item[$0] ?? "-")" }.joined(separator: " | ")
                return (item["status"] as? String ?? "?", text)
            }
        }
        let trusted = try await verify(caFile: true)
        let wanted: [(String, String)] = [
            ("pass", "tls.expiry"),  // not expired: today, not 30 days ahead
            ("fail", "expires in"),  // valid, but 5 days < 30
            ("fail", "weaker than 4096"),  // EC P-256 is about RSA 3072
            ("pass", "about RSA 3072"),
            ("fail", "no OCSP answer is stapled"),
            ("pass", "the chain verifies and the certificate is valid for"),
            ("pass", "the certificate is valid for"),
        ]
        for (n, (status, text)) in wanted.enumerated() {
            #expect(trusted[n].status == status, "item \(n + 1): \(trusted[n])")
            #expect(trusted[n].text.contains(text), "item \(n + 1): \(trusted[n])")
        }
        // Without the test's CA the chain does not verify: the item that says "valid" fails, the expiry alone passes.
        let untrusted = try await verify(caFile: false)
        #expect(untrusted[5].status == "fail", "\(untrusted[5])")
        #expect(untrusted[5].text.contains("does not verify"), "\(untrusted[5])")
        #expect(untrusted[6].status == "pass", "\(untrusted[6])")
    }
}

/// The chain item: what the server sends, in order and complete, against `openssl s_server` given three chains.
@Suite("gonogo verify: the certificate chain sent")
struct CertificateChainTests {
    @Test("the intermediate sent after the leaf passes; the root before it is out of order; none is incomplete")
    func order() async throws {
        let dir = try Executables.temporaryDirectory("chain")
        let (ca, (certificate, key)) = try await Authority.made(in: dir) { try $0.leaf("site") }
        let rootFirst = dir.appendingPathComponent("root-first.pem")
        try (Data(contentsOf: URL(fileURLWithPath: ca.root)) + Data(contentsOf: URL(fileURLWithPath: ca.intermediate)))
            .write(to: rootFirst)
        let checklist = dir.appendingPathComponent("chain.md")
        try Data("# TLS\n- [ ] Full certificate chain served (intermediates included)\n".utf8).write(to: checklist)
        let chains: [(name: String, arguments: [String], status: String, text: String)] = [
            ("in order", ["-cert_chain", ca.intermediate], "pass", "the intermediates sent, in order"),
            ("root first", ["-cert_chain", rootFirst.path], "fail", "sent out of order"),
            ("none", [], "fail", "is neither sent nor trusted"),
        ]
        for chain in chains {
            let (server, port) = try await Blocking.run {
                try OpenSSLServer.start(certificate: certificate, key: key, chain.arguments, directory: dir.path)
            }
            defer { server.kill() }  // SIGKILL: s_server inherits the test runner's blocked SIGTERM
            let got = try await TLSCrossCheckTests.verify(checklist, port: port, caFile: ca.root, count: 1)
            #expect(got[0].status == chain.status, "\(chain.name): \(got[0])")
            #expect(got[0].text.contains(chain.text), "\(chain.name): \(got[0])")
        }
    }
}

/// Header items check the header they name and the value they state, in words alone, against chat-api (which sends
/// `X-Frame-Options: DENY`, `X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer`, and no CSP).
@Suite("gonogo verify: header items check the value they state")
struct HeaderValueItemsTests {
    @Test("DENY is not SAMEORIGIN; the referrer policy named; CSP present and without unsafe-inline; a 404 is shown")
    func values() async throws {
        let dir = try await VerifyFixture.make()
        let (server, port) = try await VerifyFixture.serveTLS(in: dir, days: 30)
        defer { server.stop() }
        let checklist = dir.appendingPathComponent("headers.md")
        try Data(
            """
            # Headers
            - [ ] X-Frame-Options set to DENY
            - [ ] X-Frame-Options set to SAMEORIGIN
            - [ ] X-Content-Type-Options header set
            - [ ] Referrer policy set to no-referrer
            - [ ] Referrer policy set to strict-origin-when-cross-origin
            - [ ] Content-Security-Policy set
            - [ ] CSP without unsafe-inline

            """.utf8
        ).write(to: checklist)
        try Data("root: .\napi_url: https://127.0.0.1:\(port)\nhttp: {ca_file: cert.pem}\n".utf8)
            .write(to: dir.appendingPathComponent("gonogo.yml"))
        let items = try await verifyItems(checklist, in: dir)
        func line(_ n: Int) -> String {
            ["kind", "status", "observed", "message"].map { "\(items[n][$0] ?? "-")" }.joined(separator: " | ")
        }
        let wanted: [(String, String)] = [
            ("pass", "X-Frame-Options: DENY"),
            ("fail", "X-Frame-Options is DENY"),
            ("pass", "nosniff"),
            ("pass", "Referrer-Policy: no-referrer"),
            ("fail", "Referrer-Policy is no-referrer"),
            ("fail", "no Content-Security-Policy"),
            ("fail", "no Content-Security-Policy"),
        ]
        for (n, (status, text)) in wanted.enumerated() {
            #expect(items[n]["status"] as? String == status, "item \(n + 1): \(line(n))")
            #expect(line(n).contains(text), "item \(n + 1): \(line(n))")
        }
        // The items probe `/`, which chat-api answers 404 (with its headers): the status is shown.
        #expect(line(0).contains("HTTP 404"), "\(line(0))")
    }
}
