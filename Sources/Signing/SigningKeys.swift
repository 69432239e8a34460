import Crypto
import DotEnv
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// ECDSA P-256 keys in PEM files: a private key (PKCS#8, mode 0600) and its public key (SubjectPublicKeyInfo), the
/// pair `gonogo keygen` writes and `openssl`, Python's `cryptography` and securesystemslib read.
public enum SigningKeys {
    /// A key's id as attestations name it: `SHA256:` and the hex SHA-256 of its public key's DER encoding. (Envelopes
    /// signed before ``envelopeKeyID(_:)`` carry it too, and still verify.)
    public static func keyID(_ key: P256.Signing.PublicKey) -> String {
        "SHA256:" + SHA256.hash(data: key.derRepresentation).map { String(format: "%02x", $0) }.joined()
    }

    /// A DSSE envelope's `keyid`: the id securesystemslib gives the key by default (`SSlibKey.from_crypto`), the hex
    /// SHA-256 of the canonical JSON `{"keytype":"ecdsa","keyval":{"public":PEM},"scheme":"ecdsa-sha2-nistp256"}`,
    /// with the PEM as Python's `cryptography` writes it (64-character lines, a final newline). So the tools built on
    /// securesystemslib (in-toto, TUF's) match the signature to the key with no id given by hand.
    public static func envelopeKeyID(_ key: P256.Signing.PublicKey) -> String {
        let base64 = Array(key.derRepresentation.base64EncodedString())
        let lines = stride(from: 0, to: base64.count, by: 64).map { String(base64[$0..<min($0 + 64, base64.count)]) }
        let pem = "-----BEGIN PUBLIC KEY-----\n" + lines.joined(separator: "\n") + "\n-----END PUBLIC KEY-----\n"
        // Canonical JSON (OLPC, as securesystemslib encodes it): sorted keys, no spaces, only `\` and `"` escaped.
        let escaped = pem.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        let canonical =
            "{\"keytype\":\"ecdsa\",\"keyval\":{\"public\":\"\(escaped)\"},\"scheme\":\"ecdsa-sha2-nistp256\"}"
        return SHA256.hash(data: Data(canonical.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Writes `PREFIX.key` (mode 0600, created that way so it is never readable by others) and `PREFIX.pub`.
    /// Refuses to overwrite either file: a key that signed reports must not be lost.
    public static func generate(prefix: String) throws -> (privatePath: String, publicPath: String, keyID: String) {
        let key = P256.Signing.PrivateKey()
        let privatePath = prefix + ".key"
        let publicPath = prefix + ".pub"
        for path in [privatePath, publicPath] where FileManager.default.fileExists(atPath: path) {
            throw InputFileError(
                file: path, line: nil, message: "already exists; keygen never overwrites a key (choose another --out)")
        }
        try write(key.pemRepresentation + "\n", to: privatePath, mode: 0o600)
        try write(key.publicKey.pemRepresentation + "\n", to: publicPath, mode: 0o644)
        return (privatePath, publicPath, keyID(key.publicKey))
    }

    /// Reads a private key, refusing a file that others can read (the fix is `chmod 600`). Its bytes never appear in
    /// an error.
    public static func loadPrivate(path: String) throws -> P256.Signing.PrivateKey {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw InputFileError(file: path, line: nil, message: "cannot be read: \(String(cString: strerror(errno)))")
        }
        if info.st_mode & 0o077 != 0 {
            throw InputFileError(
                file: path, line: nil,
                message:
                    "is readable by others (mode \(String(info.st_mode & 0o777, radix: 8))); a private key must be "
                    + "yours alone: chmod 600 \(path)")
        }
        let text = try readText(path)
        guard text.contains("-----BEGIN") else {
            throw InputFileError(
                file: path, line: 1, message: "is not a PEM file (expected -----BEGIN PRIVATE KEY-----)")
        }
        do {
            return try P256.Signing.PrivateKey(pemRepresentation: text)
        } catch {
            throw InputFileError(
                file: path, line: nil,
                message: "is not an ECDSA P-256 private key in PEM (make one with `gonogo keygen --out PREFIX`)")
        }
    }

    /// Reads a public key (PEM, SubjectPublicKeyInfo).
    public static func loadPublic(path: String) throws -> P256.Signing.PublicKey {
        try parsePublic(readText(path), file: path, line: nil)
    }

    /// A public key from PEM text; `file` and `line` say where it came from in an error.
    public static func parsePublic(_ text: String, file: String, line: Int?) throws -> P256.Signing.PublicKey {
        do {
            return try P256.Signing.PublicKey(pemRepresentation: text)
        } catch {
            let hint = text.contains("PRIVATE KEY") ? " (this is a private key: give the .pub file)" : ""
            throw InputFileError(
                file: file, line: line, message: "is not an ECDSA P-256 public key in PEM\(hint)")
        }
    }

    static func readText(_ path: String) throws -> String {
        try InputFileError.readText(path, notText: "is not a PEM file (not text)")
    }

    static func write(_ text: String, to path: String, mode: mode_t) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, mode)
        guard fd >= 0 else {
            throw InputFileError(
                file: path, line: nil, message: "cannot be written: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        _ = fchmod(fd, mode)  // the umask must not widen or narrow what was asked for
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else {
                throw InputFileError(
                    file: path, line: nil, message: "cannot be written: \(String(cString: strerror(errno)))")
            }
            offset += n
        }
    }
}
