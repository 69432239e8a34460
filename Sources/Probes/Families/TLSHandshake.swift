import COpenSSL
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// One TLS handshake, blocking, with every wait bounded by the timeout.
enum Handshake {
    struct Peer {
        var verified: Bool
        var verifyError: String
        var subject: String
        var notAfter: String
        var days: Int
        /// Seconds until notAfter, negative once it has passed (`days` is 0 for the day either side of it).
        var secondsLeft: Int
        var keyType: String
        var keyBits: Int
        var ocspStapled: Bool
        /// OpenSSL's verify result (`X509_V_OK` is 0): 2, 20 and 21 mean an issuer was neither sent nor trusted.
        var verifyCode: Int = 0
        /// The certificates the server sent, leaf first: subject, the digest its issuer signed it with, and whether
        /// it signs itself (a root, whose own signature no client checks).
        var sent: [Sent] = []
        /// Whether each sent certificate is issued by the next one.
        var inOrder = true
    }

    struct Sent {
        var subject: String
        var issuer: String
        var digest: String
        var selfIssued: Bool
        /// Whether it is a CA's certificate (basicConstraints CA:true, or an old root).
        var isCA = false
    }

    static func run(
        host: String, port: Int, version: Int32?, caFile: String?, verify: Bool = true, timeout: Duration
    ) throws -> Peer {
        try session(host: host, port: port, timeout: timeout) { ctx in
            if let version {
                _ = gonogo_ssl_ctx_set_min_proto_version(ctx, version)
                _ = gonogo_ssl_ctx_set_max_proto_version(ctx, version)
                SSL_CTX_set_security_level(ctx, 0)
                SSL_CTX_set_cipher_list(ctx, "DEFAULT:@SECLEVEL=0")
            }
            if let caFile {
                guard SSL_CTX_load_verify_locations(ctx, caFile, nil) == 1 else {
                    throw ProbeError.local("cannot read the CA file \(caFile)")
                }
            } else {
                SSL_CTX_set_default_verify_paths(ctx)
            }
        } prepare: { ssl in
            if verify { SSL_set1_host(ssl, host) }
            _ = gonogo_ssl_set_tlsext_status_type(ssl, 1)  // TLSEXT_STATUSTYPE_ocsp
        } inspect: { ssl in
            try peer(ssl)
        }
    }

    /// One handshake with `host`: `configure` sets up the context, `prepare` the connection made from it (before SNI
    /// and the handshake), `inspect` reads the session once it is up. Every failure is thrown as a ``ProbeError`` that says which it was:
    /// an alert or a refusal (`isHandshake`), a hang-up during the handshake, no answer within `timeout`.
    static func session<T>(
        host: String, port: Int, timeout: Duration, configure: (OpaquePointer) throws -> Void,
        prepare: (OpaquePointer) -> Void = { _ in }, inspect: (OpaquePointer) throws -> T
    ) throws -> T {
        let fd = try TCP.connect(host: host, port: port, timeout: timeout)
        defer { close(fd) }
        guard let ctx = SSL_CTX_new(TLS_client_method()) else { throw ProbeError.tls("OpenSSL could not start") }
        defer { SSL_CTX_free(ctx) }
        // The context first: a connection copies its versions, ciphers and ALPN list when it is made.
        try configure(ctx)
        guard let ssl = SSL_new(ctx) else { throw ProbeError.tls("OpenSSL could not start") }
        defer { SSL_free(ssl) }
        prepare(ssl)
        SSL_set_fd(ssl, fd)
        if !host.allSatisfy({ $0.isNumber || $0 == "." || $0 == ":" }) {
            _ = gonogo_ssl_set_tlsext_host_name(ssl, host)
        }
        ERR_clear_error()
        errno = 0
        let connected = SSL_connect(ssl)
        guard connected == 1 else {
            let failure = errno
            let code = ERR_get_error()
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            // OpenSSL 3 reports the peer's hang-up as an error of its own ("unexpected eof while reading").
            let eof = code != 0 && Self.text(buffer).contains("unexpected eof")
            let reason = Self.text(buffer)
            // What this client could not even offer (a system policy, a cipher list left empty): no server refused it.
            if reason.contains("no protocols available") || reason.contains("no ciphers available") {
                throw ProbeError.local("OpenSSL here could not offer the handshake: \(reason)")
            }
            if code != 0 && !eof {
                // The server answered with an alert, or OpenSSL refused what it sent: a refusal.
                throw ProbeError.tls(
                    reason: reason, handshake: true, "TLS handshake with \(host):\(port) failed: \(reason)")
            }
            if failure == EAGAIN || failure == EWOULDBLOCK || failure == ETIMEDOUT {
                // The socket's read timeout ran out: the server never answered, which is no refusal.
                throw ProbeError.tls(
                    reason: "timeout", handshake: false,
                    "TLS handshake with \(host):\(port): no answer within \(seconds(timeout))")
            }
            // End of stream, EPIPE or ECONNRESET: the server hung up in the middle of the handshake.
            let how = failure == 0 ? "" : " (\(String(cString: strerror(failure))))"
            throw ProbeError.tls(
                reason: nil, handshake: true,
                "TLS handshake with \(host):\(port) failed: the server closed the connection during the handshake\(how)"
            )
        }
        defer { SSL_shutdown(ssl) }
        return try inspect(ssl)
    }

    /// What the server's certificate shows, and whether it verified.
    private static func peer(_ ssl: OpaquePointer) throws -> Peer {
        guard let cert = SSL_get1_peer_certificate(ssl) else {
            throw ProbeError.tls("the server sent no certificate")
        }
        defer { X509_free(cert) }
        var days: Int32 = 0
        var secs: Int32 = 0
        ASN1_TIME_diff(&days, &secs, nil, X509_get0_notAfter(cert))
        let notAfter = bio { ASN1_TIME_print($0, X509_get0_notAfter(cert)) }
        var name = [CChar](repeating: 0, count: 256)
        X509_NAME_oneline(X509_get_subject_name(cert), &name, Int32(name.count))
        let subject = Self.text(name)
        let key = X509_get0_pubkey(cert)
        let keyType: String
        switch EVP_PKEY_get_base_id(key) {
        case EVP_PKEY_RSA, EVP_PKEY_RSA_PSS: keyType = "RSA"
        case EVP_PKEY_DSA: keyType = "DSA"
        case EVP_PKEY_EC: keyType = "EC"
        case EVP_PKEY_ED25519: keyType = "Ed25519"
        case EVP_PKEY_ED448: keyType = "Ed448"
        default: keyType = "key"
        }
        let result = SSL_get_verify_result(ssl)
        var sent: [Sent] = []
        var inOrder = true
        var previous: OpaquePointer? = nil
        for i in 0..<gonogo_ssl_peer_chain_count(ssl) {
            guard let next = gonogo_ssl_peer_chain_at(ssl, i) else { continue }
            if let previous, X509_check_issued(next, previous) != X509_V_OK { inOrder = false }
            var digest: Int32 = 0
            var key: Int32 = 0
            let signature = X509_get_signature_nid(next)
            _ = OBJ_find_sigid_algs(signature, &digest, &key)
            // EdDSA signs without a separate digest: the scheme is its name.
            let name = OBJ_nid2sn(digest == 0 ? signature : digest).map { String(cString: $0) } ?? "unknown"
            var line = [CChar](repeating: 0, count: 256)
            X509_NAME_oneline(X509_get_subject_name(next), &line, Int32(line.count))
            let subject = Self.text(line)
            X509_NAME_oneline(X509_get_issuer_name(next), &line, Int32(line.count))
            sent.append(
                Sent(
                    subject: subject, issuer: Self.text(line), digest: name,
                    selfIssued: X509_check_issued(next, next) == X509_V_OK, isCA: X509_check_ca(next) != 0))
            previous = next
        }
        var ocsp: UnsafePointer<UInt8>? = nil
        let ocspLength = gonogo_ssl_get_tlsext_status_ocsp_resp(ssl, &ocsp)
        return Peer(
            verified: result == X509_V_OK, verifyError: String(cString: X509_verify_cert_error_string(result)),
            subject: subject, notAfter: notAfter, days: Int(days), secondsLeft: Int(days) * 86_400 + Int(secs),
            keyType: keyType,
            keyBits: Int(EVP_PKEY_get_bits(key)),
            ocspStapled: ocspLength > 0 && ocsp != nil, verifyCode: Int(result), sent: sent, inOrder: inOrder)
    }

    /// A NUL-terminated C buffer as a string.
    static func text(_ buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// What an OpenSSL printer writes, as a string.
    static func bio(_ print: (OpaquePointer?) -> Int32) -> String {
        guard let bio = BIO_new(BIO_s_mem()) else { return "" }
        defer { BIO_free(bio) }
        _ = print(bio)
        var buffer = [UInt8](repeating: 0, count: 512)
        let n = BIO_read(bio, &buffer, Int32(buffer.count))
        return n > 0 ? String(decoding: buffer[0..<Int(n)], as: UTF8.self) : ""
    }
}

/// A TCP connection with a bounded connect and bounded reads and writes.
enum TCP {
    static func connect(host: String, port: Int, timeout: Duration) throws -> Int32 {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>? = nil
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            throw ProbeError.local("cannot resolve \(host): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(list) }
        let ms = Int32(max(1, timeout.wholeMilliseconds))
        var lastError = "no address"
        var next: UnsafeMutablePointer<addrinfo>? = first
        while let info = next {
            next = info.pointee.ai_next
            let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
            guard fd >= 0 else { continue }
            let flags = fcntl(fd, F_GETFL)
            _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
            var connected = Glibc.connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0
            if !connected, errno == EINPROGRESS {
                var poller = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                if poll(&poller, 1, ms) == 1 {
                    var error: Int32 = 0
                    var length = socklen_t(MemoryLayout<Int32>.size)
                    getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
                    connected = error == 0
                    if !connected { lastError = String(cString: strerror(error)) }
                } else {
                    lastError = "no answer within \(seconds(timeout))"
                }
            } else if !connected {
                lastError = String(cString: strerror(errno))
            }
            guard connected else {
                close(fd)
                continue
            }
            _ = fcntl(fd, F_SETFL, flags)
            var tv = timeval(tv_sec: Int(ms / 1000), tv_usec: Int(ms % 1000) * 1000)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
            setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
            return fd
        }
        throw ProbeError.local("cannot connect to \(host):\(port): \(lastError)")
    }
}
