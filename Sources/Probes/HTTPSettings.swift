import Foundation
import Results

/// How the `http` probes reach the service (`http:` in gonogo.yml).
public struct HTTPSettings: Sendable {
    /// A PEM CA bundle to trust (relative to the root) instead of the system's.
    public var caFile: String?
    /// No certificate verification; every http item says so.
    public var insecure = false
    public var timeout: Duration = .seconds(10)
    /// The plain-HTTP address that must redirect to HTTPS (default: the API's host on port 80).
    public var plainURL: String?
    /// The origin CORS must allow (default: the first of `CORS_ORIGINS` in the env files).
    public var corsOrigin: String?
    public var adminPath = "/api/admin/sql"
    public var loginPath = "/api/auth/login"
    public var rateLimitPath = "/api/sessions"
    public var metricsPath = "/metrics"
    public var corsPath = "/api/chat"
    /// Named requests that latency items (and smoke flows) refer to: "history-retrieval", "llm"…
    public var requests: [String: NamedRequest] = [:]
    /// How to get a bearer token: log in (username and password, token read from a JSON field) or an env variable.
    public var credentials: Credentials?
    /// The latency probe's steady rate, its sampling time and warm-up.
    public var latency = LatencySettings()
    /// More credentials by name, for steps that act as someone else (`auth: admin`).
    public var users: [String: Credentials] = [:]
    /// Smoke flows by name: steps run in order, each checked, values carried from one to the next.
    public var flows: [String: [FlowStep]] = [:]

    public init() {}
}

/// A request a checklist item names.
public struct NamedRequest: Sendable {
    public var method = "GET"
    public var path: String
    public var body: String?
    /// Send the bearer token of `credentials`.
    public var auth = false

    public init(method: String = "GET", path: String, body: String? = nil, auth: Bool = false) {
        self.method = method
        self.path = path
        self.body = body
        self.auth = auth
    }
}

/// One step of a smoke flow: a request, the status it must answer (any 2xx by default), text its body must hold,
/// and JSON fields saved for later steps (`${name}` in a path or body).
public struct FlowStep: Sendable {
    public var method = "GET"
    public var path = "/"
    public var body: String?
    /// nil: no token; "" the default credentials; a name: `users[name]`.
    public var auth: String?
    public var expect: Int?
    public var contains: String?
    public var save: [String: String] = [:]
    public var line = 0

    public init(line: Int = 0) { self.line = line }
}

public struct Credentials: Sendable {
    public var username: String?
    public var password: String?
    public var tokenField = "token"
    /// A variable (environment or env files) holding a bearer token, instead of logging in.
    public var tokenVariable: String?

    public init() {}
}

public struct LatencySettings: Sendable {
    public var rate = 20.0
    public var duration: Duration = .seconds(5)
    public var warmup: Duration = .seconds(1)

    public init(rate: Double = 20, duration: Duration = .seconds(5), warmup: Duration = .seconds(1)) {
        self.rate = rate
        self.duration = duration
        self.warmup = warmup
    }
}
