/// Why a probe got no evidence, with its cause kept as a value: a transfer libcurl could not complete (its `CURLcode`,
/// and for a setup failure the option libcurl refused), a server whose answer is no answer (a 5xx, a login refused),
/// a setting the config lacks, a PostgreSQL error (its SQLSTATE), a TLS failure (OpenSSL's reason, and whether the
/// handshake itself failed), or something local (a name that does not resolve, a file that cannot be read).
///
/// An opaque struct with a private code, as async-http-client's `HTTPClientError`: causes can be added without
/// breaking callers, which ask through the accessors. `description` is the message a report shows.
public struct ProbeError: Error, CustomStringConvertible, Sendable, Equatable {
    enum Code: Sendable, Equatable {
        case transport(curl: Int)
        case setup(option: String)
        case serverStatus(Int)
        case notConfigured
        case postgres(sqlState: String?)
        case tls(reason: String?, handshake: Bool)
        case local
        case input(file: String, line: Int?)
    }

    let code: Code
    public let description: String

    init(_ code: Code, _ description: String) {
        self.code = code
        self.description = description
    }

    /// libcurl could not complete the transfer (`curl` is its `CURLcode`).
    public static func transport(curl: Int, _ description: String) -> ProbeError {
        .init(.transport(curl: curl), description)
    }
    /// libcurl refused an option while the request was set up.
    public static func setup(option: String, _ description: String) -> ProbeError {
        .init(.setup(option: option), description)
    }
    /// The server answered, but not with an answer the check can use.
    public static func serverStatus(_ status: Int, _ description: String) -> ProbeError {
        .init(.serverStatus(status), description)
    }
    /// The config lacks what the check needs; the description says which key to add.
    public static func notConfigured(_ description: String) -> ProbeError { .init(.notConfigured, description) }
    /// PostgreSQL refused the connection or the query.
    public static func postgres(sqlState: String?, _ description: String) -> ProbeError {
        .init(.postgres(sqlState: sqlState), description)
    }
    /// A TLS connection failed; `handshake` when the server refused or broke the handshake itself.
    public static func tls(reason: String? = nil, handshake: Bool = false, _ description: String) -> ProbeError {
        .init(.tls(reason: reason, handshake: handshake), description)
    }
    /// An input the check reads (a CI artifact) that cannot be used: the file and, when known, the line.
    public static func input(file: String, line: Int?, _ message: String) -> ProbeError {
        .init(.input(file: file, line: line), line.map { "\(file):\($0): \(message)" } ?? "\(file): \(message)")
    }
    /// A local failure: resolution, a socket, a file.
    public static func local(_ description: String) -> ProbeError { .init(.local, description) }

    /// The `CURLcode` of a failed transfer.
    public var curlCode: Int? { if case .transport(let c) = code { c } else { nil } }
    /// The libcurl option that could not be set.
    public var failedOption: String? { if case .setup(let o) = code { o } else { nil } }
    /// The HTTP status of an answer that was no answer.
    public var status: Int? { if case .serverStatus(let s) = code { s } else { nil } }
    /// PostgreSQL's SQLSTATE (`28P01` a wrong password, `08001` no connection…), when the server or libpq gave one.
    public var sqlState: String? { if case .postgres(let s) = code { s } else { nil } }
    /// OpenSSL's reason for a TLS failure, from its error queue.
    public var tlsReason: String? { if case .tls(let r, _) = code { r } else { nil } }
    /// Whether a TLS failure happened in the handshake (the server refused what was offered).
    public var isHandshake: Bool { if case .tls(_, let h) = code { h } else { false } }

    /// Whether the server hung up during the handshake (no alert, no reason from OpenSSL).
    public var isClosedByPeer: Bool { if case .tls(nil, true) = code { true } else { false } }
    public var isNotConfigured: Bool { code == .notConfigured }
}
