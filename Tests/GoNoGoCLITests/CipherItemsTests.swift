import Foundation
import TestSupport
import Testing

/// Cipher, ALPN, renegotiation and fallback-signal items, in words alone, against `openssl s_server` on loopback set up three ways: a
/// server that accepts a NULL suite, one without forward secrecy, and a good one (ECDHE suites in its own order, h2).
@Suite("gonogo verify: cipher suites, forward secrecy, server order, HTTP/2, renegotiation, TLS_FALLBACK_SCSV")
struct CipherItemsTests {
    static let checklist = """
        # TLS
        - [ ] Weak ciphers disabled
        - [ ] Forward secrecy enabled
        - [ ] Server cipher order preferred
        - [ ] HTTP/2 enabled
        - [ ] Secure renegotiation supported
        - [ ] No RC4 or 3DES ciphers
        - [ ] TLS_FALLBACK_SCSV supported

        """

    /// `openssl s_server` on a free loopback port with `arguments`, an RSA certificate made in `dir` (`-www`: it answers
    /// each connection itself instead of reading the terminal, which a test does not have).
    static func serve(_ arguments: [String], in dir: URL) throws -> (ServerProcess, Int) {
        let (cert, key) =
            FileManager.default.fileExists(atPath: dir.appendingPathComponent("rsa.pem").path)
            ? (dir.appendingPathComponent("rsa.pem").path, dir.appendingPathComponent("rsa.key").path)
            : try Certificates.selfSigned(in: dir, rsa: true)
        let (server, port) = try OpenSSLServer.start(
            certificate: cert, key: key, arguments, directory: dir.path)
        return (server, port)
    }

    /// (status, message | observed) of each item, verified against 127.0.0.1:`port`.
    static func verify(_ checklist: URL, port: Int) async throws -> [(status: String, text: String)] {
        let run = try await Blocking.run {
            try gonogo([
                "verify", checklist.path, "--api-url", "https://127.0.0.1:\(port)", "--format", "json", "--gate", "ci",
            ])
        }
        let items = Report(run).items
        try #require(items.count == 7, "\(run.stdout.prefix(1500)) \(run.stderr)")
        return items.map { item in
            (item["status"] as? String ?? "?", "\(item["message"] ?? "-") | \(item["observed"] ?? "-")")
        }
    }

    @Test("a NULL suite, static RSA key exchange and the client's order each fail; the good server passes every item")
    func targets() async throws {
        let dir = try Executables.temporaryDirectory("ciphers")
        let checklist = dir.appendingPathComponent("tls.md")
        try Data(Self.checklist.utf8).write(to: checklist)
        let targets: [(name: String, arguments: [String], wanted: [(String, String)])] = [
            (
                "null", ["-cipher", "NULL-SHA256:AES128-SHA:@SECLEVEL=0", "-no_tls1_3"],
                [
                    ("fail", "NULL-SHA256 (null"), ("fail", "without forward secrecy"), ("fail", "the client's order"),
                    ("fail", "h2 is not selected"), ("pass", "signals secure renegotiation"),
                    ("error", "cannot check rc4, 3des"), ("pass", "as a fallback"),
                ]
            ),
            (
                "no forward secrecy", ["-cipher", "AES128-GCM-SHA256:AES256-GCM-SHA384", "-no_tls1_3"],
                [
                    ("pass", "2 suites accepted"), ("fail", "a usual client gets AES"), ("fail", "the client's order"),
                    ("fail", "h2 is not selected"), ("pass", "signals secure renegotiation"),
                    ("error", "cannot check"), ("pass", "as a fallback"),
                ]
            ),
            (
                "good",
                [
                    "-cipher", "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256", "-serverpref", "-alpn",
                    "h2,http/1.1",
                ],
                [
                    ("pass", "suites accepted"), ("pass", "forward-secret suite"), ("pass", "the server's order"),
                    ("pass", "selects h2"), ("pass", "signals secure renegotiation"), ("error", "cannot check"),
                    ("pass", "refuses TLSv1.2 signalled as a fallback (inappropriate_fallback)"),
                ]
            ),
        ]
        for target in targets {
            let (server, port) = try await Blocking.run { try Self.serve(target.arguments, in: dir) }
            // SIGKILL: s_server inherits the test runner's blocked SIGTERM.
            defer { server.kill() }
            let got = try await Self.verify(checklist, port: port)
            for (n, (status, text)) in target.wanted.enumerated() {
                #expect(got[n].status == status, "\(target.name), item \(n + 1): \(got[n])")
                #expect(got[n].text.contains(text), "\(target.name), item \(n + 1): \(got[n])")
            }
        }
    }
}
