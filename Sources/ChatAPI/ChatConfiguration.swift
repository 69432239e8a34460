import DotEnv
import Foundation

/// chat-api's configuration: the environment (and a `.env` file) read once at start, validated, with the defaults
/// docs/chat-api.md gives. A bad value is a ``ConfigurationError`` naming the variable (and the file and line).
public struct ChatConfiguration: Sendable {
    /// Where the history lives: `sqlite:PATH` (the default) or `postgresql://…`.
    public enum Database: Sendable, Equatable {
        case sqlite(path: String)
        case postgres(url: String)
    }

    public var host = "127.0.0.1"
    public var port = 8000
    public var database = Database.sqlite(path: "data/messages.db")
    public var poolMin = 5
    public var poolMax = 20
    public var corsOrigins: [String] = []
    /// Peers whose `X-Real-IP` names the client (the reverse proxy in front); none by default, so that nobody can
    /// choose their own rate-limit bucket by sending the header.
    public var trustedProxies: Set<String> = []
    public var rateLimitWindow = 60
    public var rateLimitMaxRequests = 100
    public var loginRateLimitMax = 5
    public var sessionTTL = 3600
    public var rememberMeTTL = 2_592_000
    /// The model: `builtin` (offline) or `openai` (any OpenAI-compatible endpoint).
    public enum LLMProvider: String, Sendable { case builtin, openai }
    public var llmProvider = LLMProvider.builtin
    public var llmBaseURL: String? = nil
    /// A secret: never logged, never in an error.
    public var llmAPIKey: String? = nil
    public var llmModel = "gpt-4o-mini"
    public var llmTimeout: Duration = .seconds(30)
    /// HTTPS: a PEM certificate chain and its private key (both or neither).
    public var tlsCertFile: String? = nil
    public var tlsKeyFile: String? = nil
    /// `Strict-Transport-Security: max-age` sent over HTTPS (0: no header).
    public var hstsMaxAge = 31_536_000
    /// Seconds a connection may stay without a complete request (idle between requests, or sending its headers
    /// slowly) before chat-api closes it: nginx's `keepalive_timeout` and `client_header_timeout`. HTTP_IDLE_TIMEOUT.
    public var idleTimeout = 30
    /// With HTTPS: a plain-HTTP listener on this port that redirects (308) to HTTPS.
    public var httpRedirectPort: Int? = nil
    public var tlsEnabled: Bool { tlsCertFile != nil }
    /// The built web app (scripts/build-web writes `.build/web`), served under `/`; none when nil. WEB_ROOT.
    public var webRoot: String? = nil
    /// The API's base URL the web app calls (written into its page), empty for the page's own origin; HTTPS in
    /// production. WEB_API_URL.
    public var webAPIURL = ""
    public var debug = false
    public var logLevel = "info"
    public var logFormat = "json"

    public init() {}

    /// Reads `environment`, whose values win over the same keys of `dotenv`.
    public init(environment: [String: String], dotenv: [String: String] = [:]) throws {
        let env = dotenv.merging(environment) { _, process in process }
        func int(_ key: String, _ range: ClosedRange<Int>) throws -> Int? {
            guard let raw = env[key], !raw.isEmpty else { return nil }
            guard let value = Int(raw.trimmingCharacters(in: .whitespaces)), range.contains(value) else {
                throw ConfigurationError.badValue(
                    key, "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
            }
            return value
        }
        if let host = env["HOST"], !host.isEmpty { self.host = host }
        port = try int("PORT", 0...65535) ?? port
        if let url = env["DATABASE_URL"], !url.isEmpty {
            if url.hasPrefix("sqlite:") {
                let path = String(url.dropFirst("sqlite:".count)).replacingOccurrences(
                    of: "//", with: "", options: .anchored)
                guard !path.isEmpty else {
                    throw ConfigurationError.badValue(
                        "DATABASE_URL", "sqlite: needs a path, as in sqlite:data/messages.db")
                }
                database = .sqlite(path: path)
            } else if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
                database = .postgres(url: url)
            } else {
                throw ConfigurationError.badValue("DATABASE_URL", "must start with sqlite: or postgresql://")
            }
        }
        poolMin = try int("DATABASE_POOL_MIN", 0...1000) ?? poolMin
        poolMax = try int("DATABASE_POOL_MAX", 1...1000) ?? poolMax
        guard poolMin <= poolMax else {
            throw ConfigurationError.badValue(
                "DATABASE_POOL_MIN", "is above DATABASE_POOL_MAX (\(poolMin) > \(poolMax))")
        }
        if let origins = env["CORS_ORIGINS"] {
            corsOrigins = origins.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter {
                !$0.isEmpty
            }
        }
        if let proxies = env["TRUSTED_PROXIES"] {
            trustedProxies = Set(
                proxies.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        }
        rateLimitWindow = try int("RATE_LIMIT_WINDOW", 1...86_400) ?? rateLimitWindow
        rateLimitMaxRequests = try int("RATE_LIMIT_MAX_REQUESTS", 1...1_000_000) ?? rateLimitMaxRequests
        loginRateLimitMax = try int("LOGIN_RATE_LIMIT_MAX", 1...1_000_000) ?? loginRateLimitMax
        sessionTTL = try int("SESSION_TTL", 1...31_536_000) ?? sessionTTL
        rememberMeTTL = try int("REMEMBER_ME_TTL", 1...315_360_000) ?? rememberMeTTL
        if let base = env["LLM_BASE_URL"], !base.isEmpty {
            guard let url = URL(string: base), ["http", "https"].contains(url.scheme?.lowercased() ?? ""),
                url.host?.isEmpty == false
            else {
                throw ConfigurationError.badValue(
                    "LLM_BASE_URL", "must be an http(s) URL, as in https://api.openai.com/v1")
            }
            llmBaseURL = base
            llmProvider = .openai
        }
        if let provider = env["LLM_PROVIDER"], !provider.isEmpty {
            guard let value = LLMProvider(rawValue: provider.lowercased()) else {
                throw ConfigurationError.badValue("LLM_PROVIDER", "must be builtin or openai")
            }
            llmProvider = value
        }
        if llmProvider == .openai, llmBaseURL == nil {
            throw ConfigurationError.badValue("LLM_PROVIDER", "openai needs LLM_BASE_URL")
        }
        if let key = env["LLM_API_KEY"], !key.isEmpty { llmAPIKey = key }
        if let model = env["LLM_MODEL"], !model.isEmpty { llmModel = model }
        if let raw = env["LLM_TIMEOUT"], !raw.isEmpty {
            guard let seconds = Double(raw.trimmingCharacters(in: .whitespaces)), seconds > 0, seconds <= 600 else {
                throw ConfigurationError.badValue("LLM_TIMEOUT", "must be a number of seconds from 0 to 600")
            }
            llmTimeout = .milliseconds(Int(seconds * 1000))
        }
        let cert = env["TLS_CERT_FILE"].flatMap { $0.isEmpty ? nil : $0 }
        let key = env["TLS_KEY_FILE"].flatMap { $0.isEmpty ? nil : $0 }
        switch (cert, key) {
        case (nil, nil): break
        case (.some, nil): throw ConfigurationError.badValue("TLS_KEY_FILE", "is needed with TLS_CERT_FILE")
        case (nil, .some): throw ConfigurationError.badValue("TLS_CERT_FILE", "is needed with TLS_KEY_FILE")
        case (let cert?, let key?):
            for (name, path) in [("TLS_CERT_FILE", cert), ("TLS_KEY_FILE", key)]
            where !FileManager.default.isReadableFile(atPath: path) {
                throw ConfigurationError.badValue(name, "names \(path), which cannot be read")
            }
            (tlsCertFile, tlsKeyFile) = (cert, key)
        }
        if let root = env["WEB_ROOT"], !root.isEmpty {
            guard FileManager.default.isReadableFile(atPath: root + "/index.html") else {
                throw ConfigurationError.badValue(
                    "WEB_ROOT", "names \(root), which has no index.html: build the web app with scripts/build-web")
            }
            webRoot = root
        }
        if let api = env["WEB_API_URL"], !api.isEmpty {
            guard let url = URL(string: api), ["http", "https"].contains(url.scheme ?? ""), url.host != nil,
                !api.contains("\""), !api.contains("<")
            else { throw ConfigurationError.badValue("WEB_API_URL", "must be an http(s) URL (https in production)") }
            webAPIURL = api
        }
        hstsMaxAge = try int("HSTS_MAX_AGE", 0...315_360_000) ?? hstsMaxAge
        idleTimeout = try int("HTTP_IDLE_TIMEOUT", 1...3600) ?? idleTimeout
        httpRedirectPort = try int("HTTP_REDIRECT_PORT", 0...65535)
        if httpRedirectPort != nil, tlsCertFile == nil {
            throw ConfigurationError.badValue("HTTP_REDIRECT_PORT", "needs HTTPS (TLS_CERT_FILE and TLS_KEY_FILE)")
        }
        if let raw = env["DEBUG"], !raw.isEmpty {
            switch raw.lowercased() {
            case "1", "true", "yes", "on": debug = true
            case "0", "false", "no", "off": debug = false
            default: throw ConfigurationError.badValue("DEBUG", "must be true or false")
            }
        }
        if let level = env["LOG_LEVEL"], !level.isEmpty {
            let levels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]
            guard levels.contains(level.lowercased()) else {
                throw ConfigurationError.badValue("LOG_LEVEL", "must be one of \(levels.joined(separator: ", "))")
            }
            logLevel = level.lowercased()
        }
        if let format = env["LOG_FORMAT"], !format.isEmpty {
            guard ["json", "text"].contains(format.lowercased()) else {
                throw ConfigurationError.badValue("LOG_FORMAT", "must be json or text")
            }
            logFormat = format.lowercased()
        }
    }
}

/// A configuration value or file chat-api cannot use. Never carries the value itself: it may be a secret.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    public let description: String

    static func badValue(_ key: String, _ why: String) -> Self { .init(description: "\(key) \(why)") }
    public init(description: String) { self.description = description }
    /// A `.env` file that cannot be read, as a configuration error (the file and line, never a value).
    public init(_ error: InputFileError) { description = error.description }
}
