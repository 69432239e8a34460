import Catalog
import Results

/// GitHub Actions workflow commands (`::error file=…,line=…::`): each failing or erroring item, and each warning, is
/// annotated on its line of the checklist in the pull request and the run's summary.
public enum GitHubAnnotations {
    public static func render(_ run: VerifyRun) -> String {
        let path = run.plan.document.path
        var out = ""
        for r in run.results where r.planned.kind != .group {
            let command: String
            // As the verdict reads it: what blocks is an error (a blocker awaiting a person, a notice that says so).
            switch (r.status, run.standing(of: r)) {
            case (.manual, .blocks): command = "notice"
            case (.fail, .blocks), (.error, .blocks), (.warn, .blocks): command = "error"
            case (.fail, _), (.error, _), (.warn, _): command = "warning"
            default: continue
            }
            var message = r.outcome.message
            if let e = r.outcome.expected, let o = r.outcome.observed { message += " (expected \(e); observed \(o))" }
            out +=
                "::\(command) file=\(property(path)),line=\(r.planned.item.line),"
                + "title=\(property("\(r.status.rawValue): \(r.id)"))::\(data(message))\n"
        }
        return out
    }

    /// The escapes GitHub's runner undoes: `%`, CR and LF in a message; also `:` and `,` in a property.
    static func data(_ text: String) -> String {
        text.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D")
            .replacingOccurrences(of: "\n", with: "%0A")
    }

    static func property(_ text: String) -> String {
        data(text).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }
}
