import COpenSSL
import Catalog
import Results

/// `tls.ciphers`, `tls.alpn`, `tls.renegotiation`, `tls.fallback_scsv`: what the handshakes negotiate, beyond versions
/// and certificates.
extension TLSProbe {
    /// `tls.ciphers`: the accepted suites (``CipherScan``) against the categories the item refuses, forward secrecy
    /// and the server's order.
    static func ciphers(_ scan: CipherScan.Result, _ params: Params) -> Outcome {
        guard !scan.suites.isEmpty else {
            return .error("the server accepted none of the \(CipherScan.offerable.count) suites offered")
        }
        let refuse = params.strings("refuse") ?? []
        let testable = CipherScan.testableCategories
        let untried = refuse.filter { !testable.contains($0) }
        var expected: [String] = []
        var problems: [String] = []
        let tried = refuse.filter { testable.contains($0) }
        if !tried.isEmpty {
            expected.append("no \(tried.joined(separator: ", ")) suite")
            for suite in scan.suites {
                let bad = suite.categories.filter { tried.contains($0) }
                if !bad.isEmpty { problems.append("\(suite.name) (\(bad.joined(separator: ", "))) accepted") }
            }
        }
        if params["forward_secrecy"] == .bool(true) {
            // As testssl.sh judges it: what a usual client gets is forward secret (every suite: `refuse=static_rsa`).
            expected.append("a forward-secret suite for a usual client")
            if let usual = scan.usual, !usual.forwardSecret {
                problems.append("a usual client gets \(usual.name), without forward secrecy (static RSA key exchange)")
            } else if scan.usual == nil {
                problems.append("a usual client (OpenSSL's default suites) is refused")
            }
        }
        if params["server_order"] == .bool(true) {
            expected.append("the server's order")
            if scan.serverOrder == false {
                problems.append("the client's order wins: let the server choose (nginx: ssl_prefer_server_ciphers on)")
            }
        }
        var observed =
            "accepts \(scan.suites.count) suites: "
            + scan.suites.map { s in
                s.name + (s.categories.isEmpty ? "" : " (\(s.categories.joined(separator: ", ")))")
            }.joined(separator: ", ")
        if let order = scan.serverOrder {
            observed += order ? "; the server's order wins" : "; the client's order wins"
        }
        observed +=
            scan.usual.map { "; a usual client gets \($0.name) (\($0.version))" } ?? "; a usual client is refused"
        let note =
            untried.isEmpty
            ? ""
            : "; not tried: \(untried.joined(separator: ", ")) (this OpenSSL cannot offer such suites; testssl.sh can)"
        if !problems.isEmpty {
            return .fail(
                problems.joined(separator: "; ") + note, expected: expected.joined(separator: ", "), observed: observed)
        }
        guard !expected.isEmpty else {
            // Every category the item names is one this OpenSSL cannot offer: nothing it says was checked.
            return .error(
                "cannot check \(untried.joined(separator: ", ")): this OpenSSL cannot offer such suites (testssl.sh can)"
            )
        }
        return .pass(
            "\(scan.suites.count) suites accepted, " + expected.joined(separator: ", ") + note,
            expected: expected.joined(separator: ", "), observed: observed)
    }

    /// `tls.alpn`: the protocol the server selects when offered `protocol` and HTTP/1.1.
    static func alpn(_ host: String, _ port: Int, _ params: Params, _ timeout: Duration) throws -> Outcome {
        let wanted = params.string("protocol") ?? "h2"
        let selected: String?
        do {
            selected = try alpnSelected(host, port, wanted, timeout)
        } catch let refusal as ProbeError where refusal.isHandshake && !refusal.isClosedByPeer {
            // An alert (no_application_protocol, or no version in common): no client gets `wanted` here.
            return .fail(
                "\(wanted) cannot be selected: \(refusal.description)", expected: "\(wanted) selected by ALPN",
                observed: "refuses the handshake")
        }
        let observed = selected.map { "selects \($0) by ALPN" } ?? "selects no protocol by ALPN"
        return .check(
            selected == wanted, expected: "\(wanted) selected by ALPN", observed: observed, pass: observed,
            fail:
                "\(wanted) is not selected (\(selected ?? "no ALPN answer")): enable it on the server (nginx: http2 on)"
        )
    }

    /// The protocol the server selects when offered `wanted` and HTTP/1.1 (nil: none).
    static func alpnSelected(_ host: String, _ port: Int, _ wanted: String, _ timeout: Duration) throws -> String? {
        try Handshake.session(host: host, port: port, timeout: timeout) { ctx in
            var wire: [UInt8] = []
            for name in [wanted, "http/1.1"] {
                wire.append(UInt8(min(name.utf8.count, 255)))
                wire += name.utf8.prefix(255)
            }
            guard SSL_CTX_set_alpn_protos(ctx, wire, UInt32(wire.count)) == 0 else {
                throw ProbeError.local("OpenSSL refused the ALPN list \(wanted), http/1.1")
            }
        } inspect: { ssl -> String? in
            var data: UnsafePointer<UInt8>? = nil
            var length: UInt32 = 0
            SSL_get0_alpn_selected(ssl, &data, &length)
            guard let data, length > 0 else { return nil }
            return String(decoding: UnsafeBufferPointer(start: data, count: Int(length)), as: UTF8.self)
        }
    }

    /// `tls.renegotiation`: the server signals secure renegotiation (RFC 5746) over TLS 1.2 or older.
    static func renegotiation(_ host: String, _ port: Int, _ timeout: Duration) throws -> Outcome {
        let expected = "secure renegotiation (RFC 5746) over TLS 1.2 or older"
        let secure: Bool
        do {
            secure = try Handshake.session(host: host, port: port, timeout: timeout) { ctx in
                SSL_CTX_set_security_level(ctx, 0)
                gonogo_ssl_ctx_allow_legacy_server(ctx)
                _ = gonogo_ssl_ctx_set_max_proto_version(ctx, gonogo_tls1_2_version())
            } inspect: { ssl in
                gonogo_ssl_secure_renegotiation(ssl) == 1
            }
        } catch let failure as ProbeError where failure.isHandshake && !failure.isClosedByPeer {
            // TLS 1.3 only: renegotiation does not exist there.
            return .pass(
                "TLS 1.2 and older are refused: no renegotiation to secure", expected: expected,
                observed: "refuses TLS 1.2 and older")
        }
        let observed = secure ? "signals secure renegotiation" : "does not signal secure renegotiation"
        return .check(
            secure, expected: expected, observed: observed, pass: observed,
            fail: "no secure renegotiation (RFC 5746): update the server's TLS library")
    }

    /// `tls.fallback_scsv`: a handshake one version below the server's best, signalled as a fallback
    /// (TLS_FALLBACK_SCSV, RFC 7507), is refused.
    static func fallbackSCSV(_ host: String, _ port: Int, _ timeout: Duration) throws -> Outcome {
        let expected = "a downgraded handshake signalled with TLS_FALLBACK_SCSV refused"
        let best = try Handshake.session(host: host, port: port, timeout: timeout) { _ in
        } inspect: { ssl in
            SSL_version(ssl)
        }
        guard let at = versions.firstIndex(where: { $0.flag == best }), at > 0 else {
            return .pass(
                "only one version to offer: no fallback possible", expected: expected,
                observed: "negotiates \(versionName(best)) and nothing lower to fall back to")
        }
        let lower = versions[at - 1]
        do {
            try Handshake.session(host: host, port: port, timeout: timeout) { ctx in
                SSL_CTX_set_security_level(ctx, 0)
                SSL_CTX_set_cipher_list(ctx, "DEFAULT:@SECLEVEL=0")
                // The minimum too: a system policy (crypto-policies' MinProtocol) would keep the client from offering it.
                _ = gonogo_ssl_ctx_set_min_proto_version(ctx, lower.flag)
                _ = gonogo_ssl_ctx_set_max_proto_version(ctx, lower.flag)
                _ = gonogo_ssl_ctx_send_fallback_scsv(ctx)
            } inspect: { _ in
            }
        } catch let failure as ProbeError where failure.isHandshake && !failure.isClosedByPeer {
            let signalled = failure.description.contains("inappropriate fallback")
            let observed =
                signalled
                ? "refuses TLSv\(lower.name) signalled as a fallback (inappropriate_fallback)"
                : "refuses TLSv\(lower.name) as a fallback: \(failure.description)"
            return .pass(observed, expected: expected, observed: observed)
        }
        return .fail(
            "accepts TLSv\(lower.name) signalled as a fallback from \(versionName(best)): the server should refuse it "
                + "(RFC 7507; update its TLS library)", expected: expected,
            observed: "accepts a TLSv\(lower.name) fallback")
    }

    /// `TLSv1.3` for OpenSSL's version number.
    static func versionName(_ flag: Int32) -> String {
        versions.first { $0.flag == flag }.map { "TLSv\($0.name)" } ?? "version \(flag)"
    }
}
