import Foundation
import Hummingbird
import NIOCore

/// Fixed-window counters per client: at most `limit` hits per `window`; the hit past it learns how long to wait.
/// It reads time from the clock it is given (`ContinuousClock` in the service, a manual one in tests), so a test of
/// the window needs no sleeping.
actor RateLimiter<C: Clock> where C.Duration == Duration {
    private let limit: Int
    private let window: Duration
    private let clock: C
    private var windows: [String: (start: C.Instant, count: Int)] = [:]

    init(limit: Int, window: Duration, clock: C) {
        self.limit = limit
        self.window = window
        self.clock = clock
    }

    /// Counts a hit for `client`: nil when allowed, else the seconds until its window resets (at least 1).
    func hit(_ client: String) -> Int? {
        let now = clock.now
        var entry = windows[client] ?? (now, 0)
        if entry.start.duration(to: now) >= window { entry = (now, 0) }
        entry.count += 1
        windows[client] = entry
        if windows.count > 100_000 { windows = windows.filter { $0.value.start.duration(to: now) < window } }
        guard entry.count > limit else { return nil }
        return max(1, (window - entry.start.duration(to: now)).wholeSecondsRoundedUp)
    }

    /// Whether `client` is over the limit, without counting a hit.
    func isBlocked(_ client: String) -> Int? {
        let now = clock.now
        guard let entry = windows[client], entry.start.duration(to: now) < window, entry.count >= limit else {
            return nil
        }
        return max(1, (window - entry.start.duration(to: now)).wholeSecondsRoundedUp)
    }
}

extension RateLimiter where C == ContinuousClock {
    init(limit: Int, window: Duration) { self.init(limit: limit, window: window, clock: ContinuousClock()) }
}

extension Duration {
    /// Whole milliseconds, rounded down: what `latency_ms` reports.
    var wholeMilliseconds: Int { Int(components.seconds) * 1000 + Int(components.attoseconds / 1_000_000_000_000_000) }
    /// For swift-metrics timers.
    var wholeNanoseconds: Int64 { components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000 }

    /// Whole seconds, rounded up: what `Retry-After` says.
    var wholeSecondsRoundedUp: Int {
        Int(components.seconds) + (components.attoseconds > 0 ? 1 : 0)
    }
}

/// The client a request comes from, for rate limits: its peer address or, when the peer is a trusted proxy
/// (`TRUSTED_PROXIES`, e.g. nginx on 127.0.0.1), the address that proxy puts in `X-Real-IP`. Without it every client
/// behind the proxy would share one bucket.
extension ChatRequestContext {
    func clientKey(_ request: Request, trusting proxies: Set<String>) -> String {
        let peer: String
        switch remoteAddress {
        case .v4(let a): peer = a.host
        case .v6(let a): peer = a.host
        default: peer = "unknown"
        }
        if proxies.contains(peer),
            let real = request.headers.last(where: { $0.name.canonicalName == "x-real-ip" })?.value,
            !real.isEmpty, real.count <= 64
        {
            return real
        }
        return peer
    }
}

/// `RATE_LIMIT_MAX_REQUESTS` per `RATE_LIMIT_WINDOW` seconds per client on every `/api` route; past it, 429 with
/// `Retry-After`.
struct RateLimitMiddleware: RouterMiddleware {
    let limiter: any RequestLimiter
    var trustedProxies: Set<String> = []

    func handle(
        _ request: Request, context: ChatRequestContext, next: (Request, ChatRequestContext) async throws -> Response
    ) async throws -> Response {
        guard request.uri.path.hasPrefix("/api/") else { return try await next(request, context) }
        if let retry = try await limiter.hit(context.clientKey(request, trusting: trustedProxies)) {
            throw HTTPError(.tooManyRequests, headers: [.retryAfter: String(retry)], message: "rate limit exceeded")
        }
        return try await next(request, context)
    }
}

/// CORS by exact match against `CORS_ORIGINS`: an allowed origin is named back (never `*`), any other gets no CORS
/// headers at all, and a preflight from it is refused.
struct CORSMiddleware: RouterMiddleware {
    let allowed: Set<String>

    func handle(
        _ request: Request, context: ChatRequestContext, next: (Request, ChatRequestContext) async throws -> Response
    ) async throws -> Response {
        guard let origin = request.headers[.origin] else { return try await next(request, context) }
        let ok = allowed.contains(origin)
        if request.method == .options, request.headers[.accessControlRequestMethod] != nil {
            guard ok else { throw HTTPError(.forbidden, message: "origin not allowed") }
            var response = Response(status: .noContent)
            response.headers[.accessControlAllowOrigin] = origin
            response.headers[.accessControlAllowMethods] = "GET, POST, DELETE, OPTIONS"
            response.headers[.accessControlAllowHeaders] = "Authorization, Content-Type"
            response.headers[.accessControlMaxAge] = "600"
            response.headers[.vary] = "Origin"
            return response
        }
        var response = try await next(request, context)
        if ok {
            response.headers[.accessControlAllowOrigin] = origin
            response.headers[.vary] = "Origin"
        }
        return response
    }
}
