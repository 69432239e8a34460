import COpenSSL
import Foundation
import Results

/// A self-signed certificate for loopback (`127.0.0.1`, `::1`, `localhost`), made with OpenSSL: what `gonogo demo`
/// serves chat-api with. EC P-256, SHA-256, `days` of validity.
public enum SelfSignedCertificate {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Writes the certificate and its key (mode 0600) as PEM.
    public static func write(certificate: String, key keyPath: String, days: Int = 90) throws {
        func fail(_ what: String) -> Failure {
            var message = what
            let code = ERR_get_error()
            if code != 0 {
                var buffer = [UInt8](repeating: 0, count: 256)
                buffer.withUnsafeMutableBufferPointer { raw in
                    raw.withMemoryRebound(to: CChar.self) { ERR_error_string_n(code, $0.baseAddress, $0.count) }
                }
                message += ": " + String(decoding: buffer.prefix { $0 != 0 }, as: UTF8.self)
            }
            return Failure(description: "cannot make the demo certificate: \(message)")
        }
        guard let ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_EC, nil) else { throw fail("EVP_PKEY_CTX_new_id") }
        defer { EVP_PKEY_CTX_free(ctx) }
        var pkey: OpaquePointer? = nil
        guard EVP_PKEY_keygen_init(ctx) == 1, EVP_PKEY_CTX_set_ec_paramgen_curve_nid(ctx, NID_X9_62_prime256v1) == 1,
            EVP_PKEY_keygen(ctx, &pkey) == 1, let pkey
        else { throw fail("key generation") }
        defer { EVP_PKEY_free(pkey) }
        guard let x509 = X509_new() else { throw fail("X509_new") }
        defer { X509_free(x509) }
        var serial = [UInt8](repeating: 0, count: 16)
        for i in serial.indices { serial[i] = UInt8.random(in: 0...255) }
        serial[0] &= 0x7F
        guard let bn = BN_bin2bn(serial, Int32(serial.count), nil) else { throw fail("serial") }
        defer { BN_free(bn) }
        guard X509_set_version(x509, 2) == 1, BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x509)) != nil,
            X509_gmtime_adj(X509_getm_notBefore(x509), -60) != nil,
            X509_gmtime_adj(X509_getm_notAfter(x509), days * 86_400) != nil, X509_set_pubkey(x509, pkey) == 1,
            let name = X509_get_subject_name(x509),
            X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, "localhost", -1, -1, 0) == 1,
            X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, "gonogo demo", -1, -1, 0) == 1,
            X509_set_issuer_name(x509, name) == 1
        else { throw fail("certificate fields") }
        var v3 = X509V3_CTX()
        X509V3_set_ctx(&v3, x509, x509, nil, nil, 0)
        for (nid, value) in [
            (NID_subject_alt_name, "IP:127.0.0.1,IP:::1,DNS:localhost"), (NID_basic_constraints, "critical,CA:FALSE"),
            (NID_key_usage, "critical,digitalSignature"), (NID_ext_key_usage, "serverAuth"),
        ] {
            guard let ext = X509V3_EXT_conf_nid(nil, &v3, nid, value) else { throw fail("extension \(value)") }
            defer { X509_EXTENSION_free(ext) }
            guard X509_add_ext(x509, ext, -1) == 1 else { throw fail("extension \(value)") }
        }
        guard X509_sign(x509, pkey, EVP_sha256()) > 0 else { throw fail("X509_sign") }

        let keyFD = open(keyPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard keyFD >= 0 else {
            throw Failure(description: "cannot write \(keyPath): \(String(cString: strerror(errno)))")
        }
        close(keyFD)
        guard let keyBIO = BIO_new_file(keyPath, "w") else { throw fail("cannot write \(keyPath)") }
        defer { BIO_free(keyBIO) }
        guard PEM_write_bio_PrivateKey(keyBIO, pkey, nil, nil, 0, nil, nil) == 1 else { throw fail("writing the key") }
        guard let certBIO = BIO_new_file(certificate, "w") else { throw fail("cannot write \(certificate)") }
        defer { BIO_free(certBIO) }
        guard PEM_write_bio_X509(certBIO, x509) == 1 else { throw fail("writing the certificate") }
    }
}
