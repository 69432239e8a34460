import Crypto
import DotEnv
import Foundation
import Signing
import Yams

/// Who may speak for a role: each role's public keys. With a roster, an attestation counts only when it is signed by
/// a key of its own role.
///
/// ```yaml
/// roles:
///   QA Lead: [keys/sam.pub]          # paths relative to this file
///   Security Lead:
///     - keys/dana.pub
///     - |
///       -----BEGIN PUBLIC KEY-----
///       MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE…
///       -----END PUBLIC KEY-----
/// ```
public struct Roster: Sendable {
    public var keys: [String: [P256.Signing.PublicKey]]
    public var path: String

    public static func load(path: String) throws -> Roster {
        let text = try SignoffYAML.read(path)
        guard let root = try SignoffYAML.compose(text, file: path), case .mapping(let top) = root else {
            throw InputFileError(file: path, line: 1, message: "must be a mapping with a `roles:` mapping")
        }
        let base = URL(fileURLWithPath: path).deletingLastPathComponent()
        var keys: [String: [P256.Signing.PublicKey]] = [:]
        for (k, v) in top {
            guard k.string == "roles" else {
                throw InputFileError(
                    file: path, line: k.mark?.line, message: "unknown key `\(k.string ?? "")` (known: roles)")
            }
            guard case .mapping(let roles) = v else {
                throw InputFileError(file: path, line: v.mark?.line, message: "`roles` must map each role to its keys")
            }
            for (role, list) in roles {
                let entries: [Node]
                switch list {
                case .sequence(let s): entries = Array(s)
                case .scalar: entries = [list]
                default:
                    throw InputFileError(file: path, line: list.mark?.line, message: "a role's keys must be a list")
                }
                for entry in entries {
                    guard case .scalar = entry else {
                        throw InputFileError(
                            file: path, line: entry.mark?.line, message: "a key is a path or a PEM block, one per entry"
                        )
                    }
                    let value = entry.string ?? ""
                    let line = entry.mark?.line
                    let key: P256.Signing.PublicKey
                    if value.contains("-----BEGIN") {
                        key = try SigningKeys.parsePublic(value, file: path, line: line)
                    } else {
                        let file = value.hasPrefix("/") ? value : base.appendingPathComponent(value).path
                        guard FileManager.default.fileExists(atPath: file) else {
                            throw InputFileError(file: path, line: line, message: "\(value): no such key file")
                        }
                        do {
                            key = try SigningKeys.loadPublic(path: file)
                        } catch let error as InputFileError {
                            throw InputFileError(file: path, line: line, message: "\(value): \(error.message)")
                        }
                    }
                    keys[role.string ?? "", default: []].append(key)
                }
            }
        }
        return Roster(keys: keys, path: path)
    }
}
