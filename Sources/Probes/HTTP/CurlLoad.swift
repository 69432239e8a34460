import CCurl
import Foundation
import Histogram

#if canImport(Glibc)
    import Glibc
#endif

/// The latency probe's sender: an open loop on a thread of its own with its own libcurl multi handle. The thread sends
/// each request when it is due, reads every answer, and records each latency from its due time straight into the
/// histogram: no task, continuation, lock or header parsing per request, and each connection's easy handle is
/// configured once and reused. (One Swift task per request through ``CurlClient`` topped out near 40% of what wrk
/// drives against the same endpoint: docs/benchmarks.md.)
final class CurlLoad: @unchecked Sendable {
    /// What one run measured. Latencies in microseconds; `timing` sums libcurl's phases (seconds) over the sampled
    /// answers; `cpu` is the sending thread's own CPU time.
    struct Result: Sendable {
        var histogram = Histogram<UInt64>(highestTrackableValue: 120_000_000, numberOfSignificantValueDigits: .three)
        var sent = 0
        var errors = 0
        var firstError: String?
        var elapsed: Double = 0
        var timing = HTTPProbeResponse.Timing(dns: 0, connect: 0, tls: 0, firstByte: 0, total: 0)
        /// Answers that counted (sampled, not failed), for the timing averages.
        var answered = 0
        var cpu: Duration = .zero
        /// Requests sent in all, warm-up included: what `cpu` is divided by.
        var requests = 0
    }

    /// The plan of one run: `warm` requests then `sampled` ones, one every `interval`.
    struct Plan: Sendable {
        var interval: Duration
        var warm: Int
        var sampled: Int
        /// Requests in flight (sending, or waiting for a free connection) past which a due request counts as an error.
        var maxInFlight: Int
        /// Requests sent at once, each on its own connection; requests past them wait, their wait counted.
        var maxConnections: Int
    }

    private let request: HTTPProbeRequest
    private let plan: Plan
    private let multi: UnsafeMutableRawPointer
    /// Set by cancellation (the check's timeout): the thread removes its transfers and stops.
    private let stop = LockedBox(false)

    private init(_ request: HTTPProbeRequest, _ plan: Plan) {
        self.request = request
        self.plan = plan
        _ = CurlClient.shared  // libcurl's global init, done once and first (curl_global_init is not thread-safe)
        multi = curl_multi_init()!
        _ = gonogo_curl_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, plan.maxConnections)
    }

    deinit { curl_multi_cleanup(multi) }

    /// Runs `plan` against `request`'s URL; cancelled, stops at once with what it has.
    static func run(_ request: HTTPProbeRequest, _ plan: Plan) async -> Result {
        let load = CurlLoad(request, plan)
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let thread = Thread { continuation.resume(returning: load.drive()) }
                thread.name = "gonogo.latency"
                thread.start()
            }
        } onCancel: {
            load.stop.withLock { $0 = true }
            curl_multi_wakeup(load.multi)
        }
    }

    /// One request in flight: when it was due and whether it is sampled.
    private struct Slot {
        var due: ContinuousClock.Instant
        var sample: Bool
    }

    private func drive() -> Result {
        var result = Result()
        let timer = WakeTimer()
        defer { timer.close() }
        let cpuStart = Self.threadCPU()
        let clock = ContinuousClock()
        let start = clock.now.advanced(by: .milliseconds(10))
        let total = plan.warm + plan.sampled
        var free: [CurlClient.Transfer] = []
        var inFlight: [UnsafeMutableRawPointer: (CurlClient.Transfer, Slot)] = [:]
        // Requests due while every connection is busy, oldest first: they leave as connections free up, and their
        // latency counts from when they were due. (Kept here, not in libcurl's own queue, whose removals cost time
        // in proportion to its length.)
        var waiting: [Slot] = []
        var waitingHead = 0
        var next = 0
        var running: Int32 = 0
        func due(_ i: Int) -> ContinuousClock.Instant { start.advanced(by: plan.interval * i) }
        /// Hands the waiting requests to libcurl while a connection is free.
        func startWaiting() {
            while waitingHead < waiting.count, inFlight.count < plan.maxConnections {
                let slot = waiting[waitingHead]
                waitingHead += 1
                guard let transfer = free.popLast() ?? Self.transfer(request, &result, slot.sample) else { continue }
                let added = curl_multi_add_handle(multi, transfer.easy)
                guard added == CURLM_OK else {
                    if slot.sample { Self.fail(&result, String(cString: curl_multi_strerror(added))) }
                    free.append(transfer)
                    continue
                }
                inFlight[transfer.easy] = (transfer, slot)
                result.requests += 1
            }
            if waitingHead == waiting.count {
                waiting.removeAll(keepingCapacity: true)
                waitingHead = 0
            }
        }
        while !stop.withLock({ $0 }) {
            // Everything due leaves now, or waits for a connection.
            let now = clock.now
            while next < total, due(next) <= now {
                let sample = next >= plan.warm
                if sample { result.sent += 1 }
                if inFlight.count + waiting.count - waitingHead >= plan.maxInFlight {
                    if sample { Self.fail(&result, "more than \(plan.maxInFlight) requests in flight") }
                } else {
                    waiting.append(Slot(due: due(next), sample: sample))
                }
                next += 1
            }
            startWaiting()
            curl_multi_perform(multi, &running)
            var left: Int32 = 0
            while let message = curl_multi_info_read(multi, &left) {
                guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle,
                    let (transfer, slot) = inFlight.removeValue(forKey: easy)
                else { continue }
                let finished = clock.now
                let code = message.pointee.data.result
                curl_multi_remove_handle(multi, easy)
                if slot.sample { record(&result, transfer, code, latency: slot.due.duration(to: finished)) }
                free.append(transfer)
            }
            startWaiting()
            if next >= total && inFlight.isEmpty && waitingHead == waiting.count { break }
            // Sleep until the next request is due or an answer arrives. The due time wakes the poll through a
            // timer descriptor, to the nanosecond, so no request leaves late by a millisecond timeout's rounding and
            // the thread never spins. (With every connection busy, a due request could only wait: the next answer is
            // what to wake for.)
            let saturated = inFlight.count >= plan.maxConnections
            let wait = next < total && !saturated ? clock.now.duration(to: due(next)) : .milliseconds(100)
            guard wait > .zero else { continue }
            guard timer.fd >= 0 else {
                // No timer descriptor (the process is out of them): the poll's own timeout, rounded up.
                curl_multi_poll(multi, nil, 0, Int32(min(wait, .milliseconds(100)).wholeMilliseconds) + 1, nil)
                continue
            }
            timer.arm(after: min(wait, .milliseconds(100)))
            var wake = curl_waitfd(fd: timer.fd, events: Int16(POLLIN), revents: 0)
            curl_multi_poll(multi, &wake, 1, 100, nil)
            timer.clear()
        }
        for (easy, _) in inFlight { curl_multi_remove_handle(multi, easy) }
        result.elapsed = Double(due(plan.warm).duration(to: clock.now).wholeMilliseconds) / 1000
        result.cpu = Self.threadCPU() - cpuStart
        return result
    }

    /// A new easy handle for the request, configured once; nil (and an error counted) if libcurl refused an option.
    private static func transfer(
        _ request: HTTPProbeRequest, _ result: inout Result, _ sample: Bool
    ) -> CurlClient.Transfer? {
        let transfer = CurlClient.Transfer(request: request)
        if let failure = transfer.configure() {
            if sample { fail(&result, failure.description) }
            return nil
        }
        // Only the status matters here: the body is counted and dropped, the headers not read.
        _ = gonogo_curl_setopt_write_callback(transfer.easy, discard)
        _ = gonogo_curl_setopt_header_callback(transfer.easy, nil)
        return transfer
    }

    private func record(
        _ result: inout Result, _ transfer: CurlClient.Transfer, _ code: CURLcode, latency: Duration
    ) {
        _ = result.histogram.record(min(UInt64(max(0, latency.wholeMicroseconds)), 120_000_000))
        guard code == CURLE_OK else { return Self.fail(&result, transfer.reason(code)) }
        let status = transfer.status
        if status >= 400 { return Self.fail(&result, "HTTP \(status)") }
        let timing = transfer.timing
        result.answered += 1
        result.timing.dns += timing.dns
        result.timing.connect += timing.connect
        result.timing.tls += timing.tls
        result.timing.firstByte += timing.firstByte
        result.timing.total += timing.total
    }

    private static func fail(_ result: inout Result, _ reason: String) {
        result.errors += 1
        if result.firstError == nil { result.firstError = reason }
    }

    /// The calling thread's CPU time.
    private static func threadCPU() -> Duration {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return .seconds(t.tv_sec) + .nanoseconds(t.tv_nsec)
    }
}

/// A one-shot timer as a file descriptor (Linux's timerfd), for `curl_multi_poll` to wait on beside the sockets.
private struct WakeTimer {
    let fd = gonogo_timerfd_create()

    /// Fires once, `delay` from now.
    func arm(after delay: Duration) {
        let (seconds, attoseconds) = delay.components
        // (A zero value would disarm it: at least a nanosecond.)
        _ = gonogo_timerfd_arm(fd, Int(seconds), max(1, Int(attoseconds / 1_000_000_000)))
    }

    /// Reads a fired timer's count, so the descriptor is quiet until armed again.
    func clear() {
        var count: UInt64 = 0
        _ = read(fd, &count, 8)
    }

    func close() { if fd >= 0 { _ = Glibc.close(fd) } }
}

/// A write callback that takes the body and keeps none of it.
private let discard: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = {
    _, size, count, _ in size * count
}
