import Foundation
import TestSupport
import Testing

/// HSTS and security headers beside testssl.sh's judgement (its `-h`), on nginx from Debian serving TLS on loopback with
/// a certificate of a local CA: every header, HSTS missing, HSTS of 300 s, HSTS sent twice, headers only on `/health`.
/// Expected rows and `GONOGO_TESTSSL=1` as in ``TLSCrossCheckTests``.
@Suite("gonogo verify beside testssl.sh: HSTS and security headers on nginx")
struct HeaderCrossCheckTests {
    typealias Findings = TLSCrossCheckTests.Findings
    typealias Property = TLSCrossCheckTests.Property

    /// testssl.sh lists each security header it sees by name and says nothing of one it does not: absent is false
    /// once it has fetched `/` at all.
    static func header(_ f: Findings, _ name: String, _ test: (String) -> Bool = { _ in true }) -> Bool? {
        f["HTTP_status_code"] == nil ? nil : f[name].map { test($0.finding) } ?? false
    }

    static let properties: [Property] = [
        Property(name: "HSTS", sentence: "HSTS enabled") { f in
            header(f, "HSTS_time").map { $0 && f["HSTS_time"]?.severity == "OK" && f["HSTS_multiple"] == nil }
        },
        Property(name: "HSTS ≥ 180 days", sentence: "HSTS max-age at least 180 days") { f in
            header(f, "HSTS_time").map { $0 && f["HSTS_time"]?.severity == "OK" && f["HSTS_multiple"] == nil }
        },
        Property(name: "X-Frame-Options", sentence: "X-Frame-Options set") { header($0, "X-Frame-Options") },
        Property(name: "nosniff", sentence: "X-Content-Type-Options nosniff") {
            header($0, "X-Content-Type-Options") { $0 == "nosniff" }
        },
        Property(name: "CSP", sentence: "Content-Security-Policy set") { header($0, "Content-Security-Policy") },
    ]

    static let others = [
        "add_header X-Frame-Options DENY always;", "add_header X-Content-Type-Options nosniff always;",
        "add_header Content-Security-Policy \"default-src 'self'\" always;",
    ]
    static func hsts(_ seconds: Int) -> String {
        "add_header Strict-Transport-Security \"max-age=\(seconds); includeSubDomains\" always;"
    }

    /// (name, the server block's header lines, headers of `location /health` alone, testssl.sh's judgement).
    static let targets: [(name: String, headers: [String], health: [String], expected: String)] = [
        ("every header", [hsts(31_536_000)] + others, [], "ppppp"),
        ("HSTS missing", others, [], "ffppp"),
        ("HSTS 300 s", [hsts(300)] + others, [], "ffppp"),
        ("HSTS twice", [hsts(300), hsts(31_536_000)] + others, [], "ffppp"),
        ("headers only on /health", [], [hsts(31_536_000)] + others, "fffff"),
    ]

    /// nginx from Debian in one process on a free loopback port, serving TLS with `certificate` (the full chain)
    /// and `key`, with `server` as the lines of its server block. nginx cannot say which port the kernel gave it: a
    /// port another process took between choosing and binding it makes nginx exit at once, and the next is tried.
    static func nginx(
        in dir: URL, certificate: String, key: String, server lines: [String]
    ) throws -> (
        ServerProcess, Int
    ) {
        for attempt in 1... {
            do {
                return try nginx(in: dir, port: try Ports.free(), certificate: certificate, key: key, server: lines)
            } catch  where attempt < 3 {
                continue
            }
        }
        fatalError("unreachable")
    }

    private static func nginx(
        in dir: URL, port: Int, certificate: String, key: String, server lines: [String]
    ) throws
        -> (ServerProcess, Int)
    {
        let conf = dir.appendingPathComponent("nginx-\(port).conf")
        try Data(
            """
            master_process off;
            daemon off;
            error_log /dev/stdout notice;
            pid \(dir.path)/nginx-\(port).pid;
            events { worker_connections 64; }
            http {
              access_log off;
              default_type text/plain;
              client_body_temp_path \(dir.path)/tmp; proxy_temp_path \(dir.path)/tmp;
              fastcgi_temp_path \(dir.path)/tmp; uwsgi_temp_path \(dir.path)/tmp; scgi_temp_path \(dir.path)/tmp;
              server {
                listen 127.0.0.1:\(port) ssl;
                ssl_certificate \(certificate);
                ssl_certificate_key \(key);
                \(lines.joined(separator: "\n    "))
              }
            }

            """.utf8
        ).write(to: conf)
        // nginx logs its limits once its sockets listen: the line that says it is ready.
        let server = ServerProcess(
            path: "/usr/sbin/nginx", ["-p", dir.path, "-c", conf.path, "-e", "/dev/stdout"], environment: [:],
            directory: dir.path, ready: { $0.contains("getrlimit") ? port : nil })
        _ = try server.start()
        return (server, port)
    }

    @Test("every header property gonogo judges agrees with testssl.sh's judgement on every target")
    func agreement() async throws {
        let dir = try Executables.temporaryDirectory("header-crosscheck")
        let (ca, (fullchain, key)) = try await Authority.made(in: dir) { try $0.servedLeaf("site") }
        let checklist = dir.appendingPathComponent("headers.md")
        try Data(("# Headers\n" + Self.properties.map { "- [ ] \($0.sentence)\n" }.joined()).utf8).write(to: checklist)
        let withTestssl = ProcessInfo.processInfo.environment["GONOGO_TESTSSL"] == "1"
        var table = ["| target | " + Self.properties.map(\.name).joined(separator: " | ") + " |"]
        table.append("| --- |" + String(repeating: " --- |", count: Self.properties.count))
        var agree = 0
        for target in Self.targets {
            let (server, port) = try await Blocking.run {
                try Self.nginx(
                    in: dir, certificate: fullchain, key: key,
                    server: target.headers + [
                        "location / { return 200 \"ok\\n\"; }",
                        "location /health { \(target.health.joined(separator: " ")) return 200 \"ok\\n\"; }",
                    ])
            }
            defer { server.kill() }
            let got = try await TLSCrossCheckTests.verify(
                checklist, port: port, caFile: ca.root, count: Self.properties.count)
            let expected = Array(target.expected)
            var judged = expected
            if withTestssl {
                let findings = try await Blocking.run {
                    try TLSCrossCheckTests.testssl(port: port, caFile: ca.root, checks: ["-h"], in: dir)
                }
                judged = Self.properties.map { $0.testssl(findings).map { $0 ? "p" : "f" } ?? "-" }
                #expect(
                    judged == expected, "\(target.name): testssl.sh judges \(String(judged)), not \(target.expected)")
            }
            var row = [target.name]
            for (n, property) in Self.properties.enumerated() {
                let verdict: Character = got[n].status == "pass" ? "p" : got[n].status == "fail" ? "f" : "e"
                #expect(verdict == expected[n], "\(target.name), \(property.name): \(got[n])")
                agree += verdict == judged[n] ? 1 : 0
                row.append(verdict == judged[n] ? got[n].status : "**\(got[n].status)** (testssl.sh: \(judged[n]))")
            }
            table.append("| " + row.joined(separator: " | ") + " |")
        }
        table.append(
            "\n\(agree) of \(Self.targets.count * Self.properties.count) verdicts agree with testssl.sh's judgement")
        if let out = ProcessInfo.processInfo.environment["GONOGO_CROSSCHECK_OUT"] {
            try Data((table.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: out + "/headers.md"))
        }
    }
}

/// Compression items read as people write them, against nginx with gzip on (Debian's nginx has no brotli).
@Suite("gonogo verify: compression wordings")
struct CompressionItemsTests {
    @Test("gzip or brotli is either; gzip and brotli is each; brotli alone is brotli")
    func wordings() async throws {
        let dir = try Executables.temporaryDirectory("compression")
        let (ca, (fullchain, key)) = try await Authority.made(in: dir) { try $0.servedLeaf("site") }
        let body = String(repeating: "compressible text ", count: 40)
        let (server, port) = try await Blocking.run {
            try HeaderCrossCheckTests.nginx(
                in: dir, certificate: fullchain, key: key,
                server: ["gzip on;", "gzip_types text/plain;", "location / { return 200 \"\(body)\"; }"])
        }
        defer { server.kill() }
        let checklist = dir.appendingPathComponent("compression.md")
        let items = [
            ("Compression (gzip or brotli) enabled", "pass", "Content-Encoding: gzip"),
            ("Gzip and Brotli compression enabled", "fail", "no br compression"),
            ("Brotli compression enabled", "fail", "no br compression"),
            ("Gzip compression enabled", "pass", "gzip-compressed"),
        ]
        try Data(("# Performance\n" + items.map { "- [ ] \($0.0)\n" }.joined()).utf8).write(to: checklist)
        let got = try await TLSCrossCheckTests.verify(checklist, port: port, caFile: ca.root, count: items.count)
        for (n, (sentence, status, text)) in items.enumerated() {
            #expect(got[n].status == status, "\(sentence): \(got[n])")
            #expect(got[n].text.contains(text), "\(sentence): \(got[n])")
        }
    }
}
