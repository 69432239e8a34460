import Foundation

/// Certificates the tests make with the `openssl` command line.
public enum Certificates {
    /// A self-signed certificate for 127.0.0.1 and localhost, valid for `days`: (certificate, key) paths in
    /// `directory`. EC P-256 (`cert.pem`, `key.pem`), or with `rsa`, an RSA 2048 key (`rsa.pem`, `rsa.key`), which
    /// static RSA and NULL cipher suites need.
    public static func selfSigned(
        in directory: URL, days: Int = 30, rsa: Bool = false
    ) throws -> (certificate: String, key: String) {
        let cert = directory.appendingPathComponent(rsa ? "rsa.pem" : "cert.pem").path
        let key = directory.appendingPathComponent(rsa ? "rsa.key" : "key.pem").path
        let newKey = rsa ? ["-newkey", "rsa:2048"] : ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"]
        let made = try Executables.run(
            path: "/usr/bin/openssl",
            ["req", "-x509"] + newKey + [
                "-nodes", "-keyout", key, "-out", cert, "-days", String(days), "-subj", "/CN=localhost", "-addext",
                "subjectAltName=IP:127.0.0.1,DNS:localhost",
            ])
        guard made.status == 0 else { throw ServerProcess.ServerError(description: made.stderr) }
        return (cert, key)
    }
}

/// A local certificate authority made with `openssl ca`: a root (`root.pem`, the file `--ca-file` trusts) and an
/// intermediate (`intermediate.pem`, the one a server sends beside its leaf), which signs leaves with a chosen key
/// size, digest, names and validity: the certificates a TLS cross-check needs (expired, not yet valid, wrong host,
/// RSA 1024, SHA-1).
public struct Authority: Sendable {
    public let directory: URL
    public var root: String { directory.appendingPathComponent("root.pem").path }
    public var intermediate: String { directory.appendingPathComponent("intermediate.pem").path }

    static let config = """
        [ca]
        default_ca = local
        [local]
        dir = .
        database = index.txt
        new_certs_dir = .
        serial = serial
        default_md = sha256
        policy = any
        copy_extensions = copy
        unique_subject = no
        [any]
        commonName = supplied
        [authority]
        basicConstraints = critical,CA:true
        keyUsage = critical,keyCertSign,cRLSign
        subjectKeyIdentifier = hash
        authorityKeyIdentifier = keyid:always
        [leaf]
        basicConstraints = CA:false
        keyUsage = critical,digitalSignature,keyEncipherment
        extendedKeyUsage = serverAuth
        subjectKeyIdentifier = hash
        authorityKeyIdentifier = keyid

        """

    /// A new authority in `directory` and what `make` makes with it (its leaves), on a thread of their own (`openssl`
    /// runs a while: a test holds none of the cooperative pool's few threads).
    public static func made<T: Sendable>(
        in directory: URL, _ make: @escaping @Sendable (Authority) throws -> T
    ) async throws -> (Authority, T) {
        try await Blocking.run {
            let ca = try Authority(in: directory)
            return (ca, try make(ca))
        }
    }

    /// Makes the root and the intermediate in `directory`.
    public init(in directory: URL) throws {
        self.directory = directory
        try Data(Self.config.utf8).write(to: directory.appendingPathComponent("ca.cnf"))
        try Data().write(to: directory.appendingPathComponent("index.txt"))
        try Data("1000\n".utf8).write(to: directory.appendingPathComponent("serial"))
        try openssl([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "root.key", "-out", "root.pem", "-days", "3650",
            "-subj", "/CN=gonogo test root", "-addext", "basicConstraints=critical,CA:true", "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
        ])
        try openssl([
            "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "intermediate.key", "-out", "intermediate.csr", "-subj",
            "/CN=gonogo test intermediate",
        ])
        try openssl([
            "ca", "-batch", "-config", "ca.cnf", "-cert", "root.pem", "-keyfile", "root.key", "-extensions",
            "authority", "-days", "3650", "-in", "intermediate.csr", "-out", "intermediate.pem", "-notext",
        ])
    }

    /// A leaf signed by the intermediate: (certificate, key) paths. `from` and `until` are seconds from now.
    public func leaf(
        _ name: String, bits: Int = 2048, names: String = "IP:127.0.0.1,DNS:localhost", digest: String = "sha256",
        from: TimeInterval = -86_400, until: TimeInterval = 365 * 86_400
    ) throws -> (certificate: String, key: String) {
        try openssl([
            "req", "-newkey", "rsa:\(bits)", "-nodes", "-keyout", "\(name).key", "-out", "\(name).csr", "-subj",
            "/CN=\(name)", "-addext", "subjectAltName=\(names)",
        ])
        let format = DateFormatter()
        format.timeZone = TimeZone(identifier: "UTC")
        format.locale = Locale(identifier: "en_US_POSIX")
        format.dateFormat = "yyyyMMddHHmmss'Z'"
        try openssl([
            "ca", "-batch", "-config", "ca.cnf", "-cert", "intermediate.pem", "-keyfile", "intermediate.key",
            "-extensions", "leaf", "-md", digest, "-startdate", format.string(from: Date(timeIntervalSinceNow: from)),
            "-enddate", format.string(from: Date(timeIntervalSinceNow: until)), "-in", "\(name).csr", "-out",
            "\(name).pem", "-notext",
        ])
        return (
            directory.appendingPathComponent("\(name).pem").path, directory.appendingPathComponent("\(name).key").path
        )
    }

    /// A leaf as a server sends it: (the leaf and the intermediate in one file, the key), as nginx's
    /// `ssl_certificate` takes them.
    public func servedLeaf(_ name: String) throws -> (fullchain: String, key: String) {
        let (certificate, key) = try leaf(name)
        let fullchain = directory.appendingPathComponent("\(name).fullchain.pem")
        try (Data(contentsOf: URL(fileURLWithPath: certificate)) + Data(contentsOf: URL(fileURLWithPath: intermediate)))
            .write(to: fullchain)
        return (fullchain.path, key)
    }

    /// An OCSP answer ("good", for seven days) the intermediate signs for the leaf at `certificate`, as a server
    /// staples it (`openssl s_server -status_file`): its path.
    public func ocspResponse(for certificate: String) throws -> String {
        let response = certificate + ".ocsp"
        try openssl([
            "ocsp", "-index", "index.txt", "-rsigner", "intermediate.pem", "-rkey", "intermediate.key", "-CA",
            "intermediate.pem", "-issuer", "intermediate.pem", "-cert", certificate, "-respout", response, "-ndays",
            "7",
        ])
        return response
    }

    private func openssl(_ arguments: [String]) throws {
        let made = try Executables.run(path: "/usr/bin/openssl", arguments, directory: directory.path)
        guard made.status == 0 else {
            throw ServerProcess.ServerError(description: "openssl \(arguments[0]): \(made.stderr)")
        }
    }
}

/// `openssl s_server -www` on a port the kernel picks (`-accept 127.0.0.1:0`; it prints `ACCEPT 127.0.0.1:PORT`), so
/// no other process can take the port between choosing and binding it. Stop it with `kill()`: s_server inherits the
/// test runner's blocked SIGTERM.
public enum OpenSSLServer {
    public static func start(
        certificate: String, key: String, _ arguments: [String], directory: String
    ) throws -> (ServerProcess, Int) {
        let server = ServerProcess(
            path: "/usr/bin/openssl",
            ["s_server", "-accept", "127.0.0.1:0", "-cert", certificate, "-key", key, "-www"] + arguments,
            environment: [:], directory: directory, ready: acceptLine)
        return (server, try server.start())
    }

    /// The port of s_server's `ACCEPT 127.0.0.1:PORT` line, once it is whole.
    @Sendable static func acceptLine(_ output: String) -> Int? {
        guard let range = output.range(of: "ACCEPT 127.0.0.1:") else { return nil }
        let rest = output[range.upperBound...]
        guard let end = rest.firstIndex(of: "\n") else { return nil }
        return Int(rest[..<end])
    }
}
