import CCurl
import Foundation

/// A request for ``CurlClient``.
public struct HTTPProbeRequest: Sendable {
    public var method = "GET"
    public var url: String
    public var headers: [(String, String)] = []
    public var body: Data? = nil
    public var timeout: Duration = .seconds(10)
    /// Follow redirects (at most 5); off by default: a redirect is often what a check looks at.
    public var followRedirects = false
    /// The body is cut here (the response says so).
    public var maxBody = 1 << 20
    /// A PEM CA bundle to trust instead of the system's.
    public var caFile: String? = nil
    /// No certificate or host name verification (the report flags it).
    public var insecure = false

    public init(_ method: String = "GET", _ url: String) {
        self.method = method
        self.url = url
    }
}

/// What came back, with libcurl's timing of each phase.
public struct HTTPProbeResponse: Sendable {
    public var status: Int
    /// Every header of the final response, names lowercased, in order (a repeated header appears twice).
    public var headers: [(String, String)]
    public var body: Data
    public var truncated: Bool
    public var timing: Timing
    public var effectiveURL: String
    /// When libcurl reported the transfer complete, on its own thread: before the caller's task is resumed, so a
    /// latency measured to this instant holds no scheduling of the caller.
    public var finishedAt: ContinuousClock.Instant = .now

    public struct Timing: Sendable, Equatable {
        /// Seconds from the start to the end of each phase (libcurl's cumulative times).
        public var dns, connect, tls, firstByte, total: Double
    }

    /// The values of header `name` (case-insensitive).
    public func values(_ name: String) -> [String] {
        let key = name.lowercased()
        return headers.filter { $0.0 == key }.map(\.1)
    }

    public func header(_ name: String) -> String? { values(name).first }

    public var json: [String: Any]? { try? JSONSerialization.jsonObject(with: body) as? [String: Any] }
}

/// A transfer that did not complete: connection refused, a name that does not resolve, a TLS failure, a timeout…
public struct HTTPProbeFailure: Error, CustomStringConvertible, Sendable {
    public let code: Int
    public let description: String
}

/// An HTTP client on libcurl's multi interface: one driver thread runs every transfer (no thread per request),
/// callers await their responses. Each transfer has its own timeout, so no request can hang a check.
public final class CurlClient: @unchecked Sendable {
    public static let shared = CurlClient()

    // The multi handle and `running` are touched only by the driver thread; `pending` under `lock`.
    private let multi: UnsafeMutableRawPointer
    private let lock = NSLock()
    private var pending: [Transfer] = []

    private init() {
        curl_global_init(Int(CURL_GLOBAL_DEFAULT))
        multi = curl_multi_init()!
        let thread = Thread { [unowned self] in self.drive() }
        thread.name = "gonogo.curl"
        thread.start()
    }

    /// Sends `request`; throws ``HTTPProbeFailure`` with libcurl's reason when no response came.
    public func send(_ request: HTTPProbeRequest) async throws -> HTTPProbeResponse {
        try await withCheckedThrowingContinuation { continuation in
            let transfer = Transfer(request: request, continuation: continuation)
            guard transfer.configure() else {
                continuation.resume(
                    throwing: HTTPProbeFailure(code: -1, description: "libcurl could not set up the request"))
                return
            }
            lock.withLock { pending.append(transfer) }
            curl_multi_wakeup(multi)
        }
    }

    /// The driver: adds new transfers, runs them, hands out finished ones, sleeps in `curl_multi_poll` until a
    /// socket is ready or a new transfer arrives.
    private func drive() {
        var active: [UnsafeMutableRawPointer: Transfer] = [:]
        var running: Int32 = 0
        while true {
            for transfer in lock.withLock({ () -> [Transfer] in
                defer { pending.removeAll() }
                return pending
            }) {
                curl_multi_add_handle(multi, transfer.easy)
                active[transfer.easy] = transfer
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
    final class Transfer {
        let request: HTTPProbeRequest
        let easy: UnsafeMutableRawPointer
        var continuation: CheckedContinuation<HTTPProbeResponse, any Error>?
        var body = Data()
        var truncated = false
        var headers: [(String, String)] = []
        var headerList: UnsafeMutablePointer<curl_slist>? = nil
        /// libcurl writes its detailed reason here; it must outlive the transfer's setup, so it is allocated.
        let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        var requestBody: Data

        init(request: HTTPProbeRequest, continuation: CheckedContinuation<HTTPProbeResponse, any Error>) {
            self.request = request
            self.continuation = continuation
            easy = curl_easy_init()!
            requestBody = request.body ?? Data()
            errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        }

        deinit {
            curl_slist_free_all(headerList)
            curl_easy_cleanup(easy)
            errorBuffer.deallocate()
        }

        func configure() -> Bool {
            let me = Unmanaged.passUnretained(self).toOpaque()
            var ok = gonogo_curl_setopt_string(easy, CURLOPT_URL, request.url) == CURLE_OK
            ok = ok && gonogo_curl_setopt_long(easy, CURLOPT_NOSIGNAL, 1) == CURLE_OK
            ok =
                ok
                && gonogo_curl_setopt_long(easy, CURLOPT_TIMEOUT_MS, Int(request.timeout.wholeMilliseconds)) == CURLE_OK
            ok =
                ok
                && gonogo_curl_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, Int(request.timeout.wholeMilliseconds))
                    == CURLE_OK
            ok =
                ok && gonogo_curl_setopt_long(easy, CURLOPT_FOLLOWLOCATION, request.followRedirects ? 1 : 0) == CURLE_OK
            ok = ok && gonogo_curl_setopt_long(easy, CURLOPT_MAXREDIRS, 5) == CURLE_OK
            ok = ok && gonogo_curl_setopt_string(easy, CURLOPT_CUSTOMREQUEST, request.method) == CURLE_OK
            if request.method == "HEAD" { ok = ok && gonogo_curl_setopt_long(easy, CURLOPT_NOBODY, 1) == CURLE_OK }
            ok = ok && gonogo_curl_setopt_pointer(easy, CURLOPT_ERRORBUFFER, errorBuffer) == CURLE_OK
            ok = ok && gonogo_curl_setopt_write_callback(easy, curlWrite) == CURLE_OK
            ok = ok && gonogo_curl_setopt_pointer(easy, CURLOPT_WRITEDATA, me) == CURLE_OK
            ok = ok && gonogo_curl_setopt_header_callback(easy, curlHeader) == CURLE_OK
            ok = ok && gonogo_curl_setopt_pointer(easy, CURLOPT_HEADERDATA, me) == CURLE_OK
            if let caFile = request.caFile {
                ok = ok && gonogo_curl_setopt_string(easy, CURLOPT_CAINFO, caFile) == CURLE_OK
            }
            if request.insecure {
                ok = ok && gonogo_curl_setopt_long(easy, CURLOPT_SSL_VERIFYPEER, 0) == CURLE_OK
                ok = ok && gonogo_curl_setopt_long(easy, CURLOPT_SSL_VERIFYHOST, 0) == CURLE_OK
            }
            if !requestBody.isEmpty || ["POST", "PUT", "PATCH"].contains(request.method) {
                ok =
                    ok
                    && gonogo_curl_setopt_off_t(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(requestBody.count))
                        == CURLE_OK
                // COPYPOSTFIELDS copies the bytes: they need not outlive this call.
                let bytes = [UInt8](requestBody) + [0]
                ok =
                    ok
                    && bytes.withUnsafeBufferPointer { buffer in
                        gonogo_curl_setopt_pointer(
                            easy, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: buffer.baseAddress!))
                            == CURLE_OK
                    }
            }
            for (name, value) in request.headers {
                headerList = curl_slist_append(headerList, "\(name): \(value)")
            }
            // No "Expect: 100-continue" pause before bodies.
            headerList = curl_slist_append(headerList, "Expect:")
            ok = ok && gonogo_curl_setopt_slist(easy, CURLOPT_HTTPHEADER, headerList) == CURLE_OK
            return ok
        }

        func finish(_ result: CURLcode) {
            let finishedAt = ContinuousClock.now
            guard let continuation else { return }
            self.continuation = nil
            guard result == CURLE_OK else {
                let detail = String(cString: errorBuffer)
                let reason = String(cString: curl_easy_strerror(result))
                continuation.resume(
                    throwing: HTTPProbeFailure(
                        code: Int(result.rawValue), description: detail.isEmpty ? reason : "\(reason): \(detail)"))
                return
            }
            var status = 0
            gonogo_curl_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
            func time(_ info: CURLINFO) -> Double {
                var value: curl_off_t = 0
                gonogo_curl_getinfo_off_t(easy, info, &value)
                return Double(value) / 1_000_000
            }
            var effective: UnsafeMutablePointer<CChar>? = nil
            gonogo_curl_getinfo_string(easy, CURLINFO_EFFECTIVE_URL, &effective)
            let timing = HTTPProbeResponse.Timing(
                dns: time(CURLINFO_NAMELOOKUP_TIME_T), connect: time(CURLINFO_CONNECT_TIME_T),
                tls: time(CURLINFO_APPCONNECT_TIME_T), firstByte: time(CURLINFO_STARTTRANSFER_TIME_T),
                total: time(CURLINFO_TOTAL_TIME_T))
            continuation.resume(
                returning: HTTPProbeResponse(
                    status: status, headers: headers, body: body, truncated: truncated, timing: timing,
                    effectiveURL: effective.map { String(cString: $0) } ?? request.url, finishedAt: finishedAt))
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
