/// What the handshakes negotiate beyond versions and certificates: cipher suites, ALPN, secure renegotiation.
extension Recognizers {
    /// "Weak ciphers disabled", "No RC4 or 3DES", "Forward secrecy enabled", "Server cipher order preferred".
    static func tlsCiphers(_ c: ItemContext) -> Recognition? {
        let ciphers = c.own.hasAny([
            "cipher", "ciphers", "cipher suite", "cipher suites", "ciphersuites", "ciphersuite",
        ])
        let secrecy = c.own.hasAny(["forward secrecy", "pfs", "forward secret"])
        guard ciphers || secrecy else { return nil }
        // A list someone reviews or writes down, a directive of a server's config (`ssl_ciphers …`,
        // `SSLHonorCipherOrder on`): what a file says, read by the config rules, not what the server accepts.
        // Ciphers as the reason for something else ("session tickets off to keep forward secrecy", "a 2048-bit DH
        // group for DHE suites", a certificate's key): that other thing is what the sentence asks for.
        if c.own.hasAny([
            "session", "ticket", "tickets", "dhparam", "diffie", "hellman", "dh", "certificate", "key", "keys", "hsts",
            "ocsp", "stapling", "curve", "curves",
        ]) {
            return nil
        }
        // Another service's or another use's ciphers (SSH, mail, a database link, a VPN, backups, passwords, tokens,
        // end-to-end messages), or an exception someone allows: not what the API's TLS server accepts.
        if c.own.hasAny([
            "ssh", "sshd", "smtp", "starttls", "imap", "redis", "database", "db", "postgres", "mysql", "sslmode", "vpn",
            "wireguard", "ipsec", "tunnel", "jwt", "jwts", "token", "tokens", "password", "passwords", "hashed", "hash",
            "backup", "backups", "encrypted", "at rest", "end to end", "ratchet", "messages", "client", "library",
            "macs", "kafka", "allowed", "permitted", "accepted risk", "exception", "appliance",
        ]) || c.scope.hasAny(["ssh", "sshd", "smtp", "mail", "vpn", "database", "backup", "backups"]) {
            return nil
        }
        if c.own.hasAny(["review", "reviewed", "documented", "approved", "audit", "audited", "inventory"])
            || c.text.contains(".conf")
            || c.code.contains(where: { $0.contains("/") || $0.lowercased().hasPrefix("ssl") })
        {
            return nil
        }
        let refusing = c.own.hasAny([
            "disabled", "disable", "no", "not", "removed", "off", "rejected", "refused", "excluded", "without", "never",
            "prohibited", "disallowed", "blocked", "only",
        ])
        var refuse: [String] = []
        if c.own.hasAny(["weak", "insecure", "legacy", "broken", "obsolete", "deprecated"]) && refusing
            || c.own.hasAny(["strong", "modern", "secure"]) && ciphers
                && (refusing || c.own.hasAny(["configured", "enabled", "used", "required", "enforced"]))
        {
            refuse = ["null", "anull", "export", "rc4", "des", "3des", "md5"]
        }
        if refusing {
            let named: [(String, [String])] = [
                ("null", ["null", "enull"]), ("anull", ["anonymous", "anull", "adh", "aecdh"]),
                ("export", ["export", "exp"]), ("rc4", ["rc4", "arcfour"]),
                ("3des", ["3des", "triple des", "des3", "des cbc3"]), ("md5", ["md5"]), ("cbc", ["cbc"]),
                ("static_rsa", ["static rsa", "rsa key exchange"]),
            ]
            for (category, words) in named where words.contains(where: c.own.contains) && !refuse.contains(category) {
                refuse.append(category)
            }
            if c.own.has("des") && !c.own.hasAny(["3des", "triple des", "des3", "des cbc3"]) && !refuse.contains("des")
            {
                refuse.append("des")
            }
        }
        var params: [(String, Params.Value)] = []
        if secrecy || c.own.hasAny(["ecdhe", "dhe"]) && c.own.has("only") {
            // "All suites forward secret", "ECDHE only": every suite; else as testssl.sh judges it, a usual client's.
            if c.own.hasAny(["only", "all ciphers", "all cipher suites", "all suites", "every suite", "every cipher"]) {
                if !refuse.contains("static_rsa") { refuse.append("static_rsa") }
            } else if !c.own.hasAny(["disabled", "no", "not", "without"]) {
                params.append(("forward_secrecy", .bool(true)))
            }
        }
        if !refuse.isEmpty { params.insert(("refuse", .list(refuse)), at: 0) }
        if c.own.hasAny([
            "server cipher order", "server order", "server preference", "server s order", "server side order",
        ])
            || c.own.hasAny(["prefer server ciphers", "server preferred order", "honor cipher order"])
        {
            params.append(("server_order", .bool(true)))
        }
        guard !params.isEmpty else { return nil }
        return Recognition(Kind(.tls, "ciphers"), params, rule: "cipher suites")
    }

    /// "HTTP/2 enabled", "ALPN h2 negotiated"; "secure renegotiation supported", "insecure renegotiation disabled";
    /// "TLS_FALLBACK_SCSV supported".
    static func tlsNegotiation(_ c: ItemContext) -> Recognition? {
        if c.own.has("renegotiation") {
            // Client-initiated renegotiation is another test (a client asks for one); not tried here.
            guard !c.own.hasAny(["client initiated", "client"]) else { return nil }
            let secure = c.own.has("secure renegotiation") && !c.own.hasAny(["disabled", "no", "not"])
            let insecureOff = c.own.has("insecure renegotiation") && c.own.hasAny(["disabled", "no", "not", "off"])
            return secure || insecureOff ? Recognition(Kind(.tls, "renegotiation"), rule: "renegotiation") : nil
        }
        // "TLS_FALLBACK_SCSV supported": the signal of RFC 7507 ("downgrade" alone is as often HSTS's stripping).
        if c.own.has("fallback scsv") {
            return c.own.hasAny(["disabled", "not", "no"])
                ? nil : Recognition(Kind(.tls, "fallback_scsv"), rule: "fallback signal")
        }
        // HTTP/2 by name ("h2" alone is a heading tag or a database as often).
        let h2 = c.own.hasAny(["http / 2", "http2"]) || c.own.has("alpn") && c.own.has("h2")
        guard h2, !c.own.hasAny(["http / 3", "http3", "quic", "disabled", "not", "no"]),
            c.own.hasAny(["enabled", "enable", "supported", "on", "available", "negotiated", "served", "alpn"])
        else { return nil }
        return Recognition(Kind(.tls, "alpn"), [("protocol", .string("h2"))], rule: "http/2 by alpn")
    }
}
