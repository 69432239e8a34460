import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A long-running child (chat-api) whose output is collected as it comes, so the demo can wait for the line that says
/// it listens, and stop it cleanly: SIGTERM, then SIGKILL if it has not ended within the grace period.
final class ChildProcess: @unchecked Sendable {
    // `output` is written by the reader thread and read by the demo, both under `lock`.
    private let lock = NSLock()
    private var output = ""
    private let process = Process()
    let name: String

    init(_ executable: String, _ arguments: [String], environment: [String: String], directory: String) {
        name = URL(fileURLWithPath: executable).lastPathComponent
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
    }

    func start() throws {
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let handle = pipe.fileHandleForReading
        Thread.detachNewThread { [self] in
            while true {
                let data = handle.availableData
                if data.isEmpty { break }
                lock.lock()
                output += String(decoding: data, as: UTF8.self)
                lock.unlock()
            }
        }
    }

    var text: String {
        lock.lock()
        defer { lock.unlock() }
        return output
    }

    var isRunning: Bool { process.isRunning }

    /// The first line starting with `prefix`, waiting up to `timeout`; nil if the child ended or time ran out.
    func waitForLine(startingWith prefix: String, timeout: Duration) async -> String? {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while clock.now < deadline {
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }) { return String(line) }
            if !process.isRunning { return nil }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }

    /// SIGTERM, up to `grace` for it to end, then SIGKILL. Returns whether it ended on SIGTERM.
    @discardableResult
    func stop(grace: Duration = .seconds(10)) async -> Bool {
        guard process.isRunning else { return true }
        Glibc.kill(process.processIdentifier, SIGTERM)
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: grace)
        while process.isRunning, clock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        if process.isRunning {
            Glibc.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return false
        }
        return true
    }

    /// Kills it at once (on Ctrl-C).
    func kill() { if process.isRunning { Glibc.kill(process.processIdentifier, SIGKILL) } }

    var pid: Int32 { process.processIdentifier }
}
