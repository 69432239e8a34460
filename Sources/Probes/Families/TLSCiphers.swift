import COpenSSL
import Foundation

/// The cipher suites a server accepts, found by elimination: offer every suite this OpenSSL has (at security level 0,
/// so that NULL, anonymous and other weak suites are offered too), note the one the server picks, offer the rest
/// again, until the server refuses: one handshake per accepted suite and one more. TLS 1.0–1.2 suites and TLS 1.3
/// suites are scanned apart (they are negotiated apart).
enum CipherScan {
    /// One accepted suite: its OpenSSL name, the protocol it was accepted with, what it is made of.
    struct Suite: Equatable, Sendable {
        let name: String
        let version: String
        let categories: [String]
        let forwardSecret: Bool
    }

    struct Result: Sendable {
        var suites: [Suite] = []
        /// Whether the server picks by its own order (nil: fewer than two TLS 1.0–1.2 suites to tell by).
        var serverOrder: Bool?
        /// What a usual client (OpenSSL's defaults) gets, nil when the server refuses it.
        var usual: Suite?
    }

    /// Weak categories a suite can fall in, as `tls.ciphers refuse=` names them.
    static let categories = ["null", "anull", "export", "rc4", "des", "3des", "md5", "cbc", "static_rsa"]
    /// "Weak ciphers disabled": every category but CBC and static RSA key exchange, which are old but not broken.
    static let weak = ["null", "anull", "export", "rc4", "des", "3des", "md5"]

    /// The categories of `cipher`.
    static func categories(of cipher: OpaquePointer) -> [String] {
        let name = String(cString: SSL_CIPHER_get_name(cipher))
        let encryption = SSL_CIPHER_get_cipher_nid(cipher)
        let tls13 = SSL_CIPHER_get_kx_nid(cipher) == NID_kx_any
        var found: [String] = []
        if encryption == NID_undef && !tls13 { found.append("null") }
        if SSL_CIPHER_get_auth_nid(cipher) == NID_auth_null { found.append("anull") }
        if name.contains("EXP") { found.append("export") }
        if encryption == NID_rc4 || encryption == NID_rc4_40 { found.append("rc4") }
        if encryption == NID_des_cbc { found.append("des") }
        if encryption == NID_des_ede3_cbc { found.append("3des") }
        if SSL_CIPHER_get_digest_nid(cipher) == NID_md5 { found.append("md5") }
        if encryption != NID_undef && SSL_CIPHER_is_aead(cipher) == 0 && encryption != NID_rc4 {
            found.append("cbc")
        }
        if !isForwardSecret(cipher) && !found.contains("anull") { found.append("static_rsa") }
        return found
    }

    /// ECDHE or DHE key exchange, or any TLS 1.3 suite.
    static func isForwardSecret(_ cipher: OpaquePointer) -> Bool {
        let kx = SSL_CIPHER_get_kx_nid(cipher)
        return kx == NID_kx_ecdhe || kx == NID_kx_dhe || kx == NID_kx_ecdhe_psk || kx == NID_kx_dhe_psk
            || kx == NID_kx_any
    }
}

extension CipherScan {
    /// Every suite this OpenSSL can offer at security level 0: its name, whether it is TLS 1.3's, its categories.
    static let offerable: [(name: String, modern: Bool, categories: [String])] = {
        guard let ctx = SSL_CTX_new(TLS_client_method()) else { return [] }
        defer { SSL_CTX_free(ctx) }
        SSL_CTX_set_security_level(ctx, 0)
        SSL_CTX_set_cipher_list(ctx, "ALL:COMPLEMENTOFALL:@SECLEVEL=0")
        // Every TLS 1.3 suite, not only the three OpenSSL offers by default.
        SSL_CTX_set_ciphersuites(ctx, tls13Suites)
        guard let ssl = SSL_new(ctx) else { return [] }
        defer { SSL_free(ssl) }
        return (0..<gonogo_ssl_cipher_count(ssl)).compactMap { i in
            gonogo_ssl_cipher_at(ssl, i).map { cipher in
                (
                    String(cString: SSL_CIPHER_get_name(cipher)), SSL_CIPHER_get_kx_nid(cipher) == NID_kx_any,
                    categories(of: cipher)
                )
            }
        }
    }()

    static let tls13Suites =
        "TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256:TLS_AES_128_CCM_SHA256:"
        + "TLS_AES_128_CCM_8_SHA256"

    /// The categories this OpenSSL can offer at least one suite of (RC4, 3DES, EXPORT and DES are gone from OpenSSL
    /// 3's default provider: whether a server accepts them cannot be seen from here).
    static var testableCategories: Set<String> { Set(offerable.flatMap(\.categories)) }

    /// Scans `host:port`, stopping with an error once `deadline` passes or `cancelled` says so.
    static func scan(
        host: String, port: Int, timeout: Duration, deadline: ContinuousClock.Instant,
        cancelled: @Sendable () -> Bool = { false }
    ) throws -> Result {
        var result = Result()
        result.usual = try pick(host, port, nil, modern: false, timeout: timeout)
        for modern in [false, true] {
            var offered = offerable.filter { $0.modern == modern }.map(\.name)
            var picked: [Suite] = []
            while !offered.isEmpty {
                guard ContinuousClock.now < deadline, !cancelled() else {
                    throw ProbeError.local(
                        "the cipher scan did not end in time (\(result.suites.count + picked.count) suites found)")
                }
                guard let suite = try pick(host, port, offered, modern: modern, timeout: timeout) else { break }
                picked.append(suite)
                offered.removeAll { $0 == suite.name }
            }
            if !modern && picked.count >= 2 {
                if cancelled() { throw CancellationError() }
                // Offered the server's second pick first: a server that keeps its own order picks its first again.
                let again = try pick(host, port, [picked[1].name, picked[0].name], modern: false, timeout: timeout)
                result.serverOrder = again?.name == picked[0].name
            }
            result.suites += picked
        }
        return result
    }

    /// The suite the server picks from `offered` (nil: what OpenSSL offers by default, TLS 1.3 too), or nil when it
    /// refuses them all.
    private static func pick(
        _ host: String, _ port: Int, _ offered: [String]?, modern: Bool, timeout: Duration
    ) throws -> Suite? {
        do {
            return try Handshake.session(host: host, port: port, timeout: timeout) { ctx in
                guard let offered else { return }
                SSL_CTX_set_security_level(ctx, 0)
                gonogo_ssl_ctx_allow_legacy_server(ctx)
                let version = modern ? gonogo_tls1_3_version() : gonogo_tls1_2_version()
                _ = gonogo_ssl_ctx_set_min_proto_version(ctx, modern ? version : gonogo_tls1_version())
                _ = gonogo_ssl_ctx_set_max_proto_version(ctx, version)
                let list = offered.joined(separator: ":")
                let set =
                    modern ? SSL_CTX_set_ciphersuites(ctx, list) : SSL_CTX_set_cipher_list(ctx, list + ":@SECLEVEL=0")
                if set != 1 { throw ProbeError.local("OpenSSL refused the cipher list \(list)") }
            } inspect: { ssl in
                guard let cipher = SSL_get_current_cipher(ssl) else { throw ProbeError.tls("no cipher negotiated") }
                return Suite(
                    name: String(cString: SSL_CIPHER_get_name(cipher)), version: String(cString: SSL_get_version(ssl)),
                    categories: categories(of: cipher), forwardSecret: isForwardSecret(cipher))
            }
        } catch let failure as ProbeError where failure.isHandshake && !failure.isClosedByPeer {
            // An alert: none of `offered` is accepted. A hang-up is thrown: a connection limit can look like one, and
            // reading it as "the rest are refused" would pass a server that accepts them.
            return nil
        }
    }
}
