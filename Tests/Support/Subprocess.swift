import Foundation

/// What a spawned executable printed and how it ended.
public struct Run: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

/// Test helpers that run this package's built executables as a user would: real processes, real pipes.
public enum Executables {
    /// The repository's root, from this file's path.
    public static let repositoryRoot: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)  // Tests/Support/Subprocess.swift
        return parts.joined(separator: "/")
    }()

    /// The path of executable `name` in the products directory of the running test bundle.
    public static func path(_ name: String) -> String {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent(name).path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return Bundle.main.bundleURL.appendingPathComponent(name).path
    }

    /// Runs `name` with `arguments` to completion, in `directory` (the repository root by default).
    public static func run(
        _ name: String, _ arguments: [String], environment: [String: String] = [:], stdin: String? = nil,
        directory: String? = nil
    ) throws -> Run {
        try run(path: path(name), arguments, environment: environment, stdin: stdin, directory: directory)
    }

    /// Runs the program at `path` with `arguments` to completion, in `directory` (the repository root by default).
    public static func run(
        path: String, _ arguments: [String], environment: [String: String] = [:], stdin: String? = nil,
        directory: String? = nil
    ) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory ?? repositoryRoot)
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let (out, err, input) = (Spawning.pipe(), Spawning.pipe(), Spawning.pipe())
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try Spawning.run(process)
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        // Read both pipes concurrently so a large output cannot fill one pipe and block the child.
        let errData = Box()
        let reader = Thread { errData.value = err.fileHandleForReading.readDataToEndOfFile() }
        reader.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !reader.isFinished { usleep(1000) }
        return Run(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData.value, as: UTF8.self))
    }

    /// A new empty directory under the system's temporary directory.
    public static func temporaryDirectory(_ label: String = "gonogo") throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }
}

/// Starting children without leaking pipes into each other. Foundation's `Pipe` makes inheritable descriptors, so a
/// long-lived child (a server) started by one test would keep open the pipes of another test's child, whose reader
/// would then never see the end of its output. Every pipe here is close-on-exec (the child's copies on 0, 1 and 2
/// are made by dup2, which clears the flag), and pipes are made and children started under one lock, so no child
/// starts between a pipe's creation and its flag.
enum Spawning {
    static let lock = NSRecursiveLock()

    static func pipe() -> Pipe {
        lock.lock()
        defer { lock.unlock() }
        let pipe = Pipe()
        for fd in [pipe.fileHandleForReading.fileDescriptor, pipe.fileHandleForWriting.fileDescriptor] {
            _ = fcntl(fd, F_SETFD, fcntl(fd, F_GETFD) | FD_CLOEXEC)
        }
        return pipe
    }

    static func run(_ process: Process) throws {
        try locked { try process.run() }
    }

    static func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }
}

/// A value one thread writes and another reads after joining it.
final class Box: @unchecked Sendable {
    // Written by the reader thread before it finishes; read only after `isFinished`.
    var value = Data()
}

/// A long-running executable (a server) started for a test: it must print `listening on http(s)://HOST:PORT` on
/// stdout; ``start(timeout:)`` waits for that line, without sleeping, and ``stop()`` sends SIGTERM and waits.
public final class ServerProcess: @unchecked Sendable {
    // `port`, `output` and `errors` are written by reader threads under `lock`; read under it.
    private let process = Process()
    private let lock = NSLock()
    private let ready = DispatchSemaphore(value: 0)
    private var port: Int?
    private var errors = Data()
    private let stderrDone = DispatchSemaphore(value: 0)
    private var stderrDrained = true  // until a reader runs
    private var output = ""

    public convenience init(_ name: String, _ arguments: [String], environment: [String: String], directory: String) {
        self.init(path: Executables.path(name), arguments, environment: environment, directory: directory)
    }

    /// The port the output so far says the process listens on, once it says so.
    private let readyPort: @Sendable (String) -> Int?

    /// Any program that prints `listening on http(s)://HOST:PORT` (a stand-in server written for a test), or, with
    /// `ready`, whatever line `ready` reads a port from (`openssl s_server` prints `ACCEPT` on a port given to it).
    public init(
        path: String, _ arguments: [String], environment: [String: String], directory: String,
        ready: @escaping @Sendable (String) -> Int? = ServerProcess.listeningOn
    ) {
        readyPort = ready
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
    }

    /// Starts the process and returns the port it listens on.
    public func start(timeout: TimeInterval = 60) throws -> Int {
        let (out, err) = (Spawning.pipe(), Spawning.pipe())
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try Spawning.run(process)
        Thread {
            let handle = out.fileHandleForReading
            while true {
                let data = handle.availableData
                if data.isEmpty { break }
                self.lock.lock()
                self.output += String(decoding: data, as: UTF8.self)
                if self.port == nil, let p = self.readyPort(self.output) {
                    self.port = p
                    self.ready.signal()
                }
                self.lock.unlock()
            }
            self.ready.signal()  // the process ended: wake a waiter
        }.start()
        lock.withLock { stderrDrained = false }
        Thread {
            // Read as it comes, so that a test can read the log of a running server.
            let handle = err.fileHandleForReading
            while true {
                let data = handle.availableData
                if data.isEmpty { break }
                self.lock.withLock { self.errors.append(data) }
            }
            self.stderrDone.signal()
        }.start()
        guard ready.wait(timeout: .now() + timeout) == .success, let port = lock.withLock({ self.port }) else {
            kill()  // never ready: nothing of it to keep, and a child may ignore SIGTERM (openssl s_server does)
            throw ServerError(description: "no 'listening on' line within \(timeout) s; stderr: \(stderr)")
        }
        return port
    }

    /// The port of a `listening on http(s)://HOST:PORT` line.
    @Sendable public static func listeningOn(_ output: String) -> Int? {
        guard let range = output.range(of: "listening on http") else { return nil }
        let rest = output[range.upperBound...].drop { $0 != "/" }
        guard let colon = rest.firstIndex(of: ":"), let end = rest.firstIndex(of: "\n") else { return nil }
        return Int(rest[rest.index(after: colon)..<end])
    }

    /// What the process wrote to stdout so far.
    public var stdout: String { lock.withLock { output } }

    /// What the process wrote to stderr so far.
    public var stderr: String { lock.withLock { String(decoding: errors, as: UTF8.self) } }

    /// SIGTERM, then wait for the exit (SIGKILL after `grace` seconds: a child can inherit the runner's blocked
    /// SIGTERM, as `openssl s_server` does); returns the exit status.
    @discardableResult
    public func stop(grace: TimeInterval = 60) -> Int32 {
        if process.isRunning {
            process.terminate()
            // One thread waits for the exit (Foundation's wait is not safe from two at once); this one, for it.
            let exited = DispatchSemaphore(value: 0)
            let process = process
            Thread {
                process.waitUntilExit()
                exited.signal()
            }.start()
            if exited.wait(timeout: .now() + grace) == .timedOut {
                Foundation.kill(process.processIdentifier, SIGKILL)
                exited.wait()
            }
        } else {
            process.waitUntilExit()
        }
        drainStderr()
        return process.terminationStatus
    }

    /// SIGKILL, as a crash would.
    public func kill() {
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        drainStderr()
    }

    /// After the exit: waits (briefly) until the reader has taken all of stderr, so ``stderr`` is complete.
    private func drainStderr() {
        guard lock.withLock({ !stderrDrained }) else { return }
        if stderrDone.wait(timeout: .now() + 10) == .success { lock.withLock { stderrDrained = true } }
    }

    public struct ServerError: Error, CustomStringConvertible {
        public let description: String
        public init(description: String) { self.description = description }
    }
}

/// Loopback ports for servers the tests start.
public enum Ports {
    /// A 127.0.0.1 port that was free a moment ago (bound, read, closed).
    public static func free() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else { throw ServerProcess.ServerError(description: "no free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Whether something accepts TCP connections on 127.0.0.1:`port`.
    public static func accepts(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}
