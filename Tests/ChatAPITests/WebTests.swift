import Foundation
import TestSupport
import Testing

/// chat-api serving a web app (WEB_ROOT) beside its API, over real HTTP on loopback, checked with curl: the page
/// revalidated and carrying the API's URL, hashed assets immutable and precompressed, a strict policy, the API's own
/// answers still never cached, and the error boundary's reports logged and counted.
@Suite(.serialized) struct WebTests {
    static let script = "export const answer = () => 42;\n" + String(repeating: "// padding to compress\n", count: 200)

    /// A built app as scripts/build-web lays it out: index.html with the API placeholder, assets/ with .gz copies.
    static func webRoot() async throws -> URL {
        let root = try Executables.temporaryDirectory("web")
        try FileManager.default.createDirectory(
            at: root.appendingPathComponent("assets"), withIntermediateDirectories: true)
        try Data(
            """
            <!doctype html><html><head><meta name="chat-api" content="%CHAT_API_URL%">
            <script type="module" src="/assets/main-1A2B3C4D.js"></script></head><body></body></html>
            """.utf8
        ).write(to: root.appendingPathComponent("index.html"))
        try Data(script.utf8).write(to: root.appendingPathComponent("assets/main-1A2B3C4D.js"))
        let gzip = try await Shell.run("gzip", ["-9", "-k", "-n", root.path + "/assets/main-1A2B3C4D.js"])
        try #require(gzip.status == 0, "gzip: \(gzip.stderr)")
        return root
    }

    /// Status line and headers (lower-cased names) and the body, as curl received them without decoding.
    static func get(_ url: String, encoding: String? = nil) async throws -> (Int, [String: String], Data) {
        let dir = try Executables.temporaryDirectory("curl")
        var arguments = ["-sS", "-D", dir.path + "/headers", "-o", dir.path + "/body", url]
        if let encoding { arguments += ["-H", "Accept-Encoding: \(encoding)"] }
        let run = try await Shell.run("curl", arguments)
        try #require(run.status == 0, "curl: \(run.stderr)")
        let text = try String(contentsOfFile: dir.path + "/headers", encoding: .utf8)
        var headers: [String: String] = [:]
        var status = 0
        for line in text.split(separator: "\r\n") {
            if line.hasPrefix("HTTP/") { status = Int(line.split(separator: " ")[1]) ?? 0 }
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
                in: .whitespaces)
        }
        return (status, headers, try Data(contentsOf: URL(fileURLWithPath: dir.path + "/body")))
    }

    @Test("the page, immutable precompressed assets, a strict policy; API answers stay uncached")
    func serving() async throws {
        let root = try await Self.webRoot()
        let service = try await LiveService(["WEB_ROOT": root.path, "WEB_API_URL": "https://api.example.test"])
        let (status, headers, body) = try await Self.get(service.base + "/")
        #expect(status == 200)
        #expect(headers["content-type"] == "text/html; charset=utf-8")
        #expect(headers["cache-control"] == "no-cache")
        let policy = headers["content-security-policy"] ?? ""
        #expect(policy.contains("default-src 'none'") && policy.contains("script-src 'self'"), "\(policy)")
        #expect(policy.contains("connect-src 'self' https://api.example.test"), "\(policy)")
        #expect(String(decoding: body, as: UTF8.self).contains("content=\"https://api.example.test\""))

        let asset = service.base + "/assets/main-1A2B3C4D.js"
        let (zipped, zippedHeaders, zippedBody) = try await Self.get(asset, encoding: "br;q=0, gzip")
        #expect(zipped == 200)
        #expect(zippedHeaders["content-encoding"] == "gzip")
        #expect(zippedHeaders["cache-control"] == "public, max-age=31536000, immutable")
        #expect(zippedHeaders["vary"] == "Accept-Encoding")
        let onDisk = try Data(contentsOf: root.appendingPathComponent("assets/main-1A2B3C4D.js.gz"))
        #expect(zippedBody == onDisk && zippedBody.count < Self.script.utf8.count)
        let (_, plainHeaders, plainBody) = try await Self.get(asset)
        #expect(plainHeaders["content-encoding"] == nil)
        #expect(String(decoding: plainBody, as: UTF8.self) == Self.script)

        let (missing, _, _) = try await Self.get(service.base + "/assets/nothing-here.js")
        #expect(missing == 404)
        let health = try await service.call("GET", "/health")
        #expect(health.headers["cache-control"] == "no-store")
    }

    @Test("the error boundary's report is logged and counted, bounded")
    func clientErrors() async throws {
        let service = try await LiveService()
        let long = String(repeating: "x", count: 5000)
        let sent = try await service.call(
            "POST", "/api/client-errors",
            body: ["kind": "error", "message": "widget exploded " + long, "page": "/#/chat"])
        #expect(sent.status == 204)
        let metrics = try await Self.get(service.base + "/metrics")
        let text = String(decoding: metrics.2, as: UTF8.self)
        #expect(text.contains("chat_client_errors_total{kind=\"error\"} 1"), "\(text.prefix(400))")
        let logged = service.server.stdout + service.server.stderr
        let line = try #require(
            logged.split(separator: "\n").first { $0.contains("client error") }, "\(logged.suffix(600))")
        #expect(line.contains("widget exploded"))
        #expect(line.count < 1500, "the message is cut at 300 characters")
        let bad = try await service.call("POST", "/api/client-errors", rawBody: "{not json")
        #expect(bad.status == 400)
    }

    @Test("a WEB_ROOT without index.html stops chat-api with exit 2, naming the variable")
    func missingBuild() async throws {
        let empty = try Executables.temporaryDirectory("web-empty")
        let run = try await Executables.run(
            "chat-api", ["serve"],
            environment: ["WEB_ROOT": empty.path, "PORT": "0", "DATABASE_URL": "sqlite:\(empty.path)/chat.db"])
        #expect(run.status == 2, "\(run.stderr)")
        #expect(run.stderr.contains("WEB_ROOT") && run.stderr.contains("scripts/build-web"), "\(run.stderr)")
    }
}
