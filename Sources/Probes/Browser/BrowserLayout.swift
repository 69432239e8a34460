import Catalog
import Foundation
import Results

/// Layout checks: no horizontal overflow at named viewports (a screenshot of each kept for the report), and a dark
/// colour scheme that changes the page's colours.
enum BrowserLayout {
    /// Named viewports (CSS pixels): the narrowest phones the app supports, a tablet, a laptop.
    static let viewports: [String: (width: Int, height: Int)] = [
        "mobile": (360, 740), "tablet": (768, 1024), "desktop": (1366, 768),
    ]

    /// `mobile`, `tablet`, `desktop`, or `WIDTHxHEIGHT`.
    static func viewport(_ name: String) -> (width: Int, height: Int)? {
        if let named = viewports[name.lowercased()] { return named }
        let parts = name.lowercased().split(separator: "x").compactMap { Int($0) }
        guard parts.count == 2, (200...4000).contains(parts[0]), (200...4000).contains(parts[1]) else { return nil }
        return (parts[0], parts[1])
    }

    /// Elements wider than the viewport (at most three, by tag, id and first class), and the document's width.
    static let overflowScript = """
        (() => {
          const w = document.documentElement.clientWidth, wide = [];
          const all = document.body ? document.body.getElementsByTagName('*') : [];
          for (let i = 0; i < all.length && i < 5000 && wide.length < 3; i++) {
            const e = all[i], r = e.getBoundingClientRect();
            if (r.right > w + 1 && getComputedStyle(e).position !== 'fixed') {
              const c = typeof e.className === 'string' && e.className ? '.' + e.className.split(/\\s+/)[0] : '';
              wide.push(e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + c);
            }
          }
          return {scrollWidth: document.documentElement.scrollWidth, width: w, wide};
        })()
        """

    static func responsive(
        _ item: PlannedItem, url: String, on page: BrowserPage, directory: String?, timeout: Duration,
        deadline: ContinuousClock.Instant, reloaded: inout Bool
    ) async throws -> Outcome {
        let names = item.params.strings("viewports") ?? ["mobile", "tablet", "desktop"]
        var lines: [String] = []
        var shots: [JSONValue] = []
        var ok = true
        if let unknown = names.first(where: { viewport($0) == nil }) {
            return .error("unknown viewport “\(unknown)”: give mobile, tablet, desktop or WIDTHxHEIGHT (390x844)")
        }
        // The loaded tab, resized for each viewport as a window is (media queries and layout follow; no reload), and
        // given back its own size at the end. A page that overflows once resized is loaded again at that size before
        // it is judged: one that lays itself out once, at start, is judged as a phone's browser would show it. A
        // command that fails ends the browser (``BrowserProbe``).
        func measure() async throws -> (scroll: Int, width: Int?, wide: [String]) {
            _ = try await page.evaluate(settled, timeout: timeout)
            let m = try await page.evaluate(overflowScript, timeout: timeout) as? [String: Any] ?? [:]
            return (
                Int(PageRecord.number(m["scrollWidth"]) ?? 0), PageRecord.number(m["width"]).map { Int($0) },
                m["wide"] as? [String] ?? []
            )
        }
        for (index, name) in names.enumerated() {
            try Task.checkCancellation()
            guard let size = viewport(name) else { continue }
            try await page.send(
                "Emulation.setDeviceMetricsOverride",
                ["width": size.width, "height": size.height, "deviceScaleFactor": 1, "mobile": size.width < 768],
                timeout: timeout)
            var (scroll, width, wide) = try await measure()
            // (With time left for it; a reload that fails leaves the first measurement to be judged.)
            let until = BrowserProbe.share(of: deadline, names.count - index)
            if scroll > width ?? size.width, until - .now > .seconds(2) {
                reloaded = true
                if (try? await page.load(url, until: until, timeout: timeout)) != nil {
                    (scroll, width, wide) = try await measure()
                }
            }
            let fits = scroll <= width ?? size.width
            ok = ok && fits
            lines.append(
                fits
                    ? "\(name) \(size.width)×\(size.height): fits"
                    : "\(name) \(size.width)×\(size.height): \(scroll) px wide"
                        + (wide.isEmpty ? "" : " (\(wide.joined(separator: ", ")))"))
            if let directory {
                let shot = try await page.send("Page.captureScreenshot", ["format": "png"], timeout: timeout)
                if let base64 = shot["data"] as? String, let png = Data(base64Encoded: base64) {
                    let file = "screenshots/\(item.id.replacingOccurrences(of: "/", with: "--"))-\(name).png"
                    let path = directory + "/" + file
                    try FileManager.default.createDirectory(
                        atPath: directory + "/screenshots", withIntermediateDirectories: true)
                    try png.write(to: URL(fileURLWithPath: path))
                    shots.append(.object([("viewport", .string(name)), ("file", .string(file))]))
                }
            }
        }
        try await page.send("Emulation.clearDeviceMetricsOverride", timeout: timeout)
        var outcome = Outcome.check(
            ok, expected: "no horizontal overflow at \(names.joined(separator: ", "))",
            observed: lines.joined(separator: "; "), pass: "the page fits every viewport",
            fail: "the page overflows a viewport")
        if !shots.isEmpty { outcome.details = .object([("screenshots", .array(shots))]) }
        return outcome
    }

    /// The background and text colours of the page (the body's, or the root's where the body is transparent).
    static let coloursScript = """
        (() => {
          const bg = e => e ? getComputedStyle(e).backgroundColor : '';
          const clear = c => !c || c === 'transparent' || c === 'rgba(0, 0, 0, 0)';
          const b = bg(document.body), r = bg(document.documentElement);
          return {background: clear(b) ? (clear(r) ? 'rgb(255, 255, 255)' : r) : b,
                  text: document.body ? getComputedStyle(document.body).color : ''};
        })()
        """

    /// Resolves after the page has laid out and painted twice (a resize or a colour scheme taken into account), or
    /// after 500 ms where frames are not being produced.
    static let settled = """
        new Promise(r => { setTimeout(() => r(false), 500);
          requestAnimationFrame(() => requestAnimationFrame(() => r(true))); })
        """

    /// Switches the loaded page to `prefers-color-scheme: light`, then `dark`, and compares the colours; a page that
    /// looks the same is loaded again in the dark scheme before it is judged (one that reads the scheme once, at
    /// start, is judged as a dark-mode user sees it). The page's own scheme is given back at the end.
    static func darkMode(
        url: String, on page: BrowserPage, timeout: Duration, deadline: ContinuousClock.Instant, reloaded: inout Bool
    ) async throws -> Outcome {
        func scheme(_ value: String) async throws -> (background: String, text: String) {
            try await page.send(
                "Emulation.setEmulatedMedia", ["features": [["name": "prefers-color-scheme", "value": value]]],
                timeout: timeout)
            _ = try await page.evaluate(settled, timeout: timeout)
            let c = try await page.evaluate(coloursScript, timeout: timeout) as? [String: Any] ?? [:]
            return (c["background"] as? String ?? "", c["text"] as? String ?? "")
        }
        let light = try await scheme("light")
        var dark = try await scheme("dark")
        func changed() -> Bool { luminance(dark.background) < luminance(light.background) && dark.text != light.text }
        if !changed(), deadline - .now > .seconds(2) {
            reloaded = true
            if (try? await page.load(url, until: deadline, timeout: timeout)) != nil { dark = try await scheme("dark") }
        }
        try await page.send("Emulation.setEmulatedMedia", ["features": [] as [Any]], timeout: timeout)
        let observed =
            "light: background \(light.background), text \(light.text); dark: background \(dark.background), text \(dark.text)"
        return .check(
            changed(),
            expected: "prefers-color-scheme: dark gives a darker background and other text colour",
            observed: observed, pass: "the page follows the dark colour scheme",
            fail: "the page looks the same in the dark colour scheme")
    }

    /// Raises an uncaught error and a `console.error` in the loaded page, each carrying a marker, and waits up to 5 s
    /// for a request to `endpoint` whose body carries it (the page's error boundary reporting it). Nil when one did;
    /// else what was seen.
    static func capture(on page: BrowserPage, endpoint: String, timeout: Duration) async throws -> String? {
        let browser = page.browser
        // Two markers: an uncaught error (the boundary) and a console.error (the console's capture); both must arrive.
        let thrown = "gonogo-capture-\(UInt32.random(in: 1...UInt32.max))"
        let logged = "gonogo-capture-\(UInt32.random(in: 1...UInt32.max))"
        _ = try await page.evaluate(
            "setTimeout(() => { throw new Error('\(thrown)'); }, 0); console.error('\(logged)'); true", timeout: timeout
        )
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: .seconds(5))
        var sent = 0
        while clock.now < deadline {
            let requests = browser.record(of: page.session).all.filter { $0.url.contains(endpoint) }
            sent = requests.count
            let bodies = requests.compactMap(\.postData)
            if bodies.contains(where: { $0.contains(thrown) }) && bodies.contains(where: { $0.contains(logged) }) {
                return nil
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        return sent == 0
            ? "an error raised in the page sent no request to \(endpoint) within 5 s"
            : "\(sent) request(s) to \(endpoint), not carrying both the uncaught error and the console.error"
    }

    /// Relative luminance of a CSS `rgb(…)`/`rgba(…)` colour (0 black, 1 white); 1 when it cannot be read.
    static func luminance(_ css: String) -> Double {
        let numbers = css.split(whereSeparator: { !"0123456789.".contains($0) }).compactMap { Double($0) }
        guard numbers.count >= 3 else { return 1 }
        func channel(_ v: Double) -> Double {
            let c = v / 255
            return c <= 0.03928 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * channel(numbers[0]) + 0.7152 * channel(numbers[1]) + 0.0722 * channel(numbers[2])
    }
}
