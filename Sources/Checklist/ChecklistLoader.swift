import Crypto
import Dispatch
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads a checklist file and turns every way it can be unusable into a ``ChecklistError`` naming the file.
public enum ChecklistLoader {
    /// The largest checklist gonogo will read. Far above any real checklist; a bound so a wrong path
    /// (a disk image, a log) fails at once instead of exhausting memory.
    public static let maxBytes = 64 * 1024 * 1024

    /// Reads, validates and parses the checklist at `path`.
    public static func load(path: String) throws -> ChecklistDocument {
        let bytes = try read(path: path)
        let text = try decode(bytes, path: path)
        guard bytes.count > 1 << 20 else { return try ChecklistParser.parse(text, path: path, sha256: digest(bytes)) }
        // A long checklist's digest is made on another thread while its text is parsed.
        let made = Mutex<String>("")
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) {
            let hex = digest(bytes)
            made.withLock { $0 = hex }
        }
        defer { group.wait() }
        var document = try ChecklistParser.parse(text, path: path)
        group.wait()
        document.sha256 = made.withLock { $0 }
        return document
    }

    /// The SHA-256 of `bytes`, in lower-case hex.
    static func digest(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// Throws the error ``read(path:)`` would for a file that is missing, a directory or unreadable.
    public static func requireReadableFile(_ path: String) throws {
        var info = stat()
        guard stat(path, &info) == 0 else {
            if errno == ENOENT || errno == ENOTDIR { throw ChecklistError.notFound(path) }
            throw ChecklistError.unreadable(path, String(cString: strerror(errno)))
        }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw ChecklistError.isDirectory(path) }
        guard access(path, R_OK) == 0 else { throw ChecklistError.unreadable(path, String(cString: strerror(errno))) }
    }

    /// The file's bytes, or an error that says why they cannot be had.
    static func read(path: String) throws -> [UInt8] {
        try requireReadableFile(path)
        var info = stat()
        _ = stat(path, &info)
        if Int(info.st_size) > maxBytes {
            throw ChecklistError.tooLarge(path, bytes: Int(info.st_size), limit: maxBytes)
        }
        guard let file = fopen(path, "rb") else {
            throw ChecklistError.unreadable(path, String(cString: strerror(errno)))
        }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(info.st_size))
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            if n > 0 { bytes.append(contentsOf: chunk[0..<n]) }
            if n < chunk.count {
                if ferror(file) != 0 { throw ChecklistError.unreadable(path, String(cString: strerror(errno))) }
                break
            }
            if bytes.count > maxBytes { throw ChecklistError.tooLarge(path, bytes: bytes.count, limit: maxBytes) }
        }
        return bytes
    }

    /// The bytes as text: UTF-8 (a leading byte-order mark dropped), no NUL, not empty.
    static func decode(_ bytes: [UInt8], path: String) throws -> String {
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        if body.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) {
            throw ChecklistError.empty(path)
        }
        if let nul = body.firstIndex(of: 0) {
            throw ChecklistError.binary(path, line: lineNumber(of: nul, in: body))
        }
        if let text = String(validating: body, as: UTF8.self) { return text }
        // Invalid: find the first bad byte, for a message that names its line.
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = body.makeIterator()
        var offset = body.startIndex
        while case .valid(let encoded) = parser.parseScalar(from: &iterator) { offset += encoded.count }
        throw ChecklistError.notUTF8(path, line: lineNumber(of: offset, in: body), byteOffset: offset)
    }

    /// The 1-based line of byte `offset`.
    static func lineNumber(of offset: Int, in body: ArraySlice<UInt8>) -> Int {
        body[body.startIndex..<offset].reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
    }
}
