import Foundation

/// One tab of a ``Chromium``, attached as its own DevTools session, recording its requests and console. A page opened
/// `fresh` lives in a new browser context: an empty cache and no cookies, a cold load.
struct BrowserPage: Sendable {
    let browser: Chromium
    let session: String
    let target: String
    let context: String?

    /// What every page runs before its own scripts: observers of paint, LCP, layout shifts and long tasks, buffered,
    /// whose entries `Measure.collect` reads after the load.
    static let observers = """
        (() => {
          const g = window.__gonogo = {fcp: 0, lcp: 0, lcpTag: '', shifts: [], longTasks: []};
          const watch = (type, f) => { try { new PerformanceObserver(l => l.getEntries().forEach(f))
            .observe({type, buffered: true}); } catch (e) {} };
          watch('paint', e => { if (e.name === 'first-contentful-paint') g.fcp = e.startTime; });
          watch('largest-contentful-paint', e => { g.lcp = e.startTime;
            g.lcpTag = e.element ? e.element.tagName.toLowerCase() : ''; });
          watch('layout-shift', e => { if (!e.hadRecentInput) g.shifts.push([e.startTime, e.value]); });
          watch('longtask', e => g.longTasks.push([e.startTime, e.duration]));
        })();
        """

    static func open(in browser: Chromium, fresh: Bool, timeout: Duration) async throws -> BrowserPage {
        var context: String?
        var params: [String: Any] = ["url": "about:blank"]
        if fresh {
            context =
                try await browser.send("Target.createBrowserContext", timeout: timeout)["browserContextId"]
                as? String
            if let context { params["browserContextId"] = context }
        }
        let created = try await browser.send("Target.createTarget", params, timeout: timeout)
        guard let target = created["targetId"] as? String else { throw Chromium.Failure(description: "no tab") }
        let attached = try await browser.send(
            "Target.attachToTarget", ["targetId": target, "flatten": true], timeout: timeout)
        guard let session = attached["sessionId"] as? String else {
            throw Chromium.Failure(description: "cannot attach to the tab")
        }
        browser.track(session)
        let page = BrowserPage(browser: browser, session: session, target: target, context: context)
        for domain in ["Page", "Runtime", "Network", "Log"] {
            try await page.send("\(domain).enable", timeout: timeout)
        }
        try await page.send("Page.addScriptToEvaluateOnNewDocument", ["source": observers], timeout: timeout)
        return page
    }

    @discardableResult
    func send(_ method: String, _ params: [String: Any] = [:], timeout: Duration) async throws -> [String: Any] {
        try await browser.send(method, params, session: session, timeout: timeout)
    }

    /// Loads `url` and waits until its load event has fired and the network has been quiet for `quiet` (no request
    /// in flight, no bytes arriving: a late fetch that brings the main content counts), all by `deadline` (the
    /// caller's share of its item's limit); `timeout` bounds each DevTools command. A page that loaded but whose
    /// answered requests have not finished within `settle` of its load event (a stream held open, a poll) is measured
    /// as it stands then; a request answered with an error that never reports its end (Chromium's `keepalive` fetch
    /// does not) is not waited for. A request still waiting for its answer at `deadline` ends the load with an error
    /// naming it: its content may be what the page is judged on.
    func load(
        _ url: String, quiet: Duration = .milliseconds(500), settle: Duration = .seconds(10),
        until deadline: ContinuousClock.Instant, timeout: Duration
    ) async throws -> PageRecord {
        let clock = ContinuousClock()
        let started = clock.now
        let settleBy = min(settle, (deadline - started) / 2)
        browser.reset(session)
        // A server that takes the connection and never answers holds the navigation: bounded by the deadline too.
        let navigated = try await send(
            "Page.navigate", ["url": url], timeout: min(timeout, max(.milliseconds(100), deadline - started)))
        if let error = navigated["errorText"] as? String, !error.isEmpty {
            throw Chromium.Failure(description: "Chromium could not load \(url): \(error)")
        }
        while true {
            let record = browser.record(of: session)
            let now = clock.now
            if record.loaded, record.unfinished.isEmpty, now - record.lastActivity >= quiet,
                let at = record.loadedAt, now - at >= quiet
            {
                return record
            }
            if let at = record.loadedAt, now - at >= settleBy, record.awaitingResponse.isEmpty { return record }
            if now >= deadline {
                let limit = deadline - started
                guard record.loaded else {
                    throw Chromium.Failure(description: "\(url) did not finish loading within \(limit)")
                }
                let waiting = record.awaitingResponse.compactMap { record.requests[$0]?.url }.sorted()
                throw Chromium.Failure(
                    description: "\(url) loaded, but \(waiting.count) request(s) had no answer within \(limit): "
                        + waiting.prefix(3).joined(separator: ", "))
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// The value of `expression` (awaited when it is a promise), as JSON values.
    func evaluate(_ expression: String, timeout: Duration) async throws -> Any? {
        let answer = try await send(
            "Runtime.evaluate", ["expression": expression, "returnByValue": true, "awaitPromise": true],
            timeout: timeout)
        if let details = answer["exceptionDetails"] as? [String: Any] {
            let text = (details["exception"] as? [String: Any])?["description"] as? String ?? "\(details["text"] ?? "")"
            throw Chromium.Failure(description: "the page's script failed: \(text.prefix(200))")
        }
        return (answer["result"] as? [String: Any])?["value"]
    }

    /// Closes the tab and its browser context.
    func close(timeout: Duration) async {
        browser.untrack(session)
        _ = try? await browser.send("Target.closeTarget", ["targetId": target], timeout: timeout)
        if let context {
            _ = try? await browser.send("Target.disposeBrowserContext", ["browserContextId": context], timeout: timeout)
        }
    }
}
