import Foundation
import Hummingbird
import HummingbirdBcrypt

/// Reads `Authorization: Bearer TOKEN` and puts the token's user in the context; routes decide what needs one.
struct AuthMiddleware: RouterMiddleware {
    let store: any ChatStore

    func handle(
        _ request: Request, context: ChatRequestContext, next: (Request, ChatRequestContext) async throws -> Response
    )
        async throws -> Response
    {
        var context = context
        if let header = request.headers[.authorization], header.hasPrefix("Bearer ") {
            let hash = BearerToken.hash(String(header.dropFirst(7)))
            context.user = try await store.user(forTokenHash: hash, now: Timestamp.now())
            context.tokenHash = context.user == nil ? nil : hash
        }
        return try await next(request, context)
    }
}

/// `POST /api/auth/login` and `POST /api/auth/logout`.
struct AuthController: Sendable {
    let services: ChatServices
    /// Failed logins per client: past `LOGIN_RATE_LIMIT_MAX` in a window, logins answer 429.
    let failedLogins: any RequestLimiter

    struct Login: Decodable {
        let username: String
        let password: String
        let rememberMe: Bool?

        enum CodingKeys: String, CodingKey {
            case username, password
            case rememberMe = "remember_me"
        }
    }

    struct Token: ResponseEncodable {
        let token: String
        let expiresIn: Int
        let role: String

        enum CodingKeys: String, CodingKey {
            case token, role
            case expiresIn = "expires_in"
        }
    }

    func register(on router: Router<ChatRequestContext>) {
        router.post("/api/auth/login") { request, context -> Token in
            let client = context.clientKey(request, trusting: services.configuration.trustedProxies)
            if let retry = try await failedLogins.isBlocked(client) {
                throw HTTPError(
                    .tooManyRequests, headers: [.retryAfter: String(retry)], message: "too many failed logins")
            }
            let login = try await request.json(Login.self, context: context)
            // The same answer, and about the same time, whether the user exists or the password is wrong.
            let found = try await services.store.user(named: login.username)
            let hash = found?.passwordHash ?? "$2b$10$abcdefghijklmnopqrstuuN0Yv3CqXxZbjmS6n1Km3f8jQ5g0sJTi"
            guard Bcrypt.verify(login.password, hash: hash), let user = found?.0 else {
                context.logger.info("login refused", metadata: ["username": "\(login.username)"])
                _ = try await failedLogins.hit(client)
                throw HTTPError(.unauthorized, message: "wrong username or password")
            }
            let ttl =
                login.rememberMe == true ? services.configuration.rememberMeTTL : services.configuration.sessionTTL
            let token = BearerToken.generate()
            try await services.store.createToken(
                hash: BearerToken.hash(token), userID: user.id,
                expiresAt: Timestamp.string(Date().addingTimeInterval(TimeInterval(ttl))))
            return Token(token: token, expiresIn: ttl, role: user.role.rawValue)
        }
        router.post("/api/auth/logout") { _, context -> HTTPResponse.Status in
            _ = try context.requireUser()
            if let hash = context.tokenHash { try await services.store.revokeToken(hash: hash, at: Timestamp.now()) }
            return .noContent
        }
    }
}
