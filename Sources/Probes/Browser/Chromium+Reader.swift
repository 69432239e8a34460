import Foundation

#if canImport(Glibc)
    import Glibc
#endif

extension Chromium {
    /// The reader thread: splits fd 4's stream at each NUL and hands each message to the browser, until the browser
    /// closes the pipe. It holds the browser weakly, so that a browser nobody uses any more is released (its deinit
    /// closes the command pipe, which ends the process, whose exit ends this loop).
    static func readLoop(_ output: Int32, _ weakBrowser: WeakBrowser) {
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var reason = "Chromium exited"
        reading: while true {
            let n = read(output, &chunk, chunk.count)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            // Only the bytes just read can hold a new end of message (a long one is not scanned again and again).
            let fresh = buffer.count
            buffer.append(contentsOf: chunk[0..<n])
            var start = 0
            var from = fresh
            while let zero = buffer[from...].firstIndex(of: 0) {
                weakBrowser.browser?.handle(Data(buffer[start..<zero]))
                start = zero + 1
                from = start
            }
            buffer.removeFirst(start)
            if buffer.count > Self.maxMessage {
                reason = "Chromium sent a message over \(Self.maxMessage >> 20) MB"
                break reading
            }
        }
        Glibc.close(output)
        weakBrowser.browser?.end(reason)
        // A browser that exited on its own leaves its renderers and its zombie: gone now, not when the run ends.
        weakBrowser.browser?.reap()
    }

    final class WeakBrowser: @unchecked Sendable {
        weak var browser: Chromium?
        init(_ browser: Chromium) { self.browser = browser }
    }

    /// No more answers: every command still waiting fails with `reason`.
    func end(_ reason: String) {
        let waiting = state.withLock { s in
            if s.ended == nil { s.ended = reason }
            defer { s.pending = [:] }
            return Array(s.pending.values)
        }
        for continuation in waiting { continuation.resume(throwing: Failure(description: reason)) }
    }

    func handle(_ data: Data) {
        guard let message = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else { return }
        if let id = message["id"] as? Int {
            guard let continuation = state.withLock({ $0.pending.removeValue(forKey: id) }) else { return }
            if let error = message["error"] as? [String: Any] {
                let text = error["message"] as? String ?? "error"
                continuation.resume(throwing: Failure(description: "Chromium refused: \(text)"))
            } else {
                continuation.resume(returning: Answer(result: message["result"] as? [String: Any] ?? [:]))
            }
            return
        }
        guard let method = message["method"] as? String, let session = message["sessionId"] as? String,
            let params = message["params"] as? [String: Any]
        else { return }
        state.withLock { s in
            guard s.pages[session] != nil else { return }
            s.pages[session]!.record(method, params)
        }
    }

    /// Starts recording `session`'s events (a page just attached).
    func track(_ session: String) {
        state.withLock { $0.pages[session] = PageRecord() }
    }

    /// Stops recording `session` (its tab closed): its requests and console are not kept for the rest of the run.
    func untrack(_ session: String) {
        _ = state.withLock { $0.pages.removeValue(forKey: session) }
    }

    /// Forgets what `session` recorded (before a navigation) and returns nothing; `record(of:)` reads it.
    func reset(_ session: String) {
        state.withLock { $0.pages[session] = PageRecord() }
    }

    func record(of session: String) -> PageRecord {
        state.withLock { $0.pages[session] ?? PageRecord() }
    }

    /// Whether the browser can no longer answer (it exited, or was closed).
    var hasEnded: Bool { state.withLock { $0.ended != nil } }

    /// Closes the browser: asks it to quit (briefly), then kills its process group, reaps it and removes its profile.
    func close() async {
        _ = try? await send("Browser.close", timeout: .seconds(2))
        end("Chromium was closed")
        reap()
    }

    /// Kills the process group (once) and reaps the browser and removes its profile on a thread of its own, so that
    /// a cancelled check does not wait for it.
    func reap() {
        let first = state.withLock { s in
            defer { s.reaped = true }
            return !s.reaped
        }
        guard first else { return }
        kill(-pid, SIGKILL)
        let (child, profile) = (pid, profile)
        Thread.detachNewThread {
            var status: Int32 = 0
            while waitpid(child, &status, 0) < 0 && errno == EINTR {}
            try? FileManager.default.removeItem(atPath: profile)
        }
    }
}
