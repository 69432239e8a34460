import Foundation
import Results
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A value shared between tasks and threads, behind a lock.
public final class LockedBox<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>
    public init(_ value: Value) { mutex = Mutex(value) }
    public func withLock<T: Sendable>(_ body: (inout Value) throws -> T) rethrows -> T {
        try mutex.withLock { try body(&$0) }
    }
}

/// Blocking work (file system walks, SQLite, waiting for a child process) on Dispatch's threads, so that it never
/// holds one of the few threads of Swift's cooperative pool.
///
/// A blocking C call cannot be interrupted from outside, so cancellation does not wait for it: the caller gets
/// `CancellationError` at once and the work finishes on its own thread, bounded by its own timeout (libpq's
/// `connect_timeout` and `statement_timeout`, the TLS probe's socket timeouts, SQLite's busy timeout). What it
/// returns then is dropped: nothing of a cancelled check reaches the report.
enum Blocking {
    static let queue = DispatchQueue(label: "gonogo.blocking", attributes: .concurrent)

    static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await run { _ in try work() }
    }

    /// Like ``run(_:)``, for work of many steps: `work` is given a test of whether the awaiting task was cancelled
    /// (its timeout, the run's deadline), to stop between steps instead of running on unawaited.
    static func run<T: Sendable>(
        _ work: @escaping @Sendable (_ cancelled: @escaping @Sendable () -> Bool) throws -> T
    ) async throws -> T {
        try Task.checkCancellation()
        let waiter = LockedBox<CheckedContinuation<T, any Error>?>(nil)
        let done = LockedBox(false)
        /// The continuation, taken once: by the work when it finishes, or by cancellation.
        @Sendable func take() -> CheckedContinuation<T, any Error>? {
            waiter.withLock { c in
                defer { c = nil }
                return c
            }
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let cancelledAlready = done.withLock { cancelled in
                    if !cancelled { waiter.withLock { $0 = continuation } }
                    return cancelled
                }
                if cancelledAlready { return continuation.resume(throwing: CancellationError()) }
                queue.async {
                    let result = Result { try work { done.withLock { $0 } } }
                    take()?.resume(with: result)
                }
            }
        } onCancel: {
            done.withLock { $0 = true }
            take()?.resume(throwing: CancellationError())
        }
    }
}

/// Path globs relative to a root: `*` and `?` within a path segment, `**` for any number of segments, `[…]`
/// classes (`fnmatch` with `FNM_PATHNAME` per segment).
public enum PathGlob {
    public static func isGlob(_ pattern: String) -> Bool { pattern.contains { "*?[".contains($0) } }

    public static func matches(_ pattern: String, _ path: String) -> Bool {
        match(
            ArraySlice(pattern.split(separator: "/").map(String.init)),
            ArraySlice(path.split(separator: "/").map(String.init)))
    }

    private static func match(_ pattern: ArraySlice<String>, _ path: ArraySlice<String>) -> Bool {
        guard let first = pattern.first else { return path.isEmpty }
        if first == "**" {
            let rest = pattern.dropFirst()
            for i in path.indices.lowerBound...path.indices.upperBound where match(rest, path[i...]) { return true }
            return false
        }
        guard let segment = path.first, fnmatch(first, segment, FNM_PERIOD) == 0 else { return false }
        return match(pattern.dropFirst(), path.dropFirst())
    }

    /// The files under `root` that `pattern` names (a plain path: that file if it exists), sorted, relative to
    /// `root`. Walks at most `limit` entries; skips `.git`. An absolute pattern is taken as it is.
    public static func files(_ pattern: String, root: String, limit: Int = 200_000) -> [String] {
        let fm = FileManager.default
        if !isGlob(pattern) {
            let full = pattern.hasPrefix("/") ? pattern : root + "/" + pattern
            return fm.fileExists(atPath: full) ? [pattern] : []
        }
        // Walk from the longest literal prefix of the pattern.
        let segments = pattern.split(separator: "/").map(String.init)
        let literal = segments.prefix { !isGlob($0) }
        let base = (pattern.hasPrefix("/") ? "/" : "") + literal.joined(separator: "/")
        let start = base.hasPrefix("/") ? base : (base.isEmpty ? root : root + "/" + base)
        guard let walker = fm.enumerator(atPath: start) else { return [] }
        var found: [String] = []
        var seen = 0
        while let entry = walker.nextObject() as? String {
            seen += 1
            if seen > limit { break }
            if entry == ".git" || entry.hasSuffix("/.git") {
                walker.skipDescendants()
                continue
            }
            let relative = base.isEmpty ? entry : base + "/" + entry
            if matches(pattern, relative) { found.append(relative) }
        }
        return found.sorted()
    }
}

/// `2 s`, `1.5 s`.
public func seconds(_ duration: Duration) -> String {
    let ms = duration.wholeMilliseconds
    return ms % 1000 == 0 ? "\(ms / 1000) s" : String(format: "%.1f s", Double(ms) / 1000)
}

extension Duration {
    public var wholeMicroseconds: Int {
        Int(components.seconds) * 1_000_000 + Int(components.attoseconds / 1_000_000_000_000)
    }

    public var wholeMilliseconds: Int {
        Int(components.seconds) * 1000 + Int(components.attoseconds / 1_000_000_000_000_000)
    }
}
