import Foundation
import TestSupport
import Testing

/// chat-api serving HTTPS itself, with a certificate the test makes with OpenSSL; spoken to by curl and
/// `openssl s_client` (real clients, real handshakes on loopback).
@Suite("chat-api over HTTPS")
struct TLSTests {
    static func certificate(in directory: URL) async throws -> (String, String) {
        try await Certificates.selfSigned(in: directory)
    }

    static func curl(_ arguments: [String]) async throws -> Run {
        try await Blocking.run {
            try Executables.run(path: "/usr/bin/curl", ["-s", "-S", "--max-time", "20"] + arguments)
        }
    }

    /// Whether the server completes a handshake at exactly `version` (`-tls1_1`, `-tls1_2`…). The client lowers its
    /// own security level so that it may ask for old versions: a refusal is then the server's.
    static func handshake(port: Int, _ version: String) async throws -> Bool {
        let run = try await Blocking.run {
            try Executables.run(
                path: "/usr/bin/openssl",
                ["s_client", "-connect", "127.0.0.1:\(port)", version, "-cipher", "DEFAULT@SECLEVEL=0", "-brief"],
                stdin: "")
        }
        return run.status == 0 && run.stderr.contains("CONNECTION ESTABLISHED")
    }

    @Test("HTTPS with TLS 1.2 at least, HSTS on every answer, and plain HTTP redirected with 308")
    func https() async throws {
        let directory = try Executables.temporaryDirectory("chat-api-tls")
        let (cert, key) = try await Self.certificate(in: directory)
        let service = try await LiveService([
            "TLS_CERT_FILE": cert, "TLS_KEY_FILE": key, "HSTS_MAX_AGE": "600", "HTTP_REDIRECT_PORT": "0",
        ])
        #expect(service.base.hasPrefix("http://"))  // LiveService's own client speaks plain HTTP; curl speaks TLS here
        let port = try #require(Int(service.base.split(separator: ":").last ?? ""))

        let health = try await Self.curl(["--cacert", cert, "-i", "https://127.0.0.1:\(port)/health"])
        #expect(health.status == 0, "\(health.stderr)")
        #expect(health.stdout.hasPrefix("HTTP/1.1 200"))
        #expect(health.stdout.lowercased().contains("strict-transport-security: max-age=600; includesubdomains"))
        #expect(health.stdout.contains("\"status\":\"ok\""))
        // Errors carry HSTS too.
        let missing = try await Self.curl(["--cacert", cert, "-i", "https://127.0.0.1:\(port)/api/sessions"])
        #expect(missing.stdout.hasPrefix("HTTP/1.1 401"))
        #expect(missing.stdout.lowercased().contains("strict-transport-security: max-age=600"))
        // A client that does not trust the certificate is refused by its own check: the certificate is what we made.
        let untrusted = try await Self.curl(["https://127.0.0.1:\(port)/health"])
        #expect(untrusted.status == 60, "\(untrusted.stderr)")

        #expect(try await Self.handshake(port: port, "-tls1_2"))
        #expect(try await Self.handshake(port: port, "-tls1_3"))
        #expect(try await !Self.handshake(port: port, "-tls1_1"))
        #expect(try await !Self.handshake(port: port, "-tls1"))

        // The redirect listener: its port is announced on stdout.
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: .seconds(30))
        var line: Substring? = nil
        while line == nil, clock.now < deadline {
            line = service.server.stdout.split(separator: "\n").first { $0.hasPrefix("chat-api redirecting") }
            if line == nil { try await Task.sleep(for: .milliseconds(50)) }
        }
        let words = try #require(line).split(separator: " ")
        let redirectURL = try #require(words.first { $0.hasPrefix("http://") })
        let redirect = try await Self.curl(["-i", "\(redirectURL)/api/sessions/x/messages?limit=5"])
        #expect(redirect.stdout.hasPrefix("HTTP/1.1 308"), "\(redirect.stdout)")
        #expect(
            redirect.stdout.lowercased().contains(
                "location: https://127.0.0.1:\(port)/api/sessions/x/messages?limit=5".lowercased()))
        // Followed, it ends on HTTPS.
        let followed = try await Self.curl([
            "--cacert", cert, "-L", "-o", "/dev/null", "-w", "%{url_effective} %{http_code}", "\(redirectURL)/health",
        ])
        #expect(followed.stdout == "https://127.0.0.1:\(port)/health 200")
    }

    @Test("a certificate or key that cannot be used exits 2 naming the variable and the file")
    func badCertificate() async throws {
        let directory = try Executables.temporaryDirectory("chat-api-tls")
        let (cert, key) = try await Self.certificate(in: directory)
        let garbage = directory.appendingPathComponent("garbage.pem")
        try Data("not a certificate\n".utf8).write(to: garbage)
        let cases: [([String: String], String)] = [
            (["TLS_CERT_FILE": garbage.path, "TLS_KEY_FILE": key], "TLS_CERT_FILE names \(garbage.path)"),
            (["TLS_CERT_FILE": cert, "TLS_KEY_FILE": garbage.path], "TLS_KEY_FILE names \(garbage.path)"),
            (["TLS_CERT_FILE": cert], "TLS_KEY_FILE is needed"),
            (["TLS_CERT_FILE": cert, "TLS_KEY_FILE": directory.path + "/absent.pem"], "cannot be read"),
            (["HTTP_REDIRECT_PORT": "8080"], "HTTP_REDIRECT_PORT needs HTTPS"),
        ]
        for (settings, message) in cases {
            let environment = ["PORT": "0", "DATABASE_URL": "sqlite:\(directory.path)/chat.db"].merging(settings) { $1 }
            let run = try await Blocking.run {
                try Executables.run("chat-api", ["serve"], environment: environment, directory: directory.path)
            }
            #expect(run.status == 2, "\(settings): \(run.stderr)")
            #expect(run.stderr.contains(message), "\(run.stderr)")
        }
    }
}
