import Hummingbird
import NIOCore

/// chat-api's request context: the authenticated user, once ``AuthMiddleware`` found one, and the client's address.
public struct ChatRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The user the bearer token belongs to; nil for anonymous requests.
    public var user: User?
    /// The token's hash, so logout can revoke it.
    public var tokenHash: String?
    /// The peer's address (rate limits and login throttling key on it).
    public let remoteAddress: SocketAddress?

    /// Request bodies past 64 KiB answer 413: a chat message is at most 8000 characters.
    public var maxUploadSize: Int { 64 * 1024 }

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// The authenticated user, or 401.
    func requireUser() throws -> User {
        guard let user else { throw HTTPError(.unauthorized, message: "authentication required") }
        return user
    }
}

extension Request {
    /// The JSON body as `T`: 415 when the client says it sends something else (`Content-Type: text/plain`, a form),
    /// so such a body is never read as JSON by accident; no Content-Type at all is read as JSON (400 when it is not).
    func json<T: Decodable>(_ type: T.Type, context: ChatRequestContext) async throws -> T {
        let media = headers[.contentType]?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces)
        guard media == nil || media?.lowercased() == "application/json" else {
            throw HTTPError(.unsupportedMediaType, message: "send the body as JSON (Content-Type: application/json)")
        }
        var request = self
        let body = try await request.collectBody(upTo: context.maxUploadSize)
        if let key = DuplicateKeys.first(in: body.readableBytesView) {
            // The key is echoed only when it looks like a field name (a client's secret could sit in a key).
            let named = key.count <= 64 && key.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
            throw HTTPError(
                .badRequest,
                message: "the JSON body names \(named ? "\"\(key)\"" : "a key") twice; send each field once")
        }
        return try await request.decode(as: type, context: context)
    }
}
