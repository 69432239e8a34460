import CCurl
import Foundation

/// An HTTP client on libcurl's multi interface: one driver thread runs every transfer (no thread per request),
/// callers await their responses. Each transfer has its own timeout, so no request can hang a check.
public final class CurlClient: @unchecked Sendable {
    public static let shared = CurlClient()

    // The multi handle and `running` are touched only by the driver thread; `pending` under `lock`.
    private let multi: UnsafeMutableRawPointer
    private let lock = NSLock()
    private var pending: [Transfer] = []
    /// Transfers whose callers were cancelled, for the driver to remove (under `lock`).
    private var cancelled: [Transfer] = []

    private init() {
        curl_global_init(Int(CURL_GLOBAL_DEFAULT))
        multi = curl_multi_init()!
        let thread = Thread { [unowned self] in self.drive() }
        thread.name = "gonogo.curl"
        thread.start()
    }

    /// Sends `request`; throws ``ProbeError`` with libcurl's reason when no response came, and
    /// `CancellationError` when the calling task is cancelled: the transfer is then removed from the multi handle, so
    /// a check that ran out of time sends nothing more (the same contract as async-http-client's `execute`).
    public func send(_ request: HTTPProbeRequest) async throws -> HTTPProbeResponse {
        try Task.checkCancellation()
        let transfer = Transfer(request: request)
        if let failure = transfer.configure() { throw failure }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let admitted = lock.withLock { () -> Bool in
                    guard !transfer.cancelled else { return false }
                    transfer.continuation = continuation
                    pending.append(transfer)
                    return true
                }
                if admitted {
                    curl_multi_wakeup(multi)
                } else {
                    continuation.resume(throwing: CancellationError())
                }
            }
        } onCancel: {
            lock.withLock {
                transfer.cancelled = true
                cancelled.append(transfer)
            }
            curl_multi_wakeup(multi)
        }
    }

    /// The driver: adds new transfers, removes cancelled ones, runs them, hands out finished ones, sleeps in
    /// `curl_multi_poll` until a socket is ready or a new transfer (or a cancellation) arrives.
    private func drive() {
        var active: [UnsafeMutableRawPointer: Transfer] = [:]
        var running: Int32 = 0
        while true {
            let (added, removed) = lock.withLock { () -> ([Transfer], [Transfer]) in
                defer {
                    pending.removeAll()
                    cancelled.removeAll()
                }
                return (pending, cancelled)
            }
            for transfer in added {
                curl_multi_add_handle(multi, transfer.easy)
                active[transfer.easy] = transfer
            }
            for transfer in removed where active.removeValue(forKey: transfer.easy) != nil {
                curl_multi_remove_handle(multi, transfer.easy)
                transfer.resume(throwing: CancellationError())
            }
            curl_multi_perform(multi, &running)
            var left: Int32 = 0
            while let message = curl_multi_info_read(multi, &left) {
                guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
                let result = message.pointee.data.result
                curl_multi_remove_handle(multi, easy)
                if let transfer = active.removeValue(forKey: easy) {
                    transfer.finish(result)
                }
            }
            curl_multi_poll(multi, nil, 0, 1000, nil)
        }
    }

    /// One request in flight: its easy handle, what has come back so far, and its caller.
    ///
    /// `@unchecked Sendable`: it crosses from the caller's task to the driver thread once, through `pending` under
    /// the client's lock. After that, the easy handle, the body and the headers are touched only by the driver thread
    /// (libcurl's callbacks run there); `continuation` and `cancelled` are set under the client's lock, and the
    /// continuation is resumed once, by whoever takes it.
    final class Transfer: @unchecked Sendable {
        let request: HTTPProbeRequest
        let easy: UnsafeMutableRawPointer
        /// Set under the client's lock before the transfer is handed to the driver; then the driver's alone.
        var continuation: CheckedContinuation<HTTPProbeResponse, any Error>?
        /// The caller was cancelled (under the client's lock).
        var cancelled = false
        var body = Data()
        var truncated = false
        var headers: [(String, String)] = []
        var headerList: UnsafeMutablePointer<curl_slist>? = nil
        /// libcurl writes its detailed reason here; it must outlive the transfer's setup, so it is allocated.
        let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        var requestBody: Data

        init(request: HTTPProbeRequest) {
            self.request = request
            easy = curl_easy_init()!
            requestBody = request.body ?? Data()
            errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        }

        deinit {
            curl_slist_free_all(headerList)
            curl_easy_cleanup(easy)
            errorBuffer.deallocate()
        }

        /// Sets every option; nil when all took, else the first option libcurl refused, with its reason.
        func configure() -> ProbeError? {
            let me = Unmanaged.passUnretained(self).toOpaque()
            var failed: ProbeError?
            /// Records the first option libcurl refused, by name.
            func check(_ code: CURLcode, _ option: String) {
                if failed == nil, code != CURLE_OK {
                    failed = .setup(
                        option: option,
                        "libcurl could not set up the request: \(option): \(String(cString: curl_easy_strerror(code)))")
                }
            }
            let ms = Int(request.timeout.wholeMilliseconds)
            check(gonogo_curl_setopt_string(easy, CURLOPT_URL, request.url), "CURLOPT_URL")
            check(gonogo_curl_setopt_long(easy, CURLOPT_NOSIGNAL, 1), "CURLOPT_NOSIGNAL")
            check(gonogo_curl_setopt_long(easy, CURLOPT_TIMEOUT_MS, ms), "CURLOPT_TIMEOUT_MS")
            check(gonogo_curl_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, ms), "CURLOPT_CONNECTTIMEOUT_MS")
            check(
                gonogo_curl_setopt_long(easy, CURLOPT_FOLLOWLOCATION, request.followRedirects ? 1 : 0),
                "CURLOPT_FOLLOWLOCATION")
            check(gonogo_curl_setopt_long(easy, CURLOPT_MAXREDIRS, 5), "CURLOPT_MAXREDIRS")
            check(gonogo_curl_setopt_string(easy, CURLOPT_CUSTOMREQUEST, request.method), "CURLOPT_CUSTOMREQUEST")
            if request.method == "HEAD" { check(gonogo_curl_setopt_long(easy, CURLOPT_NOBODY, 1), "CURLOPT_NOBODY") }
            check(gonogo_curl_setopt_pointer(easy, CURLOPT_ERRORBUFFER, errorBuffer), "CURLOPT_ERRORBUFFER")
            check(gonogo_curl_setopt_write_callback(easy, curlWrite), "CURLOPT_WRITEFUNCTION")
            check(gonogo_curl_setopt_pointer(easy, CURLOPT_WRITEDATA, me), "CURLOPT_WRITEDATA")
            check(gonogo_curl_setopt_header_callback(easy, curlHeader), "CURLOPT_HEADERFUNCTION")
            check(gonogo_curl_setopt_pointer(easy, CURLOPT_HEADERDATA, me), "CURLOPT_HEADERDATA")
            if let caFile = request.caFile {
                check(gonogo_curl_setopt_string(easy, CURLOPT_CAINFO, caFile), "CURLOPT_CAINFO")
            }
            if request.insecure {
                check(gonogo_curl_setopt_long(easy, CURLOPT_SSL_VERIFYPEER, 0), "CURLOPT_SSL_VERIFYPEER")
                check(gonogo_curl_setopt_long(easy, CURLOPT_SSL_VERIFYHOST, 0), "CURLOPT_SSL_VERIFYHOST")
            }
            if !requestBody.isEmpty || ["POST", "PUT", "PATCH"].contains(request.method) {
                check(
                    gonogo_curl_setopt_off_t(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(requestBody.count)),
                    "CURLOPT_POSTFIELDSIZE_LARGE")
                // COPYPOSTFIELDS copies the bytes: they need not outlive this call.
                let bytes = [UInt8](requestBody) + [0]
                bytes.withUnsafeBufferPointer { buffer in
                    check(
                        gonogo_curl_setopt_pointer(
                            easy, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: buffer.baseAddress!)),
                        "CURLOPT_COPYPOSTFIELDS")
                }
            }
            for (name, value) in request.headers {
                headerList = curl_slist_append(headerList, "\(name): \(value)")
            }
            // No "Expect: 100-continue" pause before bodies.
            headerList = curl_slist_append(headerList, "Expect:")
            check(gonogo_curl_setopt_slist(easy, CURLOPT_HTTPHEADER, headerList), "CURLOPT_HTTPHEADER")
            return failed
        }

        /// Hands `error` to the caller, once (driver thread).
        func resume(throwing error: any Error) {
            guard let continuation else { return }
            self.continuation = nil
            continuation.resume(throwing: error)
        }

        func finish(_ result: CURLcode) {
            let finishedAt = ContinuousClock.now
            guard let continuation else { return }
            self.continuation = nil
            guard result == CURLE_OK else {
                continuation.resume(throwing: ProbeError.transport(curl: Int(result.rawValue), reason(result)))
                return
            }
            var effective: UnsafeMutablePointer<CChar>? = nil
            gonogo_curl_getinfo_string(easy, CURLINFO_EFFECTIVE_URL, &effective)
            continuation.resume(
                returning: HTTPProbeResponse(
                    status: status, headers: headers, body: body, truncated: truncated, timing: timing,
                    effectiveURL: effective.map { String(cString: $0) } ?? request.url, finishedAt: finishedAt))
        }

        /// Why a transfer ended with `code`: libcurl's name for it, and its detailed message when it wrote one.
        func reason(_ code: CURLcode) -> String {
            let detail = String(cString: errorBuffer)
            let reason = String(cString: curl_easy_strerror(code))
            return detail.isEmpty ? reason : "\(reason): \(detail)"
        }

        /// The answer's status (after a finished transfer).
        var status: Int {
            var status = 0
            gonogo_curl_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
            return status
        }

        /// How long each phase took, in seconds (after a finished transfer).
        var timing: HTTPProbeResponse.Timing {
            func time(_ info: CURLINFO) -> Double {
                var value: curl_off_t = 0
                gonogo_curl_getinfo_off_t(easy, info, &value)
                return Double(value) / 1_000_000
            }
            return HTTPProbeResponse.Timing(
                dns: time(CURLINFO_NAMELOOKUP_TIME_T), connect: time(CURLINFO_CONNECT_TIME_T),
                tls: time(CURLINFO_APPCONNECT_TIME_T), firstByte: time(CURLINFO_STARTTRANSFER_TIME_T),
                total: time(CURLINFO_TOTAL_TIME_T))
        }
    }
}

private let curlWrite: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = {
    data, size, count, context in
    let n = size * count
    guard let data, let context else { return n }
    let transfer = Unmanaged<CurlClient.Transfer>.fromOpaque(context).takeUnretainedValue()
    let room = transfer.request.maxBody - transfer.body.count
    if room > 0 {
        transfer.body.append(UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self), count: min(room, n))
    }
    if n > room { transfer.truncated = true }
    return n
}

private let curlHeader: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = {
    data, size, count, context in
    let n = size * count
    guard let data, let context else { return n }
    let transfer = Unmanaged<CurlClient.Transfer>.fromOpaque(context).takeUnretainedValue()
    let line = String(decoding: UnsafeRawBufferPointer(start: data, count: n), as: UTF8.self)
        .trimmingCharacters(in: .whitespacesAndNewlines)
    if line.hasPrefix("HTTP/") {
        transfer.headers = []  // a new response (after a redirect or a 100): its headers only
    } else if let colon = line.firstIndex(of: ":") {
        transfer.headers.append(
            (line[..<colon].lowercased(), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
    }
    return n
}
