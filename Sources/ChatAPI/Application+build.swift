import Foundation
import GRDB
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOHTTP1
import PostgresNIO
import ServiceLifecycle

/// The running service's shared parts.
public struct ChatServices: Sendable {
    public let configuration: ChatConfiguration
    public let store: any ChatStore
    public let version: String
    /// Runs admin SQL on the history's database.
    public let sqlGuard: any AdminSQLGuard
    /// Answers chats.
    public let model: any ChatModel
    /// Turns admin questions into SQL.
    public let translator: any SQLTranslator
    /// The web app's files (WEB_ROOT), read at start; a failure to read them stops ``ChatService/buildApplication``.
    let webFiles: Result<WebAssets, any Error>?
    var web: WebAssets? { try? webFiles?.get() }

    public init(
        configuration: ChatConfiguration, store: any ChatStore, logger: Logger, version: String = ChatService.version
    ) {
        self.configuration = configuration
        // Every call timed for /metrics; on PostgreSQL bounded too, so an outage answers 503 instead of hanging.
        self.store = MeasuredStore(store, deadline: store is PostgresStore ? .seconds(5) : nil)
        self.version = version
        webFiles = configuration.webRoot.map { root in
            Result { try WebAssets.load(root: root, apiURL: configuration.webAPIURL) }
        }
        if let postgres = store as? PostgresStore {
            sqlGuard = PostgresGuard(client: postgres.client, logger: logger)
        } else if case .sqlite(let path) = configuration.database {
            sqlGuard = SQLiteGuard(path: path)
        } else {
            preconditionFailure("a PostgreSQL configuration opens a PostgresStore")
        }
        switch configuration.llmProvider {
        case .builtin:
            model = BuiltinModel()
            translator = BuiltinSQLTranslator()
        case .openai:
            let client = OpenAIClient(
                baseURL: configuration.llmBaseURL ?? "", apiKey: configuration.llmAPIKey,
                model: configuration.llmModel, timeout: configuration.llmTimeout)
            model = OpenAIModel(client: client, logger: logger)
            translator = OpenAISQLTranslator(
                client: client, dialect: store is PostgresStore ? .postgres : .sqlite, logger: logger)
        }
    }
}

extension ChatServices {
    /// Counters for a limit: in PostgreSQL when the history is there, so that every instance sharing the database
    /// shares each client's budget; in this process's memory on SQLite (one instance per database file).
    func limiter(_ bucket: String, limit: Int, window: Duration) -> any RequestLimiter {
        if let postgres = (store as? MeasuredStore)?.base as? PostgresStore {
            // The request limit falls back to memory while the database cannot count; failed logins never do.
            return PostgresLimiter(
                client: postgres.client, logger: postgres.logger, bucket: bucket, limit: limit, window: window,
                fallback: bucket == "failed_logins" ? nil : RateLimiter(limit: limit, window: window))
        }
        return RateLimiter(limit: limit, window: window)
    }
}

/// chat-api as a library, assembled the way Hummingbird's template does it.
public enum ChatService {
    public static let version = "0.1.0"

    /// The application: routes over `services`, listening where the configuration says (HTTPS when it names a
    /// certificate, with a plain-HTTP redirect listener when it names `HTTP_REDIRECT_PORT`). `onRunning` receives
    /// the port actually bound (useful with `PORT=0`); `onRedirecting` the redirect listener's.
    public static func buildApplication(
        _ services: ChatServices, logger: Logger, onRunning: @escaping @Sendable (Int) async -> Void = { _ in },
        onRedirecting: @escaping @Sendable (Int) async -> Void = { _ in }
    ) throws -> some ApplicationProtocol {
        let configuration = services.configuration
        if case .failure(let error) = services.webFiles { throw error }
        let router = buildRouter(services)
        var background: [any Service] = services.store.service.map { [$0] } ?? []
        let server: HTTPServerBuilder
        let httpsPort = HTTPSPort()
        // Slow and idle clients are dropped: a connection without a complete request head for idleTimeout seconds.
        let http1 = HTTPServerBuilder.http1(
            configuration: .init(idleTimeout: .seconds(Int64(configuration.idleTimeout))))
        if let cert = configuration.tlsCertFile, let key = configuration.tlsKeyFile {
            server = try .tls(http1, tlsConfiguration: ChatTLS.serverConfiguration(certificate: cert, key: key))
            if let redirectPort = configuration.httpRedirectPort {
                background.append(
                    Application(
                        router: RedirectToHTTPS.router(port: httpsPort),
                        configuration: .init(
                            address: .hostname(configuration.host, port: redirectPort), serverName: "chat-api"),
                        onServerRunning: { channel in await onRedirecting(channel.localAddress?.port ?? redirectPort) },
                        logger: logger))
            }
        } else {
            server = http1
        }
        return Application(
            router: router,
            server: server,
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port), serverName: "chat-api"),
            services: background,
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? configuration.port
                httpsPort.set(port)
                await onRunning(port)
            },
            logger: logger)
    }

    /// Every route.
    public static func buildRouter(_ services: ChatServices) -> Router<ChatRequestContext> {
        let router = Router(context: ChatRequestContext.self)
        router.add(
            middleware: SecurityHeadersMiddleware(
                hstsMaxAge: services.configuration.tlsEnabled ? services.configuration.hstsMaxAge : nil))
        router.add(middleware: InternalErrorMiddleware(debug: services.configuration.debug))
        router.add(middleware: MetricsMiddleware())
        // The web app's files, before the API's CORS, rate limits and authentication: a page load is not an API call.
        if let web = services.web { WebController(web: web).register(on: router) }
        router.add(middleware: CORSMiddleware(allowed: Set(services.configuration.corsOrigins)))
        router.add(
            middleware: RateLimitMiddleware(
                limiter: services.limiter(
                    "requests", limit: services.configuration.rateLimitMaxRequests,
                    window: .seconds(services.configuration.rateLimitWindow)),
                trustedProxies: services.configuration.trustedProxies))
        router.add(middleware: AuthMiddleware(store: services.store))
        HealthController(services: services).register(on: router)
        MetricsController(registry: ChatMetrics.registry).register(on: router)
        AuthController(
            services: services,
            failedLogins: services.limiter(
                "failed_logins", limit: services.configuration.loginRateLimitMax,
                window: .seconds(services.configuration.rateLimitWindow))
        ).register(on: router)
        ChatController(services: services, model: services.model).register(on: router)
        AdminController(services: services, translator: services.translator).register(on: router)
        ClientErrorsController().register(on: router)
        return router
    }
}

/// `GET /health`: 200 with the state of the database and the model, or 503 when the database does not answer.
struct HealthController: Sendable {
    let services: ChatServices

    struct Body: ResponseEncodable {
        let status: String
        let database: String
        let llm: String
        let version: String
    }

    func register(on router: Router<ChatRequestContext>) {
        router.get("/health") { _, context -> EditedResponse<Body> in
            do {
                try await services.store.ping()
                return EditedResponse(
                    status: .ok, response: Body(status: "ok", database: "ok", llm: "ok", version: services.version))
            } catch {
                context.logger.error(
                    "health: database unreachable", metadata: ["reason": "\(StoreError.reason(error))"])
                return EditedResponse(
                    status: .serviceUnavailable,
                    response: Body(status: "error", database: "unreachable", llm: "ok", version: services.version))
            }
        }
    }
}

/// Headers every answer carries: no sniffing, no framing, no referrer leaks, no caching of API answers.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Over HTTPS: `Strict-Transport-Security` with this max-age (none when nil or 0).
    var hstsMaxAge: Int? = nil

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            // Errors are answers too, and carry the same headers.
            response = try error.response(from: request, context: context)
        }
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.init("X-Frame-Options")!] = "DENY"
        response.headers[.init("Referrer-Policy")!] = "no-referrer"
        // The web app's files set their own (immutable assets, a page to revalidate); API answers are never cached.
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        if let hstsMaxAge, hstsMaxAge > 0 {
            response.headers[.strictTransportSecurity] = "max-age=\(hstsMaxAge); includeSubDomains"
        }
        return response
    }
}

/// Any error that is not already an HTTP answer becomes a JSON one: `503` when the database failed, `500` otherwise,
/// logged with its reason. The client sees the reason only with `DEBUG=true`: no internals in production.
struct InternalErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let debug: Bool

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound && error.body == nil {
            // The router's answer for a route that does not exist has no body: every error is JSON.
            throw HTTPError(
                .notFound, headers: error.headers, message: "no route \(request.method) \(request.uri.path)")
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            // The body is not read past the limit (NIO's too-many-bytes error): the client must not reuse the
            // connection, and the idle timeout closes it if it keeps it open.
            throw HTTPError(
                .contentTooLarge, headers: [.connection: "close"], message: "the request body is larger than 64 KiB")
        } catch let error as any HTTPResponseError {
            throw error
        } catch let error as HTTPParserError {
            // A body that does not parse (a chunk size that is not hexadecimal): the client's error, not ours.
            context.logger.notice("malformed request", metadata: ["reason": "\(error)"])
            throw HTTPError(.badRequest, headers: [.connection: "close"], message: "malformed request: \(error)")
        } catch {
            let reason = StoreError.reason(error)
            let database = error is PSQLError || error is StoreError || error is DatabaseError
            context.logger.error("request failed", metadata: ["reason": "\(reason)"])
            let message = database ? "the database is unavailable" : "internal error"
            throw HTTPError(
                database ? .serviceUnavailable : .internalServerError,
                message: debug ? "\(message) (debug: \(reason))" : message)
        }
    }
}
