import Foundation
import TestSupport
import Testing

/// gonogo's TLS verdicts beside testssl.sh's judgement, property by property, on thirteen loopback targets: `openssl
/// s_server` serving certificates a local CA makes (good, expired, expiring in 5 days, not yet valid, wrong host,
/// self-signed, intermediate missing, RSA 1024, SHA-1), servers offering TLS 1.0, a NULL suite or no forward secrecy,
/// and a listener that speaks only SSLv3 (no OpenSSL here can: it answers an SSLv3 hello by hand).
///
/// Each target's expected row is testssl.sh 3.0's judgement of it (how each finding reads as pass or fail:
/// ``properties``). With `GONOGO_TESTSSL=1`, the test also runs testssl.sh on every target, checks that its judgement
/// still is the expected row, and writes the agreement table to `GONOGO_CROSSCHECK_OUT/tls.md` (`scripts/crosscheck-tls`).
@Suite("gonogo verify beside testssl.sh: certificates, protocol versions and cipher suites")
struct TLSCrossCheckTests {
    /// A testssl.sh finding: its severity and text.
    typealias Findings = [String: (severity: String, finding: String)]

    /// A property: the checklist sentence gonogo reads (words alone), and how testssl.sh's findings say it holds (nil:
    /// testssl.sh reported nothing on it).
    struct Property: Sendable {
        let name: String
        let sentence: String
        let testssl: @Sendable (Findings) -> Bool?
    }

    static func clean(_ f: Findings, _ ids: [String]) -> Bool? {
        let found = ids.compactMap { f[$0] }
        return found.count == ids.count ? found.allSatisfy { ["OK", "INFO"].contains($0.severity) } : nil
    }
    static func starts(_ f: Findings, _ id: String, _ prefixes: String...) -> Bool? {
        f[id].map { found in prefixes.contains { found.finding.hasPrefix($0) } }
    }

    static let properties: [Property] = [
        // Valid as a browser sees it: a chain to the trusted root, the name, a key and a signature testssl.sh does
        // not flag.
        Property(name: "valid", sentence: "SSL certificate valid") {
            clean($0, ["cert_chain_of_trust", "cert_trust", "cert_keySize", "cert_signatureAlgorithm"])
        },
        Property(name: "not expired", sentence: "Certificate not expired") {
            $0["cert_expirationStatus"].map { $0.finding != "expired" }
        },
        Property(name: "30 days left", sentence: "Certificate does not expire within 30 days") {
            starts($0, "cert_expirationStatus", "expired", "expires < 30").map { !$0 }
        },
        Property(name: "key ≥ 2048 bits", sentence: "Certificate key at least 2048 bits") {
            $0["cert_keySize"].map { (Int($0.finding.split(separator: " ").dropFirst().first ?? "") ?? 0) >= 2048 }
        },
        Property(name: "SHA-256 or stronger", sentence: "Certificate signed with SHA-256 or stronger") {
            $0["cert_signatureAlgorithm"].map { f in ["SHA256", "SHA384", "SHA512"].contains { f.finding.contains($0) }
            }
        },
        Property(name: "chain complete", sentence: "Full certificate chain served (intermediates included)") {
            $0["cert_chain_of_trust"].map { !$0.finding.contains("chain incomplete") }
        },
        Property(name: "OCSP stapled", sentence: "OCSP stapling enabled") { starts($0, "OCSP_stapling", "offered") },
        Property(name: "no TLS 1.0/1.1", sentence: "TLS 1.0 and 1.1 disabled") { f in
            starts(f, "TLS1", "not offered").flatMap { old in starts(f, "TLS1_1", "not offered").map { old && $0 } }
        },
        Property(name: "TLS 1.3", sentence: "TLS 1.3 supported") { starts($0, "TLS1_3", "offered") },
        Property(name: "no SSLv2/v3", sentence: "SSLv2 and SSLv3 disabled") { f in
            starts(f, "SSLv2", "not offered").flatMap { two in starts(f, "SSLv3", "not offered").map { two && $0 } }
        },
        Property(name: "no NULL", sentence: "NULL cipher suites disabled") {
            starts($0, "cipherlist_NULL", "not offered")
        },
        Property(name: "no anonymous", sentence: "Anonymous cipher suites disabled") {
            starts($0, "cipherlist_aNULL", "not offered")
        },
        Property(name: "forward secrecy", sentence: "Forward secrecy enabled") {
            $0["PFS"].map { !$0.finding.hasPrefix("No ciphers") && !$0.finding.contains("not offered") }
        },
        Property(name: "server order", sentence: "Server cipher order preferred") {
            starts($0, "cipher_order", "server")
        },
        Property(name: "renegotiation", sentence: "Secure renegotiation supported") {
            starts($0, "secure_renego", "supported")
        },
        // "No protocol below TLS 1.2 offered" is testssl.sh's "no fallback possible": severity OK.
        Property(name: "fallback SCSV", sentence: "TLS_FALLBACK_SCSV supported") {
            starts($0, "fallback_SCSV", "supported", "no protocol below")
        },
        Property(name: "h2", sentence: "HTTP/2 enabled") { f in
            (f["ALPN_HTTP2"] ?? f["ALPN"]).map { $0.finding.contains("h2") }
        },
    ]

    /// A target: the leaf it serves (nil: the SSLv3 listener), whether it sends the intermediate, `s_server`'s other
    /// arguments, and testssl.sh's judgement, one letter per property (p pass, f fail, - not judged).
    struct Target: Sendable {
        let name: String
        let leaf: String?
        var chain = true
        /// Whether it staples an OCSP answer the CA made for its leaf.
        var ocsp = false
        var arguments = goodSuites
        let expected: String
    }

    static let goodSuites = [
        "-cipher", "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0", "-serverpref", "-alpn",
        "h2,http/1.1",
    ]
    static let targets: [Target] = [
        Target(name: "good", leaf: "good", ocsp: true, expected: "ppppppppppppppppp"),
        Target(name: "expired", leaf: "expired", expected: "fffpppfpppppppppp"),
        Target(name: "expiring in 5 days", leaf: "expiring", expected: "ppfpppfpppppppppp"),
        Target(name: "not yet valid", leaf: "notyet", expected: "fpppppfpppppppppp"),
        Target(name: "wrong host", leaf: "wronghost", expected: "fpppppfpppppppppp"),
        Target(name: "self-signed", leaf: "selfsigned", chain: false, expected: "fpppppfpppppppppp"),
        Target(name: "intermediate missing", leaf: "good", chain: false, expected: "fppppffpppppppppp"),
        Target(name: "RSA 1024", leaf: "rsa1024", expected: "fppfppfpppppppppp"),
        Target(name: "SHA-1", leaf: "sha1", expected: "fpppfpfpppppppppp"),
        Target(
            name: "TLS 1.0", leaf: "good",
            arguments: ["-cipher", "ECDHE-RSA-AES128-SHA:ECDHE-RSA-AES256-GCM-SHA384:@SECLEVEL=0", "-serverpref"],
            expected: "ppppppffppppppppf"),
        Target(
            name: "NULL suite", leaf: "good",
            arguments: ["-cipher", "NULL-SHA256:AES128-SHA:@SECLEVEL=0", "-no_tls1_3"],
            expected: "ppppppfffpfpfpppf"),
        Target(
            name: "no forward secrecy", leaf: "good",
            arguments: ["-cipher", "AES128-GCM-SHA256:AES256-GCM-SHA384", "-no_tls1_3"], expected: "ppppppfpfpppffppf"),
        Target(name: "SSLv3 only", leaf: nil, expected: "-------fff------f"),
    ]

    /// Where gonogo's verdict differs from testssl.sh's and the test shows gonogo right: (target, property, gonogo's
    /// verdict, the two cipher orders `openssl s_client` offers, which get different suites when the client's order
    /// wins). testssl.sh 3.0 reads the NULL target as keeping its own order: its order test offers no NULL suite, so
    /// it sees one suite both times.
    static let disputed: [(target: String, property: String, verdict: Character, orders: [String])] = [
        ("NULL suite", "server order", "f", ["NULL-SHA256:AES128-SHA", "AES128-SHA:NULL-SHA256"])
    ]

    /// The certificates of every target: a local CA's leaves, and one self-signed.
    static func certificates(in dir: URL) throws -> (Authority, [String: (certificate: String, key: String)]) {
        let ca = try Authority(in: dir)
        let day: TimeInterval = 86_400
        var leaves: [String: (certificate: String, key: String)] = [
            "good": try ca.leaf("good"),
            "expired": try ca.leaf("expired", from: -100 * day, until: -2 * day),
            "expiring": try ca.leaf("expiring", until: 5 * day),
            "notyet": try ca.leaf("notyet", from: 10 * day),
            "wronghost": try ca.leaf("wronghost", names: "DNS:other.example"),
            "rsa1024": try ca.leaf("rsa1024", bits: 1024),
            "sha1": try ca.leaf("sha1", digest: "sha1"),
        ]
        let selfDir = dir.appendingPathComponent("self")
        try FileManager.default.createDirectory(at: selfDir, withIntermediateDirectories: true)
        leaves["selfsigned"] = try Certificates.selfSigned(in: selfDir, days: 365, rsa: true)
        return (ca, leaves)
    }

    /// The listener that speaks only SSLv3: a ServerHello of version 3.0 to an SSLv3 hello, a protocol_version
    /// alert to any other TLS hello, nothing to SSLv2.
    static func sslv3Only() -> LoopbackListener {
        LoopbackListener { hello in
            guard hello.count > 10, hello[0] == 0x16 else { return [] }
            guard hello[9] == 0x03, hello[10] == 0x00 else { return [0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 0x46] }
            let body: [UInt8] = [0x03, 0x00] + [UInt8](repeating: 7, count: 32) + [0x00, 0x00, 0x0A, 0x00]
            let handshake: [UInt8] = [0x02, 0x00, 0x00, UInt8(body.count)] + body
            return [0x16, 0x03, 0x00, 0x00, UInt8(handshake.count)] + handshake
        }
    }

    @Test("every property gonogo judges agrees with testssl.sh's judgement on every target")
    func agreement() async throws {
        let dir = try Executables.temporaryDirectory("crosscheck")
        // Made, and every server started, on threads of their own: a test holds none of the cooperative pool's few.
        let (ca, leaves) = try await Blocking.run { try Self.certificates(in: dir) }
        let checklist = dir.appendingPathComponent("tls.md")
        let text = "# TLS\n" + Self.properties.map { "- [ ] \($0.sentence)\n" }.joined()
        try Data(text.utf8).write(to: checklist)
        let withTestssl = ProcessInfo.processInfo.environment["GONOGO_TESTSSL"] == "1"
        var table = ["| target | " + Self.properties.map(\.name).joined(separator: " | ") + " |"]
        table.append("| --- |" + String(repeating: " --- |", count: Self.properties.count))
        var agree = 0
        var compared = 0
        for target in Self.targets {
            var server: ServerProcess? = nil
            var listener: LoopbackListener? = nil
            let port: Int
            if let leaf = target.leaf, let (certificate, key) = leaves[leaf] {
                let chain = target.chain ? ["-cert_chain", ca.intermediate] : []
                let ocsp = target.ocsp
                let arguments = target.arguments
                let (started, at) = try await Blocking.run {
                    let stapled = ocsp ? ["-status_file", try ca.ocspResponse(for: certificate)] : []
                    return try OpenSSLServer.start(
                        certificate: certificate, key: key, chain + stapled + arguments, directory: dir.path)
                }
                server = started
                port = at
            } else {
                listener = Self.sslv3Only()
                port = listener!.port
            }
            // SIGKILL: s_server inherits the test runner's blocked SIGTERM.
            defer {
                server?.kill()
                listener?.stop()
            }
            let got = try await Self.verify(checklist, port: port, caFile: ca.root)
            var expected = Array(target.expected)
            try #require(expected.count == Self.properties.count, "\(target.name): one letter per property")
            var judged = expected
            if withTestssl {
                let findings = try await Blocking.run {
                    try Self.testssl(
                        port: port, caFile: ca.root, checks: target.leaf == nil ? ["-p"] : Self.full, in: dir)
                }
                judged = Self.properties.map { $0.testssl(findings).map { $0 ? "p" : "f" } ?? "-" }
                #expect(
                    judged == expected, "\(target.name): testssl.sh judges \(String(judged)), not \(target.expected)")
            }
            for dispute in Self.disputed where dispute.target == target.name {
                let n = Self.properties.firstIndex { $0.name == dispute.property }!
                let picked = try await Blocking.run {
                    try dispute.orders.map { try Self.picked(port: port, offering: $0) }
                }
                #expect(
                    Set(picked).count == picked.count, "\(target.name): \(picked): the server's order wins after all")
                expected[n] = dispute.verdict
            }
            var row = [target.name]
            for (n, property) in Self.properties.enumerated() {
                guard expected[n] != "-" else {
                    row.append("-")
                    continue
                }
                let verdict: Character = got[n].status == "pass" ? "p" : got[n].status == "fail" ? "f" : "e"
                #expect(verdict == expected[n], "\(target.name), \(property.name): \(got[n])")
                compared += 1
                agree += verdict == judged[n] ? 1 : 0
                row.append(verdict == judged[n] ? got[n].status : "**\(got[n].status)** (testssl.sh: \(judged[n]))")
            }
            table.append("| " + row.joined(separator: " | ") + " |")
        }
        table.append("\n\(agree) of \(compared) verdicts agree with testssl.sh's judgement")
        for dispute in Self.disputed {
            table.append(
                "\nThe \(dispute.target) target's \(dispute.property): `openssl s_client` offering "
                    + dispute.orders.map { "`\($0)`" }.joined(separator: " and then ")
                    + " gets a different suite each time (the test checks it): the client's order wins.")
        }
        let out = ProcessInfo.processInfo.environment["GONOGO_CROSSCHECK_OUT"]
        if let out {
            try Data((table.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: out + "/tls.md"))
        }
    }

    /// (status, message | observed) of each item, verified against 127.0.0.1:`port` trusting `caFile`.
    static func verify(
        _ checklist: URL, port: Int, caFile: String, count: Int = properties.count
    ) async throws -> [(status: String, text: String)] {
        let run = try await Blocking.run {
            try gonogo([
                "verify", checklist.path, "--api-url", "https://127.0.0.1:\(port)", "--ca-file", caFile, "--format",
                "json", "--gate", "ci",
            ])
        }
        let items = Report(run).items
        try #require(items.count == count, "\(run.stdout.prefix(1500)) \(run.stderr)")
        return items.map { item in
            (item["status"] as? String ?? "?", "\(item["message"] ?? "-") | \(item["observed"] ?? "-")")
        }
    }

    /// testssl.sh's checks of certificate, protocols, cipher categories, forward secrecy, order, renegotiation and
    /// fallback.
    static let full = ["-S", "-p", "-s", "-f", "-P", "-R", "-Z"]

    /// testssl.sh's findings on 127.0.0.1:`port`, by its `checks`.
    static func testssl(port: Int, caFile: String, checks: [String], in dir: URL) throws -> Findings {
        let json = dir.appendingPathComponent("testssl-\(port).json").path
        _ = try Executables.run(
            path: "/usr/bin/testssl",
            ["--quiet", "--color", "0", "--warnings", "off", "--ip", "one", "--add-ca", caFile, "--jsonfile", json]
                + checks + ["127.0.0.1:\(port)"])
        let entries = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: json)))
        var findings: Findings = [:]
        for case let entry as [String: Any] in entries as? [Any] ?? [] {
            guard let id = entry["id"] as? String else { continue }
            findings[id] = (entry["severity"] as? String ?? "", entry["finding"] as? String ?? "")
        }
        return findings
    }

    /// The suite the server picks when `openssl s_client` offers `suites` in that order over TLS 1.2.
    static func picked(port: Int, offering suites: String) throws -> String {
        let run = try Executables.run(
            path: "/usr/bin/openssl",
            ["s_client", "-connect", "127.0.0.1:\(port)", "-tls1_2", "-cipher", suites + ":@SECLEVEL=0"], stdin: "")
        let line = run.stdout.split(separator: "\n").first { $0.contains("Cipher    :") || $0.contains("Cipher is") }
        return line.map { String($0.split(separator: " ").last ?? "") } ?? "none: \(run.stderr.prefix(200))"
    }
}
