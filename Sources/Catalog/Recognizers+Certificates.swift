/// The served certificate: validity, expiry, key size, signature digest, chain, OCSP stapling; and what only looks
/// like it (other certificates, fingerprints, a process). Protocol versions and HSTS: Recognizers+TLS.swift.
extension Recognizers {
    /// "Certificate installed", "Certificate renewal automated", "Certificate valid for at least 30 days".
    static func certificate(_ c: ItemContext) -> Recognition? {
        guard c.own.hasAny(["certificate", "certificates", "cert", "certs", "ocsp"]),
            !c.own.hasAny(["client certificate", "code signing", "signing certificate"])
        else { return nil }
        // Certificates to come ("ready to provision"), pinning in a client, a fingerprint written down, other
        // certificates (clients', signing, SAML, a CA's own kept offline): nothing the API's handshake shows.
        if c.own.hasAny([
            "ready to provision", "to provision", "pinning", "pinned", "pin", "pins", "fingerprint", "fingerprints",
            "thumbprint", "checksum", "checksums", "client certificates", "client cert", "client certs",
            "signing certificates", "signing cert", "signing certs", "saml", "idp", "s mime", "smime", "jwt",
            "developer id", "ca certificate", "ca certificates", "root ca", "intermediate ca", "third party",
            "3rd party", "backed up", "offline", "hash", "hashes", "hashed", "vpn", "distribution certificate",
            "provisioning profile", "apns", "push certificate", "private key", "private keys", "git ignored",
            "gitignored", "ipv6", "aaaa record",
        ])
            // Certificate files in the repository ("`deploy/nginx/certs/` git-ignored"): files, not the handshake.
            || c.code.contains(where: { CodeSpan.isFilePath($0) && !$0.hasPrefix("/etc/") })
                && !c.own.hasAny(["served", "serves", "valid", "expires", "expiry", "days"])
        {
            return Recognition(.manual, rule: "not the served certificate")
        }
        // Monitoring set up, renewal automated: a process; a certificate's expiry today says nothing of either.
        let hasDays = c.own.hasAny(["days", "day", "week", "weeks", "month", "months"])
        // Getting a certificate ("Issue the certificate with certbot for … after DNS points at the new box") is a step.
        if c.own.hasPrefix("monitor") || c.own.hasAny(["alert", "alerts", "alerting"])
            || c.own.hasPrefix("renew") && !hasDays || c.own.hasAny(["auto renewing", "auto renew", "autorenew"])
            || ["issue", "request", "order", "buy", "purchase", "generate", "create"].contains(
                c.own.words.first ?? "")
                && ["a", "an", "the", "new", "ssl", "tls", "certificate", "certificates", "cert", "certs"].contains(
                    c.own.words.dropFirst().first ?? "")
        {
            return Recognition(.manual, rule: "a process, not the served certificate")
        }
        // Certificates "ready for shop.example.com": provisioned for a host, a state of the provisioning, not of what
        // the API serves today.
        let named = c.text.split(separator: " ").contains { w in
            !w.hasSuffix(".pem") && !w.hasSuffix(".crt") && !w.hasSuffix(".key") && isHostName(w)
        }
        if named && c.own.has("ready") {
            return Recognition(.manual, rule: "another host's certificate")
        }
        let expiry =
            c.own.hasPrefix("expir") || c.own.hasPrefix("renew")
            || c.own.hasAny(["days", "day", "week", "weeks", "month", "months", "year", "years"])
        if expiry {
            // "Not expired" with no number of days is today, not a month ahead.
            var days =
                c.own.hasAny(["not expired", "unexpired", "hasn t expired", "isn t expired", "not be expired"])
                ? 0.0 : 30.0
            if let bound = ThresholdParser(tokens: c.own).all().first(where: { $0.dimension == .time }) {
                days = bound.value / 86_400_000
            } else if let i = c.own.words.firstIndex(where: { $0 == "days" || $0 == "day" }), i > 0 {
                // "30 days", "14+ days" (at least 14).
                let w = c.own.words
                if let v = Double(w[i - 1]) ?? Double(w[i - 1].filter { $0 != "+" }) {
                    days = v
                } else if i > 1, w[i - 1] == "+", let v = Double(w[i - 2]) {
                    days = v
                }
            }
            var params: [(String, Params.Value)] = [("min_days", .int(ThresholdParser.clampedInt(days)))]
            // "SSL certificate valid and not expiring within 30 days" names validity as well: both are checked
            // ("valid for 30 days" is the expiry alone).
            if c.own.hasAny(["trusted", "verified", "verifies", "chain"])
                || c.own.has("valid") && !c.own.hasAny(["valid for", "valid until", "valid through"])
            {
                params.append(("valid", .bool(true)))
            }
            return Recognition(Kind(.tls, "expiry"), params, rule: "certificate expiry")
        }
        var params: [(String, Params.Value)] = []
        if c.own.has("ocsp") {
            // "OCSP stapling disabled" asks for no stapling: no check of that here.
            if c.own.hasAny(["disabled", "off", "not", "no"]) { return Recognition(.manual, rule: "OCSP off") }
            params.append(("ocsp", .bool(true)))
        }
        // "Certificate key at least 4096 bits", "RSA 2048-bit key or stronger".
        if c.own.hasAny(["key", "rsa", "ecdsa"]),
            let i = c.own.words.firstIndex(where: { $0 == "bit" || $0 == "bits" }), i > 0,
            let bits = Int(c.own.words[i - 1])
        {
            params.append(("min_key_bits", .int(bits)))
        }
        // "Certificate signed with SHA-256 or stronger", "No SHA-1 certificates": the digest of the signatures.
        if let digest = signatureFloor(c.own) { params.append(("signature", .string(digest))) }
        // "Full certificate chain served (intermediates included)": the intermediates sent, in order.
        if c.own.hasAny([
            "intermediate", "intermediates", "full chain", "fullchain", "complete chain", "chain complete",
            "chain is complete", "incomplete chain", "chain incomplete", "chain order", "chain in order",
        ]) {
            params.append(("chain", .bool(true)))
        }
        // A part named alone checks that part; "valid", "trusted", "chain of trust" beside it ask for validity too.
        if !params.isEmpty,
            c.own.hasAny(["valid", "trusted", "verified", "verifies", "chain of trust", "trust chain"])
        {
            params.append(("valid", .bool(true)))
        }
        return Recognition(Kind(.tls, "certificate"), params, rule: "certificate")
    }

    /// The weakest signature digest a sentence accepts: "SHA-256 or stronger" and "no SHA-1" both mean sha256;
    /// "SHA-384" means sha384. Nil when it names no digest.
    static func signatureFloor(_ own: Tokens) -> String? {
        // SHA-2 named of a certificate is its signature ("Certificate uses SHA-256": a fingerprint, pin or hash is
        // no check here, see `certificate`); SHA-1 or MD5 counts where the sentence speaks of signing or refuses it.
        let signing = own.hasAny(["signed", "signature", "signatures", "signing"])
        let refusing = own.hasAny(["no", "not", "without", "disabled", "removed", "replaced", "never"])
        let w = own.words
        for (i, word) in w.enumerated() {
            let digest: String
            if word.hasPrefix("sha"),
                let bits = Int(word.dropFirst(3)) ?? (word == "sha" && i + 1 < w.count ? Int(w[i + 1]) : nil)
            {
                digest = "sha\(bits)"
            } else if word == "md5" {
                digest = "md5"
            } else {
                continue
            }
            switch digest {
            // SHA-1 and MD5 are named to be refused ("no SHA-1", "SHA-1 certificates replaced"); SHA-2 is SHA-256.
            case "sha1", "md5": return signing || refusing ? "sha256" : nil
            case "sha2", "sha256": return "sha256"
            case "sha384", "sha512": return digest
            default: return nil
            }
        }
        return nil
    }

    /// Whether `w` is a host name: labels of ASCII letters, digits and `-` joined by dots, the last of two letters or
    /// more (`shop.example.com`; not `1.2`, `v2`, `./certs`).
    static func isHostName(_ w: Substring) -> Bool {
        let labels = w.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
        func isLabelByte(_ b: UInt8) -> Bool { isLetter(b) || (0x30...0x39).contains(b) || b == UInt8(ascii: "-") }
        guard labels.count >= 2, let last = labels.last,
            last.count >= 2, last.allSatisfy(isLetter),
            labels.allSatisfy({ !$0.isEmpty && $0.allSatisfy(isLabelByte) })
        else { return false }
        return true
    }
}
