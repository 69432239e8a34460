import Foundation

/// What one page did while it loaded, from the DevTools events of its session: whether its load event fired, every
/// request (its URL, status, bytes on the wire, failure) and those still in flight, and the errors its console
/// showed. Bounded: at most `maxRequests` requests and `maxMessages` console messages of `maxText` characters.
struct PageRecord: Sendable {
    struct Request: Sendable {
        var url: String
        var type: String
        var status: Int?
        var mimeType: String?
        /// Bytes on the wire (headers and compressed body), once finished.
        var bytes: Int = 0
        var failure: String?
        var fromCache = false
        /// The first 4 KiB of a request's body (an error report's JSON).
        var postData: String?
    }

    static let maxRequests = 2000
    static let maxMessages = 100
    static let maxText = 500

    var loaded = false
    var loadedAt: ContinuousClock.Instant?
    var requests: [String: Request] = [:]
    /// Request ids in the order they were sent.
    var order: [String] = []
    var inflight: Set<String> = []
    var lastActivity = ContinuousClock.now
    /// `console.error` and `console.assert` calls, uncaught exceptions, and errors the browser logged (a CSP refusal).
    var console: [String] = []

    /// Requests in the order they were sent.
    var all: [Request] { order.compactMap { requests[$0] } }

    /// Requests still waiting for their response.
    var awaitingResponse: [String] { inflight.filter { requests[$0]?.status == nil } }

    /// Requests in flight that a load waits for: all but those answered with an error (a `keepalive` fetch answered
    /// 4xx or 5xx never reports its end to the page's session).
    var unfinished: [String] { inflight.filter { (requests[$0]?.status ?? 0) < 400 } }

    mutating func record(_ method: String, _ params: [String: Any]) {
        let id = params["requestId"] as? String
        switch method {
        case "Page.loadEventFired":
            loaded = true
            loadedAt = .now
        case "Network.requestWillBeSent":
            guard let id, let request = params["request"] as? [String: Any], let url = request["url"] as? String
            else { return }
            if requests[id] == nil {
                guard order.count < Self.maxRequests else { return }
                order.append(id)
            }
            requests[id] = Request(url: url, type: params["type"] as? String ?? "Other")
            requests[id]?.postData = (request["postData"] as? String).map { String($0.prefix(4096)) }
            inflight.insert(id)
            lastActivity = .now
        case "Network.webSocketCreated":
            // A WebSocket's handshake has no requestWillBeSent: its URL is recorded here (ws:// or wss://).
            guard let id, let url = params["url"] as? String, requests[id] == nil, order.count < Self.maxRequests
            else { return }
            order.append(id)
            requests[id] = Request(url: url, type: "WebSocket")
        case "Network.responseReceived":
            guard let id, let response = params["response"] as? [String: Any] else { return }
            requests[id]?.status = response["status"] as? Int
            requests[id]?.mimeType = response["mimeType"] as? String
            if response["fromDiskCache"] as? Bool == true { requests[id]?.fromCache = true }
        case "Network.dataReceived":
            // A body still arriving (a large file, a stream) is activity.
            lastActivity = .now
        case "Network.requestServedFromCache":
            if let id { requests[id]?.fromCache = true }
        case "Network.loadingFinished":
            guard let id else { return }
            requests[id]?.bytes = Self.number(params["encodedDataLength"]).map { Int($0) } ?? 0
            inflight.remove(id)
            lastActivity = .now
        case "Network.loadingFailed":
            guard let id else { return }
            let canceled = params["canceled"] as? Bool ?? false
            requests[id]?.failure = canceled ? nil : params["errorText"] as? String ?? "failed"
            inflight.remove(id)
            lastActivity = .now
        case "Runtime.consoleAPICalled":
            guard ["error", "assert"].contains(params["type"] as? String ?? "") else { return }
            let args = params["args"] as? [[String: Any]] ?? []
            let text = args.map { a in
                (a["value"].map { "\($0)" }) ?? (a["description"] as? String) ?? (a["type"] as? String ?? "")
            }.joined(separator: " ")
            note("console.error: \(text)")
        case "Runtime.exceptionThrown":
            let details = params["exceptionDetails"] as? [String: Any] ?? [:]
            let exception = details["exception"] as? [String: Any]
            let text = exception?["description"] as? String ?? details["text"] as? String ?? "exception"
            note("uncaught \(text.split(separator: "\n").first.map(String.init) ?? text)")
        case "Log.entryAdded":
            // A request that failed is reported as such; the log's copy of it ("Failed to load resource") is not.
            guard let entry = params["entry"] as? [String: Any], entry["level"] as? String == "error",
                entry["source"] as? String != "network", let text = entry["text"] as? String
            else { return }
            note(text)
        default: break
        }
    }

    /// A JSON number as JSONSerialization gives it (an Int, a Double or an NSNumber).
    static func number(_ value: Any?) -> Double? {
        switch value {
        case let i as Int: Double(i)
        case let d as Double: d
        case let n as NSNumber: n.doubleValue
        default: nil
        }
    }

    private mutating func note(_ text: String) {
        guard console.count < Self.maxMessages else { return }
        console.append(String(text.prefix(Self.maxText)))
    }
}
