import Catalog
import Foundation
import Results

/// One self-contained HTML file (no external assets, so it can be attached to a ticket or opened from a CI artifact):
/// a verdict banner (with the cautions: a GO under the ci gate says what the release gate would still need), counts by
/// status that double as a filter, what needs attention first (each a link to its line), the sign-off table, and the
/// checklist's sections as folding blocks, failures open. Readable on a phone: one column below 700 px.
public enum ReportHTML {
    public static func render(_ run: VerifyRun) -> String {
        let document = run.plan.document
        let title = document.title ?? document.path
        let summary = run.summary
        var out = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(xml(run.verdict.text)) · \(xml(title)) · gonogo</title>
            <style>\(css)</style></head><body>
            <header class="banner \(run.verdict.go ? "go" : "nogo")" id="verdict">
            <div class="verdict">\(run.verdict.go ? "GO" : "NO-GO")</div>
            <div class="what"><h1>\(xml(title))</h1>
            <p>\(xml(document.path)) · sha256 <code>\(document.sha256.prefix(16))…</code> · gate \(run.gate.rawValue) · \
            \(VerifyRun.timestamp(run.startedAt)) · \(run.durationMs) ms</p>

            """
        if !run.verdict.reasons.isEmpty {
            out += "<ul class=\"reasons\">" + run.verdict.reasons.map { "<li>\(xml($0))</li>" }.joined() + "</ul>\n"
        }
        if let line = run.identity.line { out += "<p class=\"deployment\">Deployment: \(xml(line))</p>\n" }
        for caution in run.cautions { out += "<p class=\"caution\"><strong>Caution:</strong> \(xml(caution))</p>\n" }
        out += "<p class=\"counts\">\(xml(run.countsLine))"
        if let line = run.coverageLine { out += "<br>\(xml(line))" }
        out += "</p>\n"
        if !run.targets.isEmpty {
            out +=
                "<p class=\"targets\">Targets from the checklist: "
                + run.targetLines.map(xml).joined(separator: "; ") + "</p>\n"
        }
        out += "</div></header>\n<main>\n<nav class=\"filter\" aria-label=\"Filter by status\">\n"
        out +=
            "<button type=\"button\" class=\"chip on\" data-status=\"all\">all <b>\(summary.values.reduce(0, +))</b></button>\n"
        for status in Status.allCases {
            guard let n = summary[status] else { continue }
            out +=
                "<button type=\"button\" class=\"chip s-\(status.rawValue)\" data-status=\"\(status.rawValue)\">"
                + "\(status.rawValue) <b>\(n)</b></button>\n"
        }
        out += "</nav>\n"
        out += attention(run)

        out +=
            "<section class=\"signoff\" id=\"signoff\"><h2>Sign-off</h2><table><thead><tr><th>Role</th><th>Name</th><th>Date</th>"
        out += "<th>Status</th></tr></thead><tbody>\n"
        for role in run.signoff.roles {
            out +=
                "<tr><td>\(xml(role.role))</td><td>\(xml(role.entry?.name ?? "—"))</td>"
                + "<td>\(xml(role.entry?.date ?? "—"))</td><td class=\"\(role.signed ? "s-attested" : "s-manual")\">"
                + (role.signed ? "signed" : "missing") + (role.rejected.map { " — \(xml($0))" } ?? "") + "</td></tr>\n"
        }
        if run.signoff.roles.isEmpty { out += "<tr><td colspan=\"4\">The checklist has no sign-off table.</td></tr>\n" }
        out += "</tbody></table></section>\n"

        var order: [String] = []
        var sections: [String: [ItemResult]] = [:]
        for r in run.results {
            let top = r.planned.item.section.first ?? "(no section)"
            if sections[top] == nil { order.append(top) }
            sections[top, default: []].append(r)
        }
        for name in order {
            let rs = sections[name] ?? []
            // Open where "Needs attention" links to: failures, errors, warnings, waived and awaited items.
            let bad = rs.contains {
                [.fail, .error, .manual, .warn, .waived].contains($0.status) && $0.planned.kind != .group
            }
            let counts = Dictionary(grouping: rs.filter { $0.planned.kind != .group }, by: \.status)
            let tally = Status.allCases.compactMap { s in counts[s].map { "\($0.count) \(s.rawValue)" } }
            out += "<details class=\"section\"\(bad ? " open" : "")><summary><span>\(xml(name))</span>"
            out += "<small>\(xml(tally.joined(separator: " · ")))</small></summary>\n<ol class=\"items\">\n"
            for r in rs { out += item(r, run.signoff.items[r.id], document.path) }
            out += "</ol></details>\n"
        }
        if !run.signoff.notices.isEmpty {
            out += "<section class=\"notices\"><h2>Notes</h2><ul>"
            out += run.signoff.notices.map { "<li>\(xml($0))</li>" }.joined()
            out += "</ul></section>\n"
        }
        out += "</main>\n<footer>gonogo · report schema gonogo.report/v1</footer>\n<script>\(script)</script>\n"
        out += "</body></html>\n"
        return out
    }

    /// "Needs attention", first: what blocks the verdict, then what warns (waived failures, advisory failures,
    /// items awaiting a person that do not block), each a link to its line below, with its message.
    static func attention(_ run: VerifyRun) -> String {
        let items = run.results.filter { $0.planned.kind != .group }
        let blocks = items.filter { run.standing(of: $0) == .blocks }
        let warns = items.filter { run.standing(of: $0) == .warns }
        // Under the release gate a missing sign-off blocks too.
        let unsigned = run.gate == .release ? run.signoff.roles.filter { !$0.signed }.map(\.role) : []
        guard !(blocks.isEmpty && warns.isEmpty && unsigned.isEmpty) else { return "" }
        var out =
            "<section class=\"attention\"><h2>Needs attention (\(blocks.count + warns.count + unsigned.count))</h2>\n"
        if !unsigned.isEmpty {
            out += "<h3>Sign-off missing (\(unsigned.count))</h3><ul>\n"
            for role in unsigned {
                out +=
                    "<li class=\"need s-manual\"><a href=\"#signoff\"><span class=\"pill s-manual\">sign-off</span> "
                    + "\(xml(role))</a></li>\n"
            }
            out += "</ul>\n"
        }
        for (title, list) in [("Blocks the verdict", blocks), ("Warns", warns)] where !list.isEmpty {
            out += "<h3>\(title) (\(list.count))</h3><ul>\n"
            for r in list {
                out +=
                    "<li class=\"need s-\(r.status.rawValue)\"><a href=\"#\(xml(r.id))\"><span class=\"pill "
                    + "s-\(r.status.rawValue)\">\(r.status.rawValue)</span> \(xml(r.planned.item.text))</a>"
                    // (A waiver's words are said once, on the item's own line.)
                    + (r.status == .waived ? "" : "<div class=\"msg\">\(xml(r.outcome.message))</div>") + "</li>\n"
            }
            out += "</ul>\n"
        }
        return out + "</section>\n"
    }

    /// The viewport screenshots a browser check kept beside the report (`screenshots/…png`), as thumbnails that link
    /// to the full image. Only file names under `screenshots/` are shown: a report never points elsewhere.
    static func screenshots(_ r: ItemResult) -> String {
        guard case .array(let shots)? = r.outcome.details?["screenshots"] else { return "" }
        var out = ""
        for shot in shots {
            guard case .string(let file)? = shot["file"], file.hasPrefix("screenshots/"), !file.contains(".."),
                case .string(let viewport)? = shot["viewport"]
            else { continue }
            out += "<figure class=\"shot\"><a href=\"\(xml(file))\"><img src=\"\(xml(file))\" alt=\"\(xml(viewport))\" "
            out += "loading=\"lazy\"></a><figcaption>\(xml(viewport))</figcaption></figure>"
        }
        return out.isEmpty ? "" : "<div class=\"shots\">\(out)</div>"
    }

    static func item(_ r: ItemResult, _ signoff: ItemSignoff?, _ path: String) -> String {
        let depth = max(0, r.planned.item.section.count - 1)
        // A group is a heading over its children, counted in them: no status of its own for the filter to show.
        let group = r.planned.kind == .group
        var out =
            group
            ? "<li class=\"item grp s-\(r.status.rawValue)\" data-status=\"group\" "
            : "<li class=\"item s-\(r.status.rawValue)\" data-status=\"\(r.status.rawValue)\" "
        out += "id=\"\(xml(r.id))\" style=\"--depth:\(depth)\">"
        out += "<span class=\"pill s-\(r.status.rawValue)\">\(r.status.rawValue)</span>"
        out += "<div class=\"body\"><div class=\"text\">\(xml(r.planned.item.text))</div>"
        out += "<div class=\"msg\">\(xml(r.outcome.message))</div>"
        if let e = r.outcome.expected, let o = r.outcome.observed {
            out += "<div class=\"eo\"><span>expected</span> \(xml(e)) <span>observed</span> \(xml(o))</div>"
        }
        out += screenshots(r)
        if let a = signoff?.attestation {
            out += "<div class=\"att\">attestation: \(xml(a.status)) by \(xml(a.name)) (\(xml(a.role))), \(xml(a.date))"
            if let ev = a.evidence, ev.hasPrefix("https://") || ev.hasPrefix("http://") {
                out += " · <a href=\"\(xml(ev))\" rel=\"noopener noreferrer\">evidence</a>"
            }
            if let why = signoff?.attestationRejected { out += " — <b>not counted</b>: \(xml(why))" }
            out += "</div>"
        }
        // An applied waiver is the item's message already ("waived until … by …: why"); only one that was not
        // applied needs its own line, to say why.
        if let w = signoff?.waiver, signoff?.waiverNotApplied != nil || r.status != .waived {
            out +=
                "<div class=\"waiver\">waiver until \(xml(w.expires)) by \(xml(w.approvedBy)): \(xml(w.justification))"
            if let why = signoff?.waiverNotApplied { out += " — <b>not applied</b>: \(xml(why))" }
            out += "</div>"
        }
        out += "<div class=\"meta\"><code>\(xml(r.id))</code> · \(xml(r.planned.kind.description)) · "
        out += "\(xml(r.planned.severity.rawValue)) · \(xml(path)):\(r.planned.item.line)</div>"
        out += "</div></li>\n"
        return out
    }

    static let css = """
        :root{--pass:#1a7f37;--fail:#cf222e;--warn:#9a6700;--skip:#6e7781;--error:#8250df;--manual:#bc4c00;\
        --attested:#0969da;--waived:#57606a;font-family:system-ui,-apple-system,"Segoe UI",sans-serif;color:#1f2328}
        body{margin:0;background:#f6f8fa}main{max-width:1100px;margin:0 auto;padding:12px}
        .banner{display:flex;gap:20px;align-items:center;padding:18px 24px;color:#fff}
        .banner.go{background:var(--pass)}.banner.nogo{background:var(--fail)}
        .verdict{font-size:44px;font-weight:800;letter-spacing:1px;white-space:nowrap}
        .banner h1{margin:0;font-size:20px}.banner p{margin:4px 0;opacity:.9;font-size:13px}
        .reasons{margin:6px 0 0;padding-left:18px;font-size:14px}
        .filter{display:flex;flex-wrap:wrap;gap:6px;margin:12px 0}
        .chip{border:1px solid #d0d7de;background:#fff;border-radius:16px;padding:5px 12px;font-size:14px;cursor:pointer}
        .chip.on{outline:2px solid #0969da}
        .signoff table{border-collapse:collapse;width:100%;background:#fff}
        .signoff th,.signoff td{border:1px solid #d0d7de;padding:6px 8px;text-align:left;font-size:14px}
        h2{font-size:16px;margin:16px 0 8px}h3{font-size:14px;margin:10px 0 4px}
        .attention{background:#fff;border:1px solid #d0d7de;border-left:4px solid var(--fail);border-radius:6px;\
        padding:4px 12px 8px;margin:8px 0}.attention ul{list-style:none;margin:0;padding:0}
        .need{padding:6px 0;border-top:1px solid #eaeef2}.need a{color:inherit;text-decoration:none;display:flex;gap:10px}
        .need .msg{margin-left:84px}
        .shots{display:flex;gap:8px;flex-wrap:wrap;margin:6px 0}.shot{margin:0;font-size:12px;color:#57606a}\
        .shot img{display:block;max-height:160px;max-width:240px;border:1px solid #d0d7de;border-radius:4px}
        details.section{background:#fff;border:1px solid #d0d7de;border-radius:6px;margin:8px 0}
        details.section>summary{cursor:pointer;padding:10px 12px;display:flex;justify-content:space-between;gap:8px;\
        font-weight:600}
        details.section>summary small{font-weight:400;color:#57606a}
        ol.items{list-style:none;margin:0;padding:0 8px 8px}
        .item.grp{background:transparent;border-color:transparent}.item{display:flex;gap:10px;padding:8px 4px;border-top:1px solid #eaeef2;\
        margin-left:calc(var(--depth) * 12px)}
        .item.hidden{display:none}
        .pill{flex:none;min-width:74px;text-align:center;border-radius:10px;padding:2px 6px;color:#fff;font-size:12px;\
        height:18px;line-height:18px;background:var(--skip)}
        .pill.s-pass{background:var(--pass)}.pill.s-fail{background:var(--fail)}.pill.s-warn{background:var(--warn)}
        .pill.s-error{background:var(--error)}.pill.s-manual{background:var(--manual)}
        .pill.s-attested{background:var(--attested)}.pill.s-waived{background:var(--waived)}
        .body{min-width:0}.text{font-weight:500}.msg,.eo,.att,.waiver{font-size:13px;color:#424a53;margin-top:2px;\
        overflow-wrap:anywhere}
        .eo span{color:#6e7781;font-size:12px;text-transform:uppercase}
        .meta{font-size:12px;color:#6e7781;margin-top:3px;overflow-wrap:anywhere}
        td.s-attested{color:var(--attested)}td.s-manual{color:var(--manual)}
        .notices li{font-size:13px;margin:3px 0}footer{text-align:center;color:#6e7781;font-size:12px;padding:16px}
        @media (max-width:700px){.banner{flex-direction:column;align-items:flex-start;padding:14px}
        .verdict{font-size:34px}.item{flex-direction:column;gap:4px}.pill{align-self:flex-start}}
        """

    /// The status filter: a chip shows only its status (and opens every section so nothing hides); `all` resets.
    static let script = """
        (function(){var chips=document.querySelectorAll('.chip');chips.forEach(function(c){\
        c.addEventListener('click',function(){var s=c.getAttribute('data-status');\
        chips.forEach(function(x){x.classList.toggle('on',x===c)});\
        document.querySelectorAll('.item').forEach(function(i){\
        i.classList.toggle('hidden',s!=='all'&&i.getAttribute('data-status')!==s)});\
        document.querySelectorAll('details.section').forEach(function(d){\
        var any=d.querySelector('.item:not(.hidden)');d.style.display=any?'':'none';if(s!=='all'&&any)d.open=true;});\
        document.body.setAttribute('data-filter',s);});});document.body.setAttribute('data-filter','all');})();
        """
}
