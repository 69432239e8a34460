import Dispatch
import Synchronization

/// Work on thousands of independent elements spread over every core, in chunks, the results in order. Below one chunk
/// everything runs on the calling thread, so a checklist a person writes is read exactly as before.
package enum Concurrent {
    /// Elements per chunk: large enough that a chunk's setup (a phrase cache, an evidence recorder) is paid rarely.
    package static let chunkSize = 1024

    /// `body` over `0..<count` cut into chunks, concurrently; the chunks' results joined in order.
    package static func chunks<T: Sendable>(
        _ count: Int, size: Int = chunkSize, _ body: @Sendable (Range<Int>) -> [T]
    ) -> [T] {
        guard count > size else { return body(0..<count) }
        let ranges = stride(from: 0, to: count, by: size).map { $0..<Swift.min($0 + size, count) }
        let results = Mutex([[T]](repeating: [], count: ranges.count))
        DispatchQueue.concurrentPerform(iterations: ranges.count) { c in
            let found = body(ranges[c])
            results.withLock { $0[c] = found }
        }
        return results.withLock { $0.flatMap { $0 } }
    }
}

extension Array where Element: Sendable {
    /// `transform` over the elements, in order; a large array's chunks concurrently (``Concurrent``).
    package func concurrentMap<T: Sendable>(_ transform: @Sendable (Element) -> T) -> [T] {
        Concurrent.chunks(count) { range in self[range].map(transform) }
    }
}
