import Foundation
import HTTPTypes
import Hummingbird
import Metrics

/// The web app (built by scripts/build-web into WEB_ROOT), read into memory at start and served under `/`:
/// `index.html` with `Cache-Control: no-cache` and the API's URL written in, and the content-hashed files under
/// `/assets/` with `public, max-age=31536000, immutable`, each precompressed copy (`.br`, `.gz`) chosen by the
/// request's Accept-Encoding. Every answer carries a strict Content-Security-Policy: only the app's own scripts and
/// styles, requests only to itself and the API.
struct WebAssets: Sendable {
    struct Asset: Sendable {
        var body: ByteBuffer
        var gzip: ByteBuffer?
        var brotli: ByteBuffer?
        var contentType: String
        var cacheControl: String
    }

    let assets: [String: Asset]
    let policy: String

    static let types = [
        "html": "text/html; charset=utf-8", "js": "text/javascript; charset=utf-8", "css": "text/css; charset=utf-8",
        "svg": "image/svg+xml", "map": "application/json", "png": "image/png", "woff2": "font/woff2",
        "ico": "image/x-icon", "json": "application/json",
    ]
    /// What is read: at most this many files, and this many bytes in all.
    static let maxFiles = 2000
    static let maxBytes = 64 << 20

    /// Reads `root` (index.html and assets/); `apiURL` goes into the page's `chat-api` meta tag and the policy.
    static func load(root: String, apiURL: String) throws -> WebAssets {
        let fm = FileManager.default
        var assets: [String: Asset] = [:]
        var total = 0
        func read(_ path: String) throws -> Data {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            total += data.count
            guard total <= maxBytes else {
                throw ConfigurationError.badValue("WEB_ROOT", "holds more than \(maxBytes >> 20) MB")
            }
            return data
        }
        let index = try String(decoding: read(root + "/index.html"), as: UTF8.self)
            .replacingOccurrences(of: "%CHAT_API_URL%", with: apiURL)
        assets["/"] = Asset(
            body: ByteBuffer(string: index), contentType: types["html"]!, cacheControl: "no-cache")
        let names = ((try? fm.contentsOfDirectory(atPath: root + "/assets")) ?? []).sorted()
        guard names.count <= maxFiles else {
            throw ConfigurationError.badValue("WEB_ROOT", "holds more than \(maxFiles) files under assets/")
        }
        for name in names where !name.hasSuffix(".gz") && !name.hasSuffix(".br") && !name.hasPrefix(".") {
            let path = root + "/assets/" + name
            let ext = String(name.split(separator: ".").last ?? "")
            let compressed = { (suffix: String) in
                fm.fileExists(atPath: path + suffix) ? try ByteBuffer(data: read(path + suffix)) : nil
            }
            assets["/assets/" + name] = Asset(
                body: ByteBuffer(data: try read(path)), gzip: try compressed(".gz"), brotli: try compressed(".br"),
                contentType: types[ext] ?? "application/octet-stream",
                cacheControl: "public, max-age=31536000, immutable")
        }
        let api = URL(string: apiURL).flatMap { u in
            u.host.map { "\(u.scheme ?? "https")://\($0)\(u.port.map { ":\($0)" } ?? "")" }
        }
        let policy =
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
            + "connect-src 'self'\(api.map { " " + $0 } ?? ""); manifest-src 'self'; base-uri 'none'; "
            + "form-action 'self'; frame-ancestors 'none'"
        return WebAssets(assets: assets, policy: policy)
    }

    /// The asset at `path`, in the best encoding `acceptEncoding` allows.
    func response(_ path: String, acceptEncoding: String?) -> Response? {
        guard let asset = assets[path] else { return nil }
        let accepted = Set(
            (acceptEncoding ?? "").lowercased().split(separator: ",").compactMap { part -> String? in
                let fields = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
                // `q=0` (however written: 0.0, 0.000) refuses the encoding.
                let refused = fields.dropFirst().contains { field in
                    field.hasPrefix("q=") && (Double(field.dropFirst(2)) ?? 1) <= 0
                }
                guard let name = fields.first, !refused else { return nil }
                return name
            })
        var headers: HTTPFields = [
            .contentType: asset.contentType, .cacheControl: asset.cacheControl, .vary: "Accept-Encoding",
            .contentSecurityPolicy: policy,
        ]
        var body = asset.body
        if let br = asset.brotli, accepted.contains("br") {
            (body, headers[.contentEncoding]) = (br, "br")
        } else if let gz = asset.gzip, accepted.contains("gzip") {
            (body, headers[.contentEncoding]) = (gz, "gzip")
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: body))
    }
}

struct WebController: Sendable {
    let web: WebAssets

    func register(on router: Router<ChatRequestContext>) {
        router.get("/") { request, _ -> Response in
            web.response("/", acceptEncoding: request.headers[.acceptEncoding])!
        }
        router.get("/assets/{file}") { request, context -> Response in
            let file = context.parameters.get("file") ?? ""
            guard let response = web.response("/assets/" + file, acceptEncoding: request.headers[.acceptEncoding])
            else { throw HTTPError(.notFound, message: "no asset \(file)") }
            return response
        }
    }
}

/// `POST /api/client-errors`: the web app's error boundary reports an error it caught (its kind, message, stack and
/// page). Logged as a warning (bounded: 300 characters of message, 2,000 of stack) and counted in
/// `chat_client_errors_total{kind}`; 204.
struct ClientErrorsController: Sendable {
    struct Report: Decodable {
        let kind: String?
        let message: String
        let stack: String?
        let page: String?
    }

    /// What a browser sent, on one line and bounded: no control character reaches the log (a forged line in text
    /// logs).
    static func clean(_ text: String, _ limit: Int) -> String {
        var out = ""
        for scalar in text.unicodeScalars.prefix(limit) {
            out.unicodeScalars.append(scalar.value < 0x20 || scalar.value == 0x7f ? " " : scalar)
        }
        return out
    }

    func register(on router: Router<ChatRequestContext>) {
        router.post("/api/client-errors") { request, context -> HTTPResponse.Status in
            let report = try await request.decode(as: Report.self, context: context)
            let kind = ["error", "rejection", "console"].contains(report.kind ?? "") ? report.kind! : "other"
            Counter(label: "chat_client_errors_total", dimensions: [("kind", kind)]).increment()
            context.logger.warning(
                "client error",
                metadata: [
                    "kind": "\(kind)", "message": "\(Self.clean(report.message, 300))",
                    "stack": "\(Self.clean(report.stack ?? "", 2000))", "page": "\(Self.clean(report.page ?? "", 200))",
                ])
            return .noContent
        }
    }
}
