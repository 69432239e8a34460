import Logging
import PostgresNIO
import Synchronization

/// What the rate limits and the failed-login throttle count against: hits per client in fixed windows.
protocol RequestLimiter: Sendable {
    /// Counts a hit for `client`: nil when allowed, else the seconds until its window resets (at least 1).
    func hit(_ client: String) async throws -> Int?
    /// Whether `client` is over the limit, without counting a hit.
    func isBlocked(_ client: String) async throws -> Int?
}

extension RateLimiter: RequestLimiter {}

/// Fixed-window counters kept in PostgreSQL (`rate_limits`, migration 5), so every instance of chat-api that shares
/// the database shares one budget per client: behind a load balancer of N instances a client still gets `limit` hits
/// per window, not N times that. One statement per hit: an upsert that starts a new window or adds to the current
/// one, atomic under concurrent hits (the row is locked by the conflict), timed by the database's clock so that
/// instances agree on windows. `bucket` keeps the request limit and the login throttle apart.
struct PostgresLimiter: RequestLimiter {
    let client: PostgresClient
    let logger: Logger
    let bucket: String
    let limit: Int
    let window: Duration
    /// How long a count may take: a request must not wait on its rate limit as long as on its data.
    var deadline: Duration = .seconds(1)
    /// Where hits are counted while PostgreSQL cannot count them (down, or slower than `deadline`): this process's
    /// memory, so a client is still limited per instance. Nil: such a request fails (503), as the failed-login
    /// throttle must rather than let guesses through uncounted.
    var fallback: RateLimiter<ContinuousClock>?
    /// Whether the last count fell back to memory: the log says so when that starts and when it ends, not on every
    /// request of an outage.
    let degraded = Degraded()

    final class Degraded: Sendable {
        private let state = Mutex(false)
        /// Sets the state; returns whether it changed.
        func set(_ value: Bool) -> Bool {
            state.withLock { old in
                defer { old = value }; return old != value
            }
        }
    }

    var windowSeconds: Double { Double(window.components.seconds) + Double(window.components.attoseconds) / 1e18 }

    func hit(_ key: String) async throws -> Int? {
        do {
            let retry = try await MeasuredStore.within(deadline) { try await count(key) }
            if fallback != nil, degraded.set(false) {
                logger.notice("rate limit counted in PostgreSQL again", metadata: ["bucket": "\(bucket)"])
            }
            return retry
        } catch {
            guard let fallback else { throw error }
            if degraded.set(true) {
                logger.warning(
                    "rate limit counted in memory: the database did not count it",
                    metadata: ["bucket": "\(bucket)", "reason": "\(StoreError.reason(error))"])
            }
            return await fallback.hit(key)
        }
    }

    func isBlocked(_ key: String) async throws -> Int? {
        do {
            return try await MeasuredStore.within(deadline) { try await blocked(key) }
        } catch {
            guard let fallback else { throw error }
            return await fallback.isBlocked(key)
        }
    }

    private func count(_ key: String) async throws -> Int? {
        let seconds = windowSeconds
        let rows = try await client.query(
            """
            INSERT INTO rate_limits AS r (bucket, client, window_start, hits) VALUES (\(bucket), \(key), now(), 1)
            ON CONFLICT (bucket, client) DO UPDATE SET
                window_start = CASE WHEN r.window_start <= now() - make_interval(secs => \(seconds))
                    THEN now() ELSE r.window_start END,
                hits = CASE WHEN r.window_start <= now() - make_interval(secs => \(seconds))
                    THEN 1 ELSE r.hits + 1 END
            RETURNING hits, EXTRACT(EPOCH FROM (window_start + make_interval(secs => \(seconds)) - now()))::float8
            """, logger: logger)
        for try await (hits, left) in rows.decode((Int, Double).self) {
            // Now and then, windows long past are removed (their rows would be replaced on the next hit anyway).
            // (A failed prune is no reason to fail the request it rode on.)
            if hits == 1, Int.random(in: 0..<256) == 0 { try? await prune() }
            return hits > limit ? max(1, Int(left.rounded(.up))) : nil
        }
        return nil
    }

    private func blocked(_ key: String) async throws -> Int? {
        let seconds = windowSeconds
        let rows = try await client.query(
            """
            SELECT hits, EXTRACT(EPOCH FROM (window_start + make_interval(secs => \(seconds)) - now()))::float8
            FROM rate_limits WHERE bucket = \(bucket) AND client = \(key)
                AND window_start > now() - make_interval(secs => \(seconds))
            """, logger: logger)
        for try await (hits, left) in rows.decode((Int, Double).self) where hits >= limit {
            return max(1, Int(left.rounded(.up)))
        }
        return nil
    }

    func prune() async throws {
        let seconds = windowSeconds
        try await client.query(
            """
            DELETE FROM rate_limits
            WHERE bucket = \(bucket) AND window_start < now() - make_interval(secs => \(seconds))
            """, logger: logger)
    }
}
