import CCurl
import Foundation

/// A request for ``CurlClient``.
public struct HTTPProbeRequest: Sendable {
    public var method = "GET"
    public var url: String
    public var headers: [(String, String)] = []
    public var body: Data? = nil
    public var timeout: Duration = .seconds(10)
    /// Follow redirects (at most 5); off by default: a redirect is often what a check looks at.
    public var followRedirects = false
    /// The body is cut here (the response says so).
    public var maxBody = 1 << 20
    /// A PEM CA bundle to trust instead of the system's.
    public var caFile: String? = nil
    /// No certificate or host name verification (the report flags it).
    public var insecure = false

    public init(_ method: String = "GET", _ url: String) {
        self.method = method
        self.url = url
    }
}

/// What came back, with libcurl's timing of each phase.
public struct HTTPProbeResponse: Sendable {
    public var status: Int
    /// Every header of the final response, names lowercased, in order (a repeated header appears twice).
    public var headers: [(String, String)]
    public var body: Data
    public var truncated: Bool
    public var timing: Timing
    public var effectiveURL: String
    /// When libcurl reported the transfer complete, on its own thread: before the caller's task is resumed, so a
    /// latency measured to this instant holds no scheduling of the caller.
    public var finishedAt: ContinuousClock.Instant = .now

    public struct Timing: Sendable, Equatable {
        /// Seconds from the start to the end of each phase (libcurl's cumulative times).
        public var dns, connect, tls, firstByte, total: Double
    }

    /// The values of header `name` (case-insensitive).
    public func values(_ name: String) -> [String] {
        let key = name.lowercased()
        return headers.filter { $0.0 == key }.map(\.1)
    }

    public func header(_ name: String) -> String? { values(name).first }

    public var json: [String: Any]? { try? JSONSerialization.jsonObject(with: body) as? [String: Any] }
}
