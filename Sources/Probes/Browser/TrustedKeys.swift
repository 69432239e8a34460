import COpenSSL
import Crypto
import Foundation

/// What Chromium is told to trust besides the system's roots: the public keys of the certificates in a CA file
/// (`http.ca_file`, `--ca-file`), as `--ignore-certificate-errors-spki-list` takes them (base64 SHA-256 of each
/// certificate's SubjectPublicKeyInfo), since Chromium reads no CA file of its own.
enum TrustedKeys {
    /// The pins of every certificate in the PEM file at `path`; empty when it holds none or cannot be read.
    static func pins(ofPEM path: String) -> [String] {
        guard let bio = BIO_new_file(path, "r") else { return [] }
        defer { BIO_free(bio) }
        var pins: [String] = []
        while pins.count < 100, let certificate = PEM_read_bio_X509(bio, nil, nil, nil) {
            defer { X509_free(certificate) }
            guard let key = X509_get0_pubkey(certificate) else { continue }
            let length = i2d_PUBKEY(key, nil)
            guard length > 0 else { continue }
            var der = [UInt8](repeating: 0, count: Int(length))
            let written = der.withUnsafeMutableBufferPointer { buffer -> Int32 in
                var pointer = buffer.baseAddress
                return i2d_PUBKEY(key, &pointer)
            }
            guard written == length else { continue }
            pins.append(Data(SHA256.hash(data: der)).base64EncodedString())
        }
        ERR_clear_error()
        return pins
    }
}
