import COpenSSL
import Catalog
import Foundation
import Results

#if canImport(Glibc)
    import Glibc
#endif

/// `tls.*`: handshakes with OpenSSL against the API's host and port. Each protocol version is tried on its own, with
/// the client's security level lowered so that it may ask for old versions: a refusal is then the server's.
struct TLSProbe: Probe {
    /// The kinds this probe runs: exactly its family's in `Kind.registry` (`ProbeTableTests`).
    let kinds = ["protocols", "certificate", "expiry", "ciphers", "alpn", "renegotiation", "fallback_scsv"].map {
        Kind(.tls, $0)
    }

    func run(_ item: PlannedItem, in context: ProbeContext) async -> Outcome {
        guard let api = context.settings.apiURL, let url = URLComponents(string: api), let host = url.host,
            url.scheme?.lowercased() == "https"
        else {
            return .error("no HTTPS API URL: pass --api-url https://HOST or set `api_url:` in gonogo.yml")
        }
        let port = url.port ?? 443
        let caFile = context.settings.http.caFile.map(context.settings.resolve)
        let timeout = min(context.settings.http.timeout, context.settings.itemTimeout)
        let params = item.params
        let kind = item.kind.name ?? ""
        do {
            // Scans of many handshakes stop between them once the check is abandoned (its timeout, the run's).
            return try await Blocking.run { cancelled in
                switch kind {
                case "protocols": return try Self.protocols(host, port, params, timeout, cancelled: cancelled)
                case "ciphers":
                    let deadline = ContinuousClock.now + context.settings.itemTimeout
                    let scan = try CipherScan.scan(
                        host: host, port: port, timeout: timeout, deadline: deadline, cancelled: cancelled)
                    return Self.ciphers(scan, params)
                case "alpn": return try Self.alpn(host, port, params, timeout)
                case "renegotiation": return try Self.renegotiation(host, port, timeout)
                case "fallback_scsv": return try Self.fallbackSCSV(host, port, timeout)
                case "certificate", "expiry":
                    let peer = try Handshake.run(host: host, port: port, version: nil, caFile: caFile, timeout: timeout)
                    return kind == "certificate"
                        ? try Self.certificate(peer, host, params) : Self.expiry(peer, host, params)
                default: return .unsupported(item.kind)
                }
            }
        } catch let failure as ProbeError {
            return .error(failure.description)
        } catch {
            return .error("\(error)")
        }
    }

    static let versions: [(name: String, flag: Int32)] = [
        ("1.0", gonogo_tls1_version()), ("1.1", gonogo_tls1_1_version()), ("1.2", gonogo_tls1_2_version()),
        ("1.3", gonogo_tls1_3_version()),
    ]

    /// Versions in order, oldest first: SSLv2 and SSLv3 by hand-made hellos, TLS by OpenSSL.
    static let order = ["ssl2", "ssl3", "1.0", "1.1", "1.2", "1.3"]
    static func display(_ version: String) -> String {
        version.hasPrefix("ssl") ? "SSLv" + version.dropFirst(3) : "TLSv" + version
    }

    static func protocols(
        _ host: String, _ port: Int, _ params: Params, _ timeout: Duration,
        cancelled: @Sendable () -> Bool = { false }
    ) throws -> Outcome {
        let mustAccept = params.strings("accept") ?? []
        let refuse = params.strings("refuse") ?? []
        // "TLS 1.3 supported" or "SSLv3 disabled" alone asks for no floor; otherwise 1.2 unless the item names one.
        let minimum = params.string("min") ?? (mustAccept.isEmpty && refuse.isEmpty ? "1.2" : nil)
        for name in [minimum].compactMap({ $0 }) + refuse + mustAccept where !order.contains(name) {
            throw ProbeError.local("\(name) is no protocol version: name ssl2, ssl3, 1.0, 1.1, 1.2 or 1.3")
        }
        func below(_ version: String, _ floor: String) -> Bool {
            order.firstIndex(of: version)! < order.firstIndex(of: floor)!
        }
        var accepted: [String] = []
        var alerted = false
        var closed: ProbeError? = nil
        for (name, flag) in versions {
            if cancelled() { throw CancellationError() }
            do {
                _ = try Handshake.run(
                    host: host, port: port, version: flag, caFile: nil, verify: false, timeout: timeout)
                accepted.append(name)
            } catch let failure as ProbeError where failure.isHandshake {
                // Refused at this version: with an alert, or by hanging up (as some servers refuse old versions).
                if failure.isClosedByPeer { closed = failure } else { alerted = true }
            }
            // A timeout or a connection failure is thrown: the check could not decide, it is no refusal.
        }
        // A server that hangs up on every TLS version refused nothing in particular: it could not be checked.
        if accepted.isEmpty, !alerted, let closed { throw closed }
        // SSLv2 and SSLv3 where the item asks of them: named, or below its floor.
        var legacy: [String] = []
        for (name, hello) in [("ssl2", LegacyHello.sslv2), ("ssl3", LegacyHello.sslv3)]
        where minimum != nil || refuse.contains(name) || mustAccept.contains(name) {
            if cancelled() { throw CancellationError() }
            do {
                // Refused by an alert or a hang-up alike: no server that speaks SSLv2 or SSLv3 hangs up on its hello.
                if try hello(host, port, timeout) == .accepted { legacy.append(name) }
            } catch is ProbeError where !accepted.isEmpty {
                // A TLS server that lets an SSL hello time out or answers it oddly does not speak SSL: refused.
            }
        }
        accepted = legacy + accepted
        // Below the minimum, and any version the item names as refused ("TLSv1.0 and 1.1 disabled").
        let tooOld = accepted.filter { version in
            minimum.map { below(version, $0) } == true || refuse.contains(version)
        }
        let modern = accepted.filter { version in minimum.map { !below(version, $0) } ?? true }
        let missing = mustAccept.filter { !accepted.contains($0) }
        let observed = "accepts " + (accepted.isEmpty ? "nothing" : accepted.map(display).joined(separator: ", "))
        var expected: [String] = []
        if let minimum { expected.append("\(display(minimum)) or later only") }
        if !refuse.isEmpty { expected.append(refuse.map(display).joined(separator: " and ") + " refused") }
        if !mustAccept.isEmpty { expected.append(mustAccept.map(display).joined(separator: " and ") + " accepted") }
        let fail: String
        if !tooOld.isEmpty {
            fail =
                tooOld.map(display).joined(separator: " and ") + " still accepted: "
                + (minimum.map { floor in tooOld.allSatisfy { below($0, floor) } } == true
                    ? "set the minimum to \(display(minimum!))" : "the item asks for these to be refused")
        } else if !missing.isEmpty {
            fail = missing.map(display).joined(separator: " and ") + " not accepted"
        } else {
            fail = "no protocol version from \(display(minimum ?? "1.0")) is accepted"
        }
        return .check(
            tooOld.isEmpty && missing.isEmpty && !modern.isEmpty, expected: expected.joined(separator: ", "),
            observed: observed, pass: observed, fail: fail)
    }

    /// What the certificate shows: subject, key, days left, OCSP stapling.
    static func describe(_ peer: Handshake.Peer) -> String {
        let equivalent =
            ["RSA", "DSA"].contains(peer.keyType) || rsaEquivalentBits(peer) == 0
            ? "" : " (about RSA \(rsaEquivalentBits(peer)))"
        let signed = peer.sent.first.map { ", signed with \($0.digest)" } ?? ""
        let chain = peer.sent.count == 1 ? ", 1 certificate sent" : ", \(peer.sent.count) certificates sent"
        return "\(peer.subject), \(peer.keyType) \(peer.keyBits) bits\(equivalent)\(signed), \(peer.days) days left"
            + (peer.ocspStapled ? ", OCSP stapled" : ", no OCSP stapling") + chain
    }

    /// A key's strength in RSA bits: an RSA key's own size; an elliptic-curve key's by NIST SP 800-57's table
    /// (P-256 and Ed25519 as RSA 3072, P-384 as 7680, P-521 as 15360).
    static func rsaEquivalentBits(_ peer: Handshake.Peer) -> Int {
        switch peer.keyType {
        case "RSA", "DSA": return peer.keyBits
        case "EC", "Ed25519", "Ed448": break
        default: return 0  // a key gonogo cannot name is no strength it can vouch for
        }
        switch peer.keyBits {
        case ..<224: return 1024
        case ..<256: return 2048
        case ..<384: return 3072
        case ..<512: return 7680
        default: return 15360
        }
    }

    /// `tls.certificate`: each part the item names. `valid` (the chain verifies, names the host and is in date; the
    /// default when no other part is named), a stapled OCSP answer (`ocsp`), a key at least `min_key_bits` strong,
    /// every sent certificate signed with `signature` or a stronger digest, the intermediates sent in order (`chain`).
    static func certificate(_ peer: Handshake.Peer, _ host: String, _ params: Params) throws -> Outcome {
        let parts = ["ocsp", "min_key_bits", "signature", "chain"].filter { params[$0] != nil }
        var expected: [String] = []
        var problems: [String] = []
        if params["valid"] == .bool(true) || parts.isEmpty {
            expected.append("a chain to a trusted CA naming \(host)")
            if !peer.verified { problems.append("the chain does not verify for \(host): \(peer.verifyError)") }
        }
        if params["ocsp"] == .bool(true) {
            expected.append("a stapled OCSP answer")
            if !peer.ocspStapled {
                problems.append("no OCSP answer is stapled: turn on stapling (nginx: ssl_stapling on)")
            }
        }
        if let bits = params.int("min_key_bits") {
            expected.append("a key of at least \(bits) bits")
            if rsaEquivalentBits(peer) < bits {
                problems.append("the key is \(peer.keyType) \(peer.keyBits) bits, weaker than \(bits)")
            }
        }
        if let floor = params.string("signature") {
            guard let wanted = digestRank(floor) else {
                throw ProbeError.local(
                    "signature=\(floor) names no digest: give md5, sha1, sha224, sha256, sha384 or sha512")
            }
            expected.append("signatures with \(floor.uppercased()) or stronger")
            // A root's signature on itself is checked by no client: the leaf and the intermediates count.
            let weak = peer.sent.enumerated().filter { i, sent in
                (i == 0 || !sent.selfIssued) && (digestRank(sent.digest) ?? 0) < wanted
            }
            if !weak.isEmpty {
                // A scheme whose digest gonogo cannot tell (RSASSA-PSS keeps it in its parameters) is not vouched for.
                problems.append(
                    weak.map { sent in
                        digestRank(sent.element.digest) == nil
                            ? "gonogo cannot tell the digest of \(sent.element.subject)'s \(sent.element.digest) signature"
                            : "\(sent.element.subject) is signed with \(sent.element.digest)"
                    }.joined(separator: ", ") + ": reissue it signed with \(floor.uppercased()) or stronger")
            }
        }
        if params["chain"] == .bool(true) {
            expected.append("the intermediates sent, in order")
            if !peer.inOrder {
                problems.append("the certificates are sent out of order: the leaf first, then each one's issuer")
            } else if [2, 20, 21].contains(peer.verifyCode), let last = peer.sent.last, !last.isCA {
                // 2, 20, 21: an issuer neither sent nor in the trust store. After a CA's certificate, that is a root
                // the trust store lacks (a private CA: not the chain's fault); after the leaf, a missing intermediate.
                problems.append(
                    "the chain sent ends at \(last.subject), whose issuer \(last.issuer) is neither sent nor trusted: "
                        + "send the intermediates (nginx: ssl_certificate fullchain.pem), or give the CA with --ca-file"
                )
            }
        }
        let observed = describe(peer)
        guard problems.isEmpty else {
            return .fail(
                problems.joined(separator: "; "), expected: expected.joined(separator: ", "), observed: observed)
        }
        let met = expected.map { $0.hasPrefix("a chain to") ? "the chain verifies and names \(host)" : $0 }
        return .pass(met.joined(separator: ", "), expected: expected.joined(separator: ", "), observed: observed)
    }

    /// A digest's strength, weakest first; EdDSA signs without a separate digest and counts as the strongest. Nil
    /// for a name that is no digest.
    static func digestRank(_ name: String) -> Int? {
        switch name.lowercased().replacingOccurrences(of: "-", with: "") {
        case "md2", "md4", "md5", "md5sha1": return 0
        case "sha1": return 1
        case "sha224": return 2
        case "sha256": return 3
        case "sha384": return 4
        case "sha512", "ed25519", "ed448": return 5
        default: return nil
        }
    }

    /// `tls.expiry`: at least `min_days` left; with `valid`, the chain verifies and names the host as well ("SSL
    /// certificate valid and not expiring within 30 days" is both).
    static func expiry(_ peer: Handshake.Peer, _ host: String, _ params: Params) -> Outcome {
        let minimum = params.int("min_days") ?? 30
        let valid = params["valid"] == .bool(true)
        var expected = "at least \(minimum) days left"
        if valid { expected = "a chain to a trusted CA naming \(host), " + expected }
        let observed = "\(peer.days) days left (until \(peer.notAfter))" + (valid ? "; " + describe(peer) : "")
        if valid && !peer.verified {
            return .fail(
                "the chain does not verify for \(host): \(peer.verifyError)", expected: expected, observed: observed)
        }
        // "Not expired" (0 days) is a time still ahead: `days` is 0 on either side of the expiry.
        return .check(
            peer.days >= minimum && peer.secondsLeft > 0, expected: expected, observed: observed,
            pass: (valid ? "the chain verifies and " : "") + "the certificate is valid for \(peer.days) more days",
            fail: peer.secondsLeft <= 0
                ? "the certificate expired on \(peer.notAfter): renew it (certbot renew)"
                : "the certificate expires in \(peer.days) days: renew it (certbot renew)")
    }
}
