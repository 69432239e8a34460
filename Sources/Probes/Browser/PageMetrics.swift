import Foundation

/// What one load of a page measured, in milliseconds from navigation start (CLS is a score): read in the page from
/// the Performance API (Navigation Timing, paint, LCP, layout-shift and long-task entries) that the page's observers
/// (``BrowserPage/observers``) buffered.
struct PageMetrics: Sendable {
    var load: Double
    var domContentLoaded: Double
    var ttfb: Double
    var fcp: Double
    var lcp: Double
    /// The element LCP names (`img`, `h1`…), for the report.
    var lcpElement: String
    /// The largest session window of layout shifts (gaps under 1 s, windows up to 5 s), as Chrome's CLS.
    var cls: Double
    /// Total Blocking Time: each long task after first contentful paint, past its first 50 ms.
    var tbt: Double
    /// Time to Interactive, as a lower bound: the latest of first contentful paint, DOMContentLoaded and the end of the
    /// last long task; nothing after it blocked the main thread until the page was left quiet.
    var tti: Double

    static let script = """
        (() => {
          const g = window.__gonogo || {fcp: 0, lcp: 0, lcpTag: '', shifts: [], longTasks: []};
          const nav = performance.getEntriesByType('navigation')[0] || {};
          let cls = 0, win = 0, first = 0, last = -1e9;
          for (const [t, v] of g.shifts) {
            if (t - last < 1000 && t - first < 5000) { win += v; } else { win = v; first = t; }
            last = t; cls = Math.max(cls, win);
          }
          let tbt = 0, lastLong = 0;
          for (const [s, d] of g.longTasks) {
            if (s + d > g.fcp) tbt += Math.max(0, s + d - Math.max(s, g.fcp) - 50);
            lastLong = Math.max(lastLong, s + d);
          }
          const dcl = nav.domContentLoadedEventEnd || 0;
          return {load: nav.loadEventEnd || 0, dcl, ttfb: nav.responseStart || 0, fcp: g.fcp, lcp: g.lcp,
                  lcpTag: g.lcpTag, cls, tbt, tti: Math.max(g.fcp, dcl, lastLong)};
        })()
        """

    /// Reads the metrics of the page `page` has loaded.
    static func read(_ page: BrowserPage, timeout: Duration) async throws -> PageMetrics {
        guard let m = try await page.evaluate(script, timeout: timeout) as? [String: Any] else {
            throw Chromium.Failure(description: "the page gave no performance entries")
        }
        func n(_ key: String) -> Double { PageRecord.number(m[key]) ?? 0 }
        return PageMetrics(
            load: n("load"), domContentLoaded: n("dcl"), ttfb: n("ttfb"), fcp: n("fcp"), lcp: n("lcp"),
            lcpElement: m["lcpTag"] as? String ?? "", cls: n("cls"), tbt: n("tbt"), tti: n("tti"))
    }

    /// The metric a `browser.vitals` item names: `load`, `fcp`, `lcp`, `cls`, `tbt`, `tti`, `ttfb`.
    func value(_ metric: String) -> Double? {
        switch metric {
        case "load": load
        case "dcl", "dom_content_loaded": domContentLoaded
        case "ttfb": ttfb
        case "fcp": fcp
        case "lcp": lcp
        case "cls": cls
        case "tbt": tbt
        case "tti": tti
        default: nil
        }
    }

    static let metrics = ["load", "fcp", "lcp", "cls", "tbt", "tti", "ttfb", "dcl"]
}
