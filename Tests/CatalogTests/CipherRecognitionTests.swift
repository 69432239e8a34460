import Catalog
import Checklist
import Testing

/// Cipher suites, forward secrecy, server order, HTTP/2 and renegotiation, read from the words alone; what names a
/// server's config directive, a review or another property stays with the rules for those.
@Suite("Recognition: cipher suites and what a handshake negotiates")
struct CipherRecognitionTests {
    @Test("each sentence gets the kind and the params it names")
    func sentences() throws {
        let weak = ["null", "anull", "export", "rc4", "des", "3des", "md5"]
        let cases: [(String, String, [String: Params.Value])] = [
            ("Weak ciphers disabled", "tls.ciphers", ["refuse": .list(weak)]),
            ("Strong cipher suites only", "tls.ciphers", ["refuse": .list(weak)]),
            ("No RC4 or 3DES ciphers", "tls.ciphers", ["refuse": .list(["rc4", "3des"])]),
            ("NULL and anonymous cipher suites disabled", "tls.ciphers", ["refuse": .list(["null", "anull"])]),
            ("CBC ciphers disabled", "tls.ciphers", ["refuse": .list(["cbc"])]),
            ("Forward secrecy enabled", "tls.ciphers", ["forward_secrecy": .bool(true)]),
            ("Only ECDHE cipher suites (all ciphers forward secret)", "tls.ciphers", ["refuse": .list(["static_rsa"])]),
            ("Server cipher order preferred", "tls.ciphers", ["server_order": .bool(true)]),
            ("HTTP/2 enabled", "tls.alpn", ["protocol": .string("h2")]),
            ("Secure renegotiation supported", "tls.renegotiation", [:]),
            ("Insecure renegotiation disabled", "tls.renegotiation", [:]),
            ("TLS_FALLBACK_SCSV supported", "tls.fallback_scsv", [:]),
            // Something else is what the sentence asks for: a review, a directive in a file, session tickets.
            ("Cipher suites reviewed by the security team", "manual", [:]),
            ("`ssl_ciphers` set in nginx.conf", "file.contains", [:]),
            ("Session tickets off to keep forward secrecy", "manual", [:]),
            ("Client-initiated renegotiation disabled", "manual", [:]),
            ("HTTP/2 disabled until the proxy supports it", "manual", [:]),
            ("Triple DES ciphers disabled", "tls.ciphers", ["refuse": .list(["3des"])]),
            ("Forward secrecy enabled on all endpoints", "tls.ciphers", ["forward_secrecy": .bool(true)]),
            // Older rules keep what they checked: HSTS against stripping, the redirect, the certificate.
            ("HSTS enabled to prevent protocol downgrade attacks", "http.hsts", [:]),
            ("HTTPS redirect on; HTTP/2 enabled", "http.redirect_https", [:]),
            ("HTTP/2 enabled with valid TLS certificate", "tls.certificate", [:]),
        ]
        for (text, kind, params) in cases {
            let item = try kindOf(text, under: "TLS")
            #expect(item.kind.description == kind, "\(text): \(item.kind) \(item.params)")
            for (key, value) in params { #expect(item.params[key] == value, "\(text): \(item.params)") }
        }
    }

    @Test("other services' ciphers, other uses of the words, an allowed exception: never a TLS check of the API")
    func notTheServer() throws {
        for text in [
            "Keyword in H2 headings on the blog", "H2 database available for local development only",
            "SSH: weak ciphers disabled in sshd_config", "Redis TLS: weak ciphers disabled",
            "SMTP relay: no RC4 or export ciphers (STARTTLS)",
            "Database connections use strong ciphers only (sslmode=verify-full)",
            "Backups encrypted with a strong cipher (AES-256), no DES",
            "Passwords hashed with bcrypt, never with reversible ciphers or MD5",
            "Messages are end-to-end encrypted with forward secrecy (Double Ratchet)",
            "WireGuard tunnel provides perfect forward secrecy", "Weak ciphers only allowed on the legacy endpoint",
            "PFS not supported by the legacy appliance (accepted risk)",
            "Protocol downgrade rollback plan documented",
        ] {
            let item = try kindOf(text, under: "Security")
            #expect(item.kind.family != .tls, "\(text): \(item.kind) \(item.params)")
        }
    }
}
