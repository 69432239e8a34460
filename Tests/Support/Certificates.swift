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
