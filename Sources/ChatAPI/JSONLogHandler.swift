import Foundation
import Logging

/// Log lines as JSON objects on stderr: `{"ts","level","label","msg",…metadata}`. Metadata whose key names a
/// secret (authorization, password, token, key, secret, cookie) is written as `[redacted]`.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    private let label: String

    public init(label: String) { self.label = label }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var object: [String: String] = [
            "ts": Timestamp.now(), "level": event.level.rawValue, "label": label, "msg": event.message.description,
        ]
        for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) {
            object[key] = Self.isSecret(key) ? "[redacted]" : value.description
        }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        FileHandle.standardError.write(data + Data("\n".utf8))
    }

    static func isSecret(_ key: String) -> Bool {
        let k = key.lowercased()
        return ["authorization", "password", "token", "secret", "key", "cookie"].contains { k.contains($0) }
    }
}
