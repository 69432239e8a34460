import Catalog
import Checklist
import Crypto
import DotEnv
import Foundation
import Probes
import Reports
import Results
import Signing
import Verify

#if canImport(Glibc)
    import Glibc
#endif

extension DemoRun {
    // MARK: - Small helpers

    static func runTool(
        _ executable: String, _ arguments: [String], stdin: String?, environment: [String: String], directory: String
    ) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let output = Pipe()
        let input = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let name = URL(fileURLWithPath: executable).lastPathComponent
            throw Failure("\(name) \(arguments.prefix(2).joined(separator: " ")) failed:\n\(text.suffix(1500))")
        }
    }

    /// The repository: the folder holding the Sprint 5 checklist and the demo config, above the executable (a
    /// `.build/debug/gonogo`) or the working folder.
    static func findRepository() throws -> String {
        var candidates: [URL] = []
        do {
            var dir = URL(fileURLWithPath: executable).deletingLastPathComponent()
            for _ in 0..<6 {
                candidates.append(dir)
                dir = dir.deletingLastPathComponent()
            }
        }
        candidates.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        for dir in candidates
        where FileManager.default.fileExists(atPath: dir.path + "/" + checklistPath)
            && FileManager.default.fileExists(atPath: dir.path + "/" + configPath)
        {
            return dir.path
        }
        throw Failure(
            "cannot find \(checklistPath) and \(configPath): run gonogo demo from a clone of gonogo (or give --repository)"
        )
    }

    /// This executable's path, symbolic links resolved (Foundation's, not /proc's: portable).
    static var executable: String {
        Bundle.main.executableURL?.resolvingSymlinksInPath().path
            ?? URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().path
    }

    /// An executable beside this one.
    static func sibling(_ name: String) -> String {
        URL(fileURLWithPath: executable).deletingLastPathComponent().appendingPathComponent(name).path
    }

    static func which(_ name: String) -> String? {
        (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map { "\($0)/\(name)" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static func makeTemporaryFolder() throws -> String {
        var template = Array((NSTemporaryDirectory() + "/gonogo-demo-XXXXXX").utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw Failure("cannot make a temporary folder: \(String(cString: strerror(errno)))")
        }
        return URL(fileURLWithPath: String(cString: made)).standardizedFileURL.path
    }

    /// A free TCP port on 127.0.0.1 (bound, read, released; chat-api binds it a moment later).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure("socket: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0,
            withUnsafeMutablePointer(
                to: &address,
                {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
                }) == 0
        else { throw Failure("cannot find a free port: \(String(cString: strerror(errno)))") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func password() -> String {
        (0..<24).map { _ in "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789".randomElement()! }.reduce("") {
            $0 + String($1)
        }
    }

    static func write(_ text: String, to path: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
