import Crypto
import Foundation

/// Dead Simple Signing Envelope (github.com/secure-systems-lab/dsse, protocol 1.0): a payload, its type, and
/// signatures over the pre-authentication encoding of both, so that neither can be swapped.
public enum DSSE {
    /// The pre-authentication encoding: `DSSEv1 LEN(type) type LEN(body) body`, lengths in ASCII decimal bytes.
    public static func pae(payloadType: String, payload: Data) -> Data {
        let type = Data(payloadType.utf8)
        var out = Data("DSSEv1 \(type.count) ".utf8)
        out.append(type)
        out.append(Data(" \(payload.count) ".utf8))
        out.append(payload)
        return out
    }

    /// A signed envelope, serialized compactly (keys in a fixed order, no trailing newline).
    public static func sign(payload: Data, payloadType: String, key: P256.Signing.PrivateKey) throws -> Data {
        let signature = try key.signature(for: pae(payloadType: payloadType, payload: payload))
        let object: [String: Any] = [
            "payloadType": payloadType,
            "payload": payload.base64EncodedString(),
            "signatures": [
                [
                    "keyid": SigningKeys.envelopeKeyID(key.publicKey),
                    "sig": signature.derRepresentation.base64EncodedString(),
                ]
            ],
        ]
        return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    }

    /// An envelope that verified: its payload and type, and the id of the key that signed it.
    public struct Verified: Sendable {
        public var payloadType: String
        public var payload: Data
        public var keyID: String
    }

    /// Why an envelope did not verify, in words a person can act on.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var description: String
        public init(_ description: String) { self.description = description }
    }

    /// Checks `envelope` against `key`. Strict: the envelope must be one JSON object with exactly `payload`,
    /// `payloadType` and `signatures` (each signature `sig` and optionally `keyid`, which must then be this key's),
    /// base64 in its canonical form, and nothing after it but one newline: a changed payload, type, key id or
    /// signature byte fails. (JSON layout is not signed, as DSSE intends: whitespace between tokens may change.)
    /// A signature is DER (as gonogo, openssl and Sigstore write it) or the raw r‖s pair of the DSSE test vector.
    public static func verify(envelope: Data, key: P256.Signing.PublicKey) throws(Failure) -> Verified {
        var body = envelope
        if body.last == UInt8(ascii: "\n") { body.removeLast() }
        guard let first = body.first, first == UInt8(ascii: "{"), body.last == UInt8(ascii: "}") else {
            throw Failure("the envelope is not a single JSON object (it must start with { and end with })")
        }
        guard let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] else {
            throw Failure("the envelope is not valid JSON")
        }
        let unknown = Set(object.keys).subtracting(["payload", "payloadType", "signatures"])
        if !unknown.isEmpty {
            throw Failure("the envelope has unknown fields: \(unknown.sorted().joined(separator: ", "))")
        }
        guard let type = object["payloadType"] as? String else { throw Failure("the envelope has no payloadType") }
        guard let encoded = object["payload"] as? String else { throw Failure("the envelope has no payload") }
        guard let payload = canonicalBase64(encoded) else { throw Failure("the payload is not canonical base64") }
        guard let signatures = object["signatures"] as? [[String: Any]], !signatures.isEmpty else {
            throw Failure("the envelope has no signatures")
        }
        let message = pae(payloadType: type, payload: payload)
        let id = SigningKeys.envelopeKeyID(key)
        // Envelopes signed before gonogo used securesystemslib's id name the key by its DER digest.
        let ids: Set<String> = [id, SigningKeys.keyID(key)]
        var reasons: [String] = []
        for (i, entry) in signatures.enumerated() {
            let extra = Set(entry.keys).subtracting(["sig", "keyid"])
            if !extra.isEmpty {
                throw Failure("signature \(i + 1) has unknown fields: \(extra.sorted().joined(separator: ", "))")
            }
            if let keyid = entry["keyid"], !ids.contains(keyid as? String ?? "") {
                reasons.append("signature \(i + 1) names key \(keyid), not this key (\(id))")
                continue
            }
            guard let text = entry["sig"] as? String, let raw = canonicalBase64(text) else {
                reasons.append("signature \(i + 1) is not canonical base64")
                continue
            }
            let signature =
                (try? P256.Signing.ECDSASignature(derRepresentation: raw))
                ?? (raw.count == 64 ? try? P256.Signing.ECDSASignature(rawRepresentation: raw) : nil)
            guard let signature else {
                reasons.append("signature \(i + 1) is not an ECDSA signature")
                continue
            }
            if key.isValidSignature(signature, for: message) {
                return Verified(payloadType: type, payload: payload, keyID: id)
            }
            reasons.append("signature \(i + 1) does not verify with this key over the payload and its type")
        }
        throw Failure(reasons.joined(separator: "; "))
    }

    /// Base64 that decodes and encodes back to the same text: a changed padding bit is a change.
    static func canonicalBase64(_ text: String) -> Data? {
        guard let data = Data(base64Encoded: text), data.base64EncodedString() == text else { return nil }
        return data
    }
}
