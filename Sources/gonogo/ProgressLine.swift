import Catalog
import Foundation
import Results
import Synchronization
import Verify

/// `gonogo verify`'s line on a terminal, rewritten in place: each check as it ends with the status it is reported with
/// (`[12/75] warn …`), and, while a check runs longer than a second (a latency item sampling, a slow command), what
/// runs and the time left (`[12/75] sampling performance/…/history-retrieval · 4 s left`). Erased with an escape code,
/// or on a dumb terminal overwritten with spaces (no escape code at all).
final class ProgressLine: Sendable {
    private struct State {
        var done = 0
        var total = 0
        var running: [String: (since: ContinuousClock.Instant, expected: Duration?)] = [:]
        /// Cleared for good: nothing more is written (a tick racing the end of the run).
        var closed = false
    }

    private let state = Mutex(State())
    private let dumb: Bool
    static let width = 90

    init(dumb: Bool) { self.dumb = dumb }

    func render(_ line: String) -> String {
        let clipped = String(line.prefix(Self.width))
        return dumb
            ? "\r" + clipped.padding(toLength: Self.width, withPad: " ", startingAt: 0) : "\r\u{1B}[K" + clipped
    }

    func clear() {
        state.withLock { s in
            s.closed = true
            writeAll(dumb ? "\r" + String(repeating: " ", count: Self.width) + "\r" : "\r\u{1B}[K", to: 2)
        }
    }

    var progress: Verifier.Progress {
        { [self] done, total, item in
            state.withLock { s in
                s.done = done
                s.total = total
                s.running[item.id] = nil
                guard !s.closed else { return }
                writeAll(render("[\(done)/\(total)] \(item.status.rawValue) " + String(item.id.prefix(70))), to: 2)
            }
        }
    }

    var started: Verifier.Started {
        { [self] item, expected, total in
            state.withLock {
                $0.running[item.id] = (.now, expected)
                $0.total = total
            }
        }
    }

    /// Writes the line for the check that has run longest, once it has run over a second: built and written under
    /// one lock, so a check that ended meanwhile is never shown as running.
    func tick(now: ContinuousClock.Instant = .now) {
        state.withLock { s in
            guard !s.closed, let (id, run) = s.running.min(by: { $0.value.since < $1.value.since }) else { return }
            let elapsed = run.since.duration(to: now)
            guard elapsed > .seconds(1) else { return }
            let line = ProgressText.running(
                done: s.done, total: s.total, id: id, elapsed: elapsed, expected: run.expected)
            writeAll(render(line), to: 2)
        }
    }

    /// Rewrites the line every second while a check runs long, until cancelled.
    func ticker() -> Task<Void, Never> {
        Task { [self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(1))
                if !Task.isCancelled { tick() }
            }
        }
    }
}
