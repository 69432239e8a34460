import Catalog
import Foundation
import Results

/// The `browser` family: each check loads the frontend's page (`frontend_url` + `path`) in headless Chromium and
/// judges what the browser measured. Checks run one at a time after the others (so no other check's load skews a
/// timing), and the loads of a page are shared by the items that read them (its vitals, console, assets, weight).
struct BrowserProbe: Probe {
    let kinds = ["vitals", "console", "assets", "https_only", "weight", "responsive", "dark_mode"].map {
        Kind(.browser, $0)
    }

    func scheduling(of item: PlannedItem, in context: ProbeContext) -> Scheduling { .alone(order: 10) }

    func run(_ item: PlannedItem, in context: ProbeContext) async -> Outcome {
        guard let base = context.settings.frontendURL else {
            return .error("no frontend URL: pass --frontend-url or set `frontend_url:` in gonogo.yml")
        }
        guard let executable = Chromium.executable() else {
            return .error(
                "Chromium is not installed: install Debian's `chromium` package, or set GONOGO_CHROMIUM to a Chromium")
        }
        let url = Self.join(base, item.params.string("path") ?? "/")
        // A page Chromium could not load at all (refused, no such host): the page's other items say so at once.
        if let failed = context.shared.value("browser failed \(url)", as: String.self)?.value { return .error(failed) }
        // The item's own limit, less a margin: a load that cannot finish by then ends with its reason, not cut short.
        let deadline = ContinuousClock.now.advanced(by: context.settings.itemTimeout * 0.9)
        let browser: Chromium
        do {
            browser = try await Self.browser(executable, context: context)
        } catch {
            return .error(context.masked("\(error)"))
        }
        do {
            return try await check(item, url: url, browser: browser, context: context, deadline: deadline)
        } catch {
            // A browser that failed a command (or was cancelled in the middle of one) is not trusted again.
            await browser.close()
            return .error(error is CancellationError ? "cancelled" : context.masked("\(error)"))
        }
    }

    /// The run's browser: started by its first browser check and shared by the others (they run one at a time); a
    /// new one when the last has ended. It ends with the run (``Chromium``'s deinit).
    static func browser(_ executable: String, context: ProbeContext) async throws -> Chromium {
        if let shared = context.shared.value("browser", as: Chromium.self)?.value, !shared.hasEnded { return shared }
        let http = context.settings.http
        let browser = try await Chromium.launch(
            executable, timeout: context.settings.itemTimeout,
            trusting: http.caFile.map { TrustedKeys.pins(ofPEM: context.settings.resolve($0)) } ?? [],
            insecure: http.insecure)
        context.shared.record("browser", id: "", browser)
        return browser
    }

    private func check(
        _ item: PlannedItem, url: String, browser: Chromium, context: ProbeContext,
        deadline: ContinuousClock.Instant
    ) async throws -> Outcome {
        let timeout = context.settings.itemTimeout
        switch item.kind.name {
        case "vitals":
            let runs = max(1, min(item.params.int("runs") ?? 3, 20))
            let warm = item.params.string("cache") == "warm"
            let loads = try await Self.survey(
                url, runs: runs, warm: warm, browser: browser, context: context, deadline: deadline)
            return BrowserJudge.vitals(item.params, loads: loads, warm: warm)
        case "console", "assets", "https_only", "weight":
            let loads = try await Self.survey(
                url, runs: 1, warm: false, browser: browser, context: context, deadline: deadline)
            let record = loads[0].record
            switch item.kind.name {
            case "console":
                let loaded = BrowserJudge.console(record, masked: context.masked)
                guard loaded.status == .pass, let endpoint = item.params.string("capture") else { return loaded }
                // Raised once per page and endpoint: the items that ask it share the answer.
                let key = "browser capture \(endpoint) \(url)"
                let missed: String?
                if let shared = context.shared.value(key, as: String?.self) {
                    missed = shared.value
                } else {
                    missed = try await BrowserLayout.capture(
                        on: try await Self.page(url, browser: browser, context: context, deadline: deadline),
                        endpoint: endpoint, timeout: timeout)
                    context.shared.record(key, id: url, missed)
                    // Errors were raised in that tab (an error boundary may show its banner): no other check reads it.
                    await Self.dropKept(context)
                }
                return .check(
                    missed == nil,
                    expected: "no console error during load; an error raised in the page reaches \(endpoint)",
                    observed: missed
                        ?? "\(loaded.observed ?? ""); a raised error and a console.error reached \(endpoint)",
                    pass: "console errors are captured", fail: "console errors are not reported to \(endpoint)")
            case "assets": return BrowserJudge.assets(record)
            case "https_only": return BrowserJudge.httpsOnly(url: url, record)
            default: return BrowserJudge.weight(item.params, record)
            }
        case "responsive":
            var reloaded = false
            let outcome = try await BrowserLayout.responsive(
                item, url: url, on: try await Self.page(url, browser: browser, context: context, deadline: deadline),
                directory: context.settings.reportDirectory, timeout: timeout, deadline: deadline, reloaded: &reloaded)
            // Loaded again at a viewport's size: not the tab the other checks expect.
            if reloaded { await Self.dropKept(context) }
            return outcome
        default:
            var reloaded = false
            let outcome = try await BrowserLayout.darkMode(
                url: url, on: try await Self.page(url, browser: browser, context: context, deadline: deadline),
                timeout: timeout, deadline: deadline, reloaded: &reloaded)
            if reloaded { await Self.dropKept(context) }
            return outcome
        }
    }

    /// One load of a page: what it measured and what it did.
    struct Load: Sendable {
        var metrics: PageMetrics
        var record: PageRecord
    }

    /// `runs` loads of `url`, each cold (a new browser context: empty cache, no cookies) or, with `warm`, after one
    /// load that fills the cache, each within its share of the time left before `deadline`. Shared by the run's items
    /// that read the same loads; a page Chromium could not load fails them all at once, with its reason.
    static func survey(
        _ url: String, runs: Int, warm: Bool, browser: Chromium, context: ProbeContext,
        deadline: ContinuousClock.Instant
    ) async throws -> [Load] {
        // One list per page and cache state: an item wanting fewer loads reads the first ones, one wanting more adds
        // to them (the console and the vitals of a page share its cold loads).
        let key = "browser \(warm ? "warm" : "cold") \(url)"
        var loads = context.shared.value(key, as: [Load].self)?.value ?? []
        if loads.count >= runs { return Array(loads.prefix(runs)) }
        let timeout = context.settings.itemTimeout
        // No other tab of the run stays open while loads are timed.
        await dropKept(context)
        do {
            // Warm: one tab, loaded once to fill its cache, then reloaded for each load; cold: a new tab in a new
            // browser context for each.
            let kept = warm ? try await BrowserPage.open(in: browser, fresh: true, timeout: timeout) : nil
            if let kept { _ = try await kept.load(url, until: share(of: deadline, runs + 1), timeout: timeout) }
            while loads.count < runs {
                try Task.checkCancellation()
                let page: BrowserPage
                if let kept {
                    page = kept
                } else {
                    page = try await BrowserPage.open(in: browser, fresh: true, timeout: timeout)
                }
                let until = share(of: deadline, runs - loads.count)
                let record = try await page.load(url, until: until, timeout: timeout)
                loads.append(Load(metrics: try await PageMetrics.read(page, timeout: timeout), record: record))
                // The last cold tab stays open, loaded: the layout checks and the console capture use it (``page``).
                if kept == nil {
                    if loads.count == runs {
                        await keep(page, url: url, context: context)
                    } else {
                        await page.close(timeout: timeout)
                    }
                }
            }
            await kept?.close(timeout: timeout)
        } catch let failure as Chromium.Failure where failure.description.contains("could not load") {
            // Only a navigation Chromium refused: a load cut by its share of this item's time may fit another's.
            context.shared.record("browser failed \(url)", id: url, failure.description)
            throw failure
        }
        context.shared.record(key, id: url, loads)
        return loads
    }

    /// The instant by which the next of `parts` equal shares of the time left before `deadline` ends.
    static func share(of deadline: ContinuousClock.Instant, _ parts: Int) -> ContinuousClock.Instant {
        let now = ContinuousClock.now
        return now.advanced(by: (deadline - now) / max(1, parts))
    }

    /// The run's one kept tab: the page it has loaded, and the tab.
    struct Kept: Sendable {
        var url: String
        var page: BrowserPage?
    }

    /// A tab of `browser` that has loaded `url` cold and is left open: the one the last cold survey kept, or a new
    /// one. The checks that use it (responsive, dark mode) put back what they change and measure no timing, so one
    /// load serves them; the console capture drops it after raising its errors.
    static func page(
        _ url: String, browser: Chromium, context: ProbeContext, deadline: ContinuousClock.Instant
    ) async throws -> BrowserPage {
        if let kept = context.shared.value("browser page", as: Kept.self)?.value, kept.url == url,
            let page = kept.page, page.browser === browser, !browser.hasEnded
        {
            return page
        }
        // No cold load yet: this one is the survey's first, which the vitals and console items then read.
        if context.shared.value("browser cold \(url)", as: [Load].self) == nil {
            _ = try await survey(url, runs: 1, warm: false, browser: browser, context: context, deadline: deadline)
            if let kept = context.shared.value("browser page", as: Kept.self)?.value, kept.url == url,
                let page = kept.page
            {
                return page
            }
        }
        let timeout = context.settings.itemTimeout
        await dropKept(context)
        let page = try await BrowserPage.open(in: browser, fresh: true, timeout: timeout)
        _ = try await page.load(url, until: deadline, timeout: timeout)
        await keep(page, url: url, context: context)
        return page
    }

    private static func keep(_ page: BrowserPage, url: String, context: ProbeContext) async {
        if let old = context.shared.value("browser page", as: Kept.self)?.value.page, old.session != page.session {
            await old.close(timeout: context.settings.itemTimeout)
        }
        context.shared.record("browser page", id: url, Kept(url: url, page: page))
    }

    /// Closes the kept tab, if there is one.
    static func dropKept(_ context: ProbeContext) async {
        guard let old = context.shared.value("browser page", as: Kept.self)?.value.page else { return }
        context.shared.record("browser page", id: "", Kept(url: "", page: nil))
        await old.close(timeout: context.settings.itemTimeout)
    }

    /// `base` and `path` with one slash between them; a full URL as `path` stands alone.
    static func join(_ base: String, _ path: String) -> String {
        if path.hasPrefix("http://") || path.hasPrefix("https://") { return path }
        let left = base.hasSuffix("/") ? String(base.dropLast()) : base
        return left + (path.hasPrefix("/") ? path : "/" + path)
    }
}
