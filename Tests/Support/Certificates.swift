import Foundation

/// Certificates the tests make with the `openssl` command line.
public enum Certificates {
    /// A self-signed EC P-256 certificate for 127.0.0.1 and localhost, valid for `days`: (certificate, key) paths
    /// in `directory`.
    public static func selfSigned(in directory: URL, days: Int = 30) throws -> (certificate: String, key: String) {
        let cert = directory.appendingPathComponent("cert.pem").path
        let key = directory.appendingPathComponent("key.pem").path
        let made = try Executables.run(
            path: "/usr/bin/openssl",
            [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key,
                "-out", cert, "-days", String(days), "-subj", "/CN=localhost", "-addext",
                "subjectAltName=IP:127.0.0.1,DNS:localhost",
            ])
        guard made.status == 0 else { throw ServerProcess.ServerError(description: made.stderr) }
        return (cert, key)
    }
}
