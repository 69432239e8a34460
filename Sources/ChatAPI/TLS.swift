import Foundation
import Hummingbird
import HummingbirdTLS
import NIOSSL
import Synchronization

/// chat-api's HTTPS: a PEM certificate chain and key, TLS 1.2 at least.
public enum ChatTLS {
    /// The server's TLS configuration, or a ``ConfigurationError`` naming the variable and file that cannot be used
    /// (never the key's contents).
    public static func serverConfiguration(certificate: String, key: String) throws -> TLSConfiguration {
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMFile(certificate)
        } catch {
            throw ConfigurationError.badValue("TLS_CERT_FILE", "names \(certificate), which holds no PEM certificate")
        }
        guard !chain.isEmpty else {
            throw ConfigurationError.badValue("TLS_CERT_FILE", "names \(certificate), which holds no PEM certificate")
        }
        let privateKey: NIOSSLPrivateKey
        do {
            privateKey = try NIOSSLPrivateKey(file: key, format: .pem)
        } catch {
            throw ConfigurationError.badValue("TLS_KEY_FILE", "names \(key), which holds no PEM private key")
        }
        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(privateKey))
        tls.minimumTLSVersion = .tlsv12
        return tls
    }
}

/// The HTTPS port, known once the server is bound (with `PORT=0` it is the kernel's choice).
final class HTTPSPort: Sendable {
    private let port = Mutex(0)
    func set(_ value: Int) { port.withLock { $0 = value } }
    var value: Int { port.withLock { $0 } }
}

/// The plain-HTTP listener beside HTTPS: every request is redirected (308, so the method and body are kept) to the
/// same host and path over HTTPS.
enum RedirectToHTTPS {
    static func router(port: HTTPSPort) -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: SecurityHeadersMiddleware())
        let handler: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
            let authority = request.head.authority ?? "localhost"
            let host = Self.hostOnly(authority)
            let httpsPort = port.value
            let target = "https://\(host)\(httpsPort == 443 ? "" : ":\(httpsPort)")\(request.uri.description)"
            return Response(status: .permanentRedirect, headers: [.location: target, .contentLength: "0"])
        }
        for method in [HTTPRequest.Method.get, .head, .post, .put, .delete, .patch, .options] {
            router.on("/", method: method, use: handler)
            router.on("**", method: method, use: handler)
        }
        return router
    }

    /// `authority` without its port (`[::1]:80` -> `[::1]`, `example.com:80` -> `example.com`).
    static func hostOnly(_ authority: String) -> String {
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            return String(authority[...close])
        }
        return String(authority.split(separator: ":", maxSplits: 1).first ?? "localhost")
    }
}
