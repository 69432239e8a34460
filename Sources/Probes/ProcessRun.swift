import Foundation
import Results

#if canImport(Glibc)
    import Glibc
#endif

/// A child process run to completion within a timeout: its own process group (so a timeout kills everything it
/// started), output in temporary files (a grandchild holding a pipe open cannot hang the reader), each stream
/// truncated to `maxOutput` bytes. Waited for on a Dispatch thread, never on Swift's cooperative pool.
struct ProcessRun: Sendable {
    var status: Int32
    var stdout: String
    var stderr: String
    var timedOut: Bool

    static func run(
        _ path: String, _ arguments: [String], environment: [String: String]? = nil, timeout: Duration,
        maxOutput: Int = 64 << 10
    ) async throws -> ProcessRun {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gonogo-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let (outPath, errPath) = (dir.appendingPathComponent("out").path, dir.appendingPathComponent("err").path)

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)

        let env = environment ?? ProcessInfo.processInfo.environment
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for p in argv { free(p) }
            for p in envp { free(p) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
        guard spawned == 0 else {
            throw ProbeError.local("cannot run \(path): \(String(cString: strerror(spawned)))")
        }
        let child = pid
        let killed = LockedBox(false)
        let timer = Task {
            try await Task.sleep(for: timeout)
            killed.withLock { $0 = true }
            kill(-child, SIGKILL)
        }
        // Cancelled however this ends: a cancelled check returns before waitpid does, and a timer left running would
        // later kill whatever process group reuses the id.
        defer { timer.cancel() }
        // A check abandoned by the run (its timeout, the run's deadline) takes its process group with it.
        let status: Int32 = try await withTaskCancellationHandler {
            try await Blocking.run {
                var status: Int32 = 0
                while waitpid(child, &status, 0) < 0 && errno == EINTR {}
                return status
            }
        } onCancel: {
            killed.withLock { $0 = true }
            kill(-child, SIGKILL)
        }
        timer.cancel()
        kill(-child, SIGKILL)  // whatever the command left running in its group
        let code = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return ProcessRun(
            status: code, stdout: read(outPath, maxOutput), stderr: read(errPath, maxOutput),
            timedOut: killed.withLock { $0 })
    }

    static func read(_ path: String, _ limit: Int) -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { return "" }
        defer { try? handle.close() }
        let data = (try? handle.read(upToCount: limit + 1)) ?? Data()
        let text = String(decoding: data.prefix(limit), as: UTF8.self)
        return data.count > limit ? text + "\n… (truncated at \(limit / 1024) KiB)" : text
    }
}
