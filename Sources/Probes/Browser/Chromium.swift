import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Headless Chromium driven through the DevTools protocol over `--remote-debugging-pipe`: commands go in on the
/// child's fd 3 and answers and events come out on its fd 4, each a JSON object ended by a NUL byte. No WebSocket and
/// no port: nothing else on the machine can talk to it. The browser runs in its own process group with a throwaway
/// profile, and `close()` (or the task's cancellation) kills the whole group.
///
/// A reader thread parses every message once: answers resume their command, and events feed the page records
/// (``PageRecord``: the load, requests in flight and done, console errors) that the checks read.
final class Chromium: Sendable {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let pid: pid_t
    let input: Int32
    let output: Int32
    let profile: String
    let state = Mutex(State())

    struct State {
        var nextID = 1
        var pending: [Int: CheckedContinuation<Answer, any Error>] = [:]
        var pages: [String: PageRecord] = [:]
        /// Why the browser can no longer answer (it exited, or was closed), once it cannot.
        var ended: String?
        /// Whether its process group was killed (and is being reaped).
        var reaped = false
    }

    /// The largest message read (a full-page screenshot is a few MB of base64).
    static let maxMessage = 64 << 20

    private init(pid: pid_t, input: Int32, output: Int32, profile: String) {
        self.pid = pid
        self.input = input
        self.output = output
        self.profile = profile
    }

    /// The last reference gone (a run's shared browser, when the run ends): the pipe closes, which ends the browser,
    /// and its group is killed and reaped.
    deinit {
        Glibc.close(input)
        reap()
    }

    /// The browser's executable: `GONOGO_CHROMIUM`, else Debian's and the usual places; nil when none is installed.
    static func executable(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let own = environment["GONOGO_CHROMIUM"], !own.isEmpty { return own }
        let candidates = [
            "/usr/lib/chromium/chromium", "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome",
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Starts the browser and checks that it answers (`Browser.getVersion`) within `timeout`.
    /// `trusting`: public-key pins of certificates to accept (``TrustedKeys``); `insecure`: accept any certificate.
    static func launch(
        _ path: String, timeout: Duration, trusting pins: [String] = [], insecure: Bool = false
    ) async throws -> Chromium {
        // A browser that exits makes a write to its pipe fail with EPIPE; never a signal that ends this process.
        signal(SIGPIPE, SIG_IGN)
        var toChild: [Int32] = [0, 0]
        var fromChild: [Int32] = [0, 0]
        // Close-on-exec: the child sees only the ends dup'ed onto its fds 3 and 4.
        guard pipe(&toChild) == 0 else {
            throw Failure(description: "cannot make the pipes to Chromium: \(String(cString: strerror(errno)))")
        }
        guard pipe(&fromChild) == 0 else {
            Glibc.close(toChild[0])
            Glibc.close(toChild[1])
            throw Failure(description: "cannot make the pipes to Chromium: \(String(cString: strerror(errno)))")
        }
        for fd in toChild + fromChild { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        // Our end of the command pipe never blocks a thread of Swift's pool: a browser that stops reading it (64 KiB
        // of commands unread) fails the command instead.
        _ = fcntl(toChild[1], F_SETFL, fcntl(toChild[1], F_GETFL) | O_NONBLOCK)
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent(
            "gonogo-chromium-\(UUID().uuidString)"
        ).path
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, toChild[0], 3)
        posix_spawn_file_actions_adddup2(&actions, fromChild[1], 4)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)

        // Headless, and quiet on the network: no updates, sync, metrics or safe-browsing lookups leave the machine.
        var arguments = [
            path, "--headless", "--remote-debugging-pipe", "--user-data-dir=\(profile)", "--no-first-run",
            "--no-default-browser-check", "--disable-gpu", "--disable-extensions", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-default-apps", "--disable-domain-reliability",
            "--disable-client-side-phishing-detection", "--no-pings", "--metrics-recording-only", "--mute-audio",
            "--hide-scrollbars", "--disable-dev-shm-usage", "--disable-features=Translate,MediaRouter",
        ]
        // Chromium refuses to run as root inside its sandbox (CI runs as root).
        if geteuid() == 0 { arguments.append("--no-sandbox") }
        if insecure {
            arguments.append("--ignore-certificate-errors")
        } else if !pins.isEmpty {
            arguments.append("--ignore-certificate-errors-spki-list=\(pins.joined(separator: ","))")
        }
        arguments.append("about:blank")
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = ProcessInfo.processInfo.environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for p in argv { free(p) }
            for p in envp { free(p) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
        Glibc.close(toChild[0])
        Glibc.close(fromChild[1])
        guard spawned == 0 else {
            Glibc.close(toChild[1])
            Glibc.close(fromChild[0])
            throw Failure(description: "cannot run \(path): \(String(cString: strerror(spawned)))")
        }
        let browser = Chromium(pid: pid, input: toChild[1], output: fromChild[0], profile: profile)
        let weak = WeakBrowser(browser)
        let output = fromChild[0]
        let thread = Thread { Chromium.readLoop(output, weak) }
        thread.name = "gonogo.chromium"
        thread.start()
        do {
            _ = try await browser.send("Browser.getVersion", timeout: timeout)
        } catch {
            await browser.close()
            throw Failure(description: "Chromium (\(path)) did not start: \(error)")
        }
        return browser
    }

    /// A command's `result` object, as JSONSerialization parsed it (immutable once parsed, so it may cross threads).
    struct Answer: @unchecked Sendable {
        let result: [String: Any]
    }

    /// Sends `method` and waits for its answer (the `result` object), at most `timeout`. A protocol error, the
    /// browser's exit, the timeout or the task's cancellation throw.
    @discardableResult
    func send(
        _ method: String, _ params: [String: Any] = [:], session: String? = nil, timeout: Duration
    ) async throws -> [String: Any] {
        // A cancelled check sends nothing more (its cancellation may have come before this command was registered).
        try Task.checkCancellation()
        var message: [String: Any] = ["method": method, "params": params]
        if let session { message["sessionId"] = session }
        let id = state.withLock { s in
            defer { s.nextID += 1 }
            return s.nextID
        }
        message["id"] = id
        var payload = try JSONSerialization.data(withJSONObject: message)
        payload.append(0)
        let framed = payload
        return try await deadline(timeout, what: method, id: id) {
            try await withCheckedThrowingContinuation { continuation in
                let refused: String? = self.state.withLock { s in
                    if let ended = s.ended { return ended }
                    if Task.isCancelled { return "cancelled" }
                    s.pending[id] = continuation
                    return nil
                }
                if let refused { return continuation.resume(throwing: Failure(description: refused)) }
                var offset = 0
                let written = framed.withUnsafeBytes { raw -> Bool in
                    while offset < raw.count {
                        let n = write(self.input, raw.baseAddress! + offset, raw.count - offset)
                        if n < 0 && errno == EINTR { continue }
                        if n <= 0 { return false }  // EAGAIN: the browser does not read its commands
                        offset += n
                    }
                    return true
                }
                if !written {
                    self.finish(id, Failure(description: "Chromium does not read its commands"))
                    // Half a command in the pipe would garble every later one: this browser is done.
                    if offset > 0 {
                        self.end("Chromium stopped reading in the middle of a command")
                        self.reap()
                    }
                }
            }
        }
    }

    /// Runs `body` (which resumes `id`'s continuation when answered) and fails `id` after `timeout` or on cancellation.
    private func deadline(
        _ timeout: Duration, what: String, id: Int, _ body: () async throws -> Answer
    ) async throws -> [String: Any] {
        let timer = Task { [weak self] in
            try await Task.sleep(for: timeout)
            self?.finish(id, Failure(description: "Chromium did not answer \(what) within \(timeout)"))
        }
        defer { timer.cancel() }
        return try await withTaskCancellationHandler {
            try await body().result
        } onCancel: {
            self.finish(id, CancellationError())
        }
    }

    /// Resumes command `id` with `error`, if it still waits.
    func finish(_ id: Int, _ error: any Error) {
        let continuation = state.withLock { s in
            s.pending.removeValue(forKey: id)
        }
        continuation?.resume(throwing: error)
    }
}
