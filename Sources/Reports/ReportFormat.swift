import Crypto
import Foundation
import Results

/// Every report gonogo writes, with its file name: the one list the `verify` command, `gonogo demo` and the session
/// that writes them share.
public enum ReportFormat: String, Sendable, CaseIterable {
    case text, json, junit, markdown, html, sarif, prometheus

    /// The file it is written to in a report directory.
    public var file: String {
        switch self {
        case .text: "report.txt"
        case .json: "report.json"
        case .junit: "report.junit.xml"
        case .markdown: "report.md"
        case .html: "report.html"
        case .sarif: "report.sarif"
        case .prometheus: "report.prom"
        }
    }

    /// The signed envelope's file, beside `report.json`.
    public static let envelopeFile = "report.intoto.json"

    /// `run` in this format. `report` is the run's JSON (what the envelope signs, so it is made once);
    /// `checklistSource` the checklist's text, which the Markdown report re-renders; `sarifPasses`, whether SARIF lists
    /// the items that need no attention too.
    public func render(
        _ run: VerifyRun, report: Data, checklistSource: String, toolVersion: String, sarifPasses: Bool = false
    ) -> Data {
        switch self {
        case .json: report
        case .text: Data(VerifyText.render(run).utf8)
        case .junit: Data(ReportJUnit.render(run).utf8)
        case .sarif: Data(ReportSARIF.render(run, toolVersion: toolVersion, includePasses: sarifPasses).utf8)
        case .html: Data(ReportHTML.render(run).utf8)
        case .markdown: Data(ReportMarkdown.render(run, source: checklistSource).utf8)
        case .prometheus: Data(ReportPrometheus.render(run, toolVersion: toolVersion).utf8)
        }
    }

    /// The run's JSON report (`gonogo.report/v1`), as written to `report.json`.
    public static func json(_ run: VerifyRun, toolVersion: String) -> Data {
        Data((run.json(toolVersion: toolVersion).serialized() + "\n").utf8)
    }
}
