/// Pages as a browser renders them: web vitals measured in headless Chromium, console errors, assets, HTTPS-only
/// requests, page weight, responsive layout, dark mode.
extension Kind {
    static let browserKinds: [KindSpec] = [
        KindSpec(
            Kind(.browser, "vitals"),
            "a page's load, FCP, LCP, CLS, TBT or TTI in headless Chromium: the median of `runs` cold (or warm) loads "
                + "against a threshold; `core`: LCP <= 2.5 s, CLS <= 0.1 and TBT <= 200 ms",
            [
                .text("path", default: "/"), .text("metric", default: "load"), .threshold("threshold"),
                .integer("runs", default: "3"), .text("cache", default: "cold"),
            ]),
        KindSpec(
            Kind(.browser, "console"),
            "no console error, uncaught exception or failed request while the page loads; with `capture`, an error "
                + "raised in the page reaches that endpoint",
            [.text("path", default: "/"), .text("capture")]),
        KindSpec(
            Kind(.browser, "assets"), "every script, style, image, font and media file the page loads is served",
            [.text("path", default: "/")]),
        KindSpec(
            Kind(.browser, "https_only"), "the page and every request it makes use HTTPS (no mixed content)",
            [.text("path", default: "/")]),
        KindSpec(
            Kind(.browser, "weight"), "bytes on the wire for one cold load of the page against a threshold (kB)",
            [.text("path", default: "/"), .threshold("threshold")]),
        KindSpec(
            Kind(.browser, "responsive"),
            "no horizontal overflow at each viewport (mobile 360×740, tablet 768×1024, desktop 1366×768, or WxH); "
                + "a screenshot of each in the report",
            [.text("path", default: "/"), .list("viewports")]),
        KindSpec(
            Kind(.browser, "dark_mode"),
            "under prefers-color-scheme: dark the page's background is darker and its text colour changes",
            [.text("path", default: "/")]),
    ]
}

extension Recognizers {
    /// Web vitals by their names, as ``PageMetrics`` measures them.
    static let browserMetrics: [(phrases: CompiledPhrases, id: String)] = [
        (["lcp", "largest contentful paint"], "lcp"), (["cls", "cumulative layout shift"], "cls"),
        (["tti", "time to interactive"], "tti"), (["fcp", "first contentful paint"], "fcp"),
        (["tbt", "total blocking time"], "tbt"), (["page load", "page load time", "page loads"], "load"),
    ].map { (Vocabulary.compile($0.0), $0.1) }

    /// "LCP < 2.5s", "Page load time < 3s", "Responsive design verified (mobile/tablet/desktop)", "Dark mode
    /// tested", "No console errors", "Public assets accessible: `/public/*`", "Page weight under 1 MB". A Lighthouse
    /// report named by the item or its parent makes a vital the report's (``lighthouse(_:)``).
    static func browser(_ c: ItemContext) -> Recognition? {
        guard var found = browserKind(c) else { return nil }
        // The page the item names ("No console errors on `/shop/`"): a path in a code span, a page's, not a folder of
        // assets (`/public/*`) nor a file (`/favicon.ico`).
        // Addressed as the page ("on `/shop/`", "for `/`", "page `/archive`"), not an API the page calls or a folder it loads from.
        func isPage(_ span: String) -> Bool {
            guard span.hasPrefix("/"), !span.hasPrefix("/api/"), !span.contains(" "), !span.contains("//"),
                !span.contains("*")
            else { return false }
            let text = " " + c.text.lowercased()
            guard
                // (Or named as the page: "Public archive page `/archive`", "Home page `/` LCP ≤ 2 s".)
                ["on", "for", "of", "at", "page"].contains(where: {
                    text.contains(" \($0) `\(span.lowercased())`") || text.contains(" \($0) \(span.lowercased())")
                })
            else { return false }
            let last = span.split(separator: "/").last ?? ""
            return !last.contains(".") || last.hasSuffix(".html") || last.hasSuffix(".htm")
        }
        if found.kind.family == .browser, found.kind.name != "assets", let path = c.code.first(where: isPage) {
            found.params["path"] = .string(path)
        }
        return found
    }

    private static func browserKind(_ c: ItemContext) -> Recognition? {
        let named = (c.code + c.parentCode).contains { $0.lowercased().hasSuffix(".json") }
        guard !named, !c.own.has("lighthouse"), !c.parent.has("lighthouse") else { return nil }
        // A monitor of the figure, a report of it, or a budget in CI are for a person or another kind.
        if c.own.hasAny(["monitor", "monitored", "monitoring", "dashboard", "alert", "alerts", "rum", "budget"]) {
            return nil
        }
        let page = Kind(.browser, "vitals")
        // Google's targets, as a lab measures them: LCP ≤ 2.5 s, CLS ≤ 0.1, and Total Blocking Time ≤ 200 ms standing
        // in for INP (which needs a person's input), as Lighthouse does.
        if c.own.hasAny(["core web vitals", "web vitals"]), !c.own.hasAny(["field data", "crux", "search console"]) {
            return Recognition(page, [("metric", .string("core"))], rule: "core web vitals measured in a browser")
        }
        for m in browserMetrics where c.own.matches(m.phrases) {
            guard let bound = ThresholdParser(tokens: c.own).first(), ["<", "<="].contains(bound.op) else { return nil }
            var params: [(String, Params.Value)] = [("metric", .string(m.id))]
            switch (m.id, bound.dimension) {
            case ("cls", .count): params.append(("threshold", .threshold(bound.threshold(metric: "cls"))))
            case (_, .time) where m.id != "cls": params.append(("threshold", .threshold(bound.threshold(metric: m.id))))
            default: return nil
            }
            return Recognition(page, params, rule: "web vital measured in a browser")
        }
        let web =
            c.scope.hasAny(["frontend", "front end", "web", "ui", "site", "page", "pages", "browser", "next js"])
            || c.own.hasAny(["page", "pages", "browser"])
        guard web else { return nil }
        if c.own.hasAny(["responsive", "responsive design", "responsive layout"]) {
            let named = ["mobile", "tablet", "desktop"].filter { c.own.contains($0) }
            return Recognition(
                Kind(.browser, "responsive"), named.isEmpty ? [] : [("viewports", .list(named))],
                rule: "responsive layout")
        }
        if c.own.hasAny(["dark mode", "dark theme", "dark color scheme", "dark colour scheme"]) {
            return Recognition(Kind(.browser, "dark_mode"), rule: "dark colour scheme")
        }
        if c.own.hasAny(["console errors", "console error", "javascript errors", "js errors"]) {
            // Errors "captured", "reported" or "tracked" go somewhere the sentence does not name: a person (or a
            // config naming the endpoint, `capture`) says where.
            if c.own.hasAny(["captured", "capture", "reported", "tracked", "sent", "logged", "collected"]) {
                return Recognition(.manual, rule: "where console errors are reported")
            }
            return Recognition(Kind(.browser, "console"), rule: "console errors")
        }
        // "API calls use HTTPS in production", "No mixed content": every request the page makes.
        if c.own.has("mixed content")
            || c.own.has("https") && c.own.hasAny(["api calls", "calls", "requests", "fetch", "fetches", "xhr"])
        {
            return Recognition(Kind(.browser, "https_only"), rule: "the page's requests over HTTPS")
        }
        if c.own.hasAny(["public assets", "static assets"]),
            c.own.hasAny(["accessible", "served", "load", "reachable"])
        {
            return Recognition(Kind(.browser, "assets"), rule: "assets served")
        }
        // A JavaScript bundle's size is a build's figure, not what a page transfers.
        if c.own.hasAny(["page weight", "page size", "total transfer size"]),
            let bound = ThresholdParser(tokens: c.own).first(), bound.dimension == .size,
            ["<", "<="].contains(bound.op)
        {
            return Recognition(
                Kind(.browser, "weight"), [("threshold", .threshold(bound.threshold(metric: "weight")))],
                rule: "page weight")
        }
        return nil
    }
}
