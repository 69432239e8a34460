import Foundation
import Results

/// One run as the history keeps it and `gonogo diff` compares it: what was verified (checklist, environment, commit),
/// the verdict, the counts, and each item's status with what it observed. Made from a run, from a report.json, or
/// read back from a history database: the same fields whichever way.
public struct RunRecord: Sendable, Equatable {
    public var id: Int64?
    public var startedAt: String
    public var durationMs: Int
    public var checklist: String
    public var checklistSHA256: String
    public var environment: String?
    public var commit: String?
    public var tag: String?
    public var apiURL: String?
    public var gate: String
    public var verdict: String
    public var toolVersion: String
    public var counts: [String: Int]
    public var items: [Item]

    public struct Item: Sendable, Equatable {
        public var id: String
        public var line: Int
        public var kind: String
        public var severity: String
        public var status: String
        public var expected: String?
        public var observed: String?
        public var durationMs: Int

        public init(
            id: String, line: Int, kind: String, severity: String, status: String, expected: String?,
            observed: String?, durationMs: Int
        ) {
            (self.id, self.line, self.kind, self.severity, self.status) = (id, line, kind, severity, status)
            (self.expected, self.observed, self.durationMs) = (expected, observed, durationMs)
        }
    }

    public var go: Bool { verdict == "GO" }

    /// `run`'s record (groups left out: their status is their children's).
    public init(_ run: VerifyRun, toolVersion: String) {
        id = nil
        startedAt = VerifyRun.timestamp(run.startedAt)
        durationMs = run.durationMs
        checklist = run.plan.document.path
        checklistSHA256 = run.plan.document.sha256
        environment = run.identity.environment
        commit = run.identity.git?.commit
        tag = run.identity.git?.tag
        apiURL = run.identity.urls["api_url"]
        gate = run.gate.rawValue
        verdict = run.verdict.text
        self.toolVersion = toolVersion
        let summary = run.summary
        counts = Dictionary(uniqueKeysWithValues: Status.allCases.map { ($0.rawValue, summary[$0] ?? 0) })
        items = run.results.filter { $0.planned.kind != .group }.map {
            Item(
                id: $0.id, line: $0.planned.item.line, kind: $0.planned.kind.description,
                severity: $0.planned.severity.rawValue, status: $0.status.rawValue, expected: $0.outcome.expected,
                observed: $0.outcome.observed, durationMs: $0.durationMs)
        }
    }

    init(
        id: Int64?, startedAt: String, durationMs: Int, checklist: String, checklistSHA256: String,
        environment: String?, commit: String?, tag: String?, apiURL: String?, gate: String, verdict: String,
        toolVersion: String, counts: [String: Int], items: [Item]
    ) {
        (self.id, self.startedAt, self.durationMs, self.checklist) = (id, startedAt, durationMs, checklist)
        (self.checklistSHA256, self.environment, self.commit, self.tag) = (checklistSHA256, environment, commit, tag)
        (self.apiURL, self.gate, self.verdict, self.toolVersion) = (apiURL, gate, verdict, toolVersion)
        (self.counts, self.items) = (counts, items)
    }

    /// A report.json (`gonogo.report/v1`) read back; throws ``HistoryError`` naming the file and what is wrong.
    public static func load(report path: String) throws -> RunRecord {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw HistoryError("\(path): cannot read it (\(error.localizedDescription))")
        }
        guard let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw HistoryError("\(path): not JSON; give a report.json that gonogo verify wrote (--out DIR)")
        }
        guard json["schema"] as? String == VerifyRun.schema, let rawItems = json["items"] as? [[String: Any]] else {
            throw HistoryError("\(path): not a gonogo report (its schema is not \(VerifyRun.schema))")
        }
        let checklist = json["checklist"] as? [String: Any] ?? [:]
        let target = json["target"] as? [String: Any] ?? [:]
        let git = target["git"] as? [String: Any] ?? [:]
        let items = rawItems.filter { $0["kind"] as? String != "group" }.map { i in
            Item(
                id: i["id"] as? String ?? "", line: i["line"] as? Int ?? 0, kind: i["kind"] as? String ?? "",
                severity: i["severity"] as? String ?? "", status: i["status"] as? String ?? "",
                expected: i["expected"] as? String, observed: i["observed"] as? String,
                durationMs: i["durationMs"] as? Int ?? 0)
        }
        return RunRecord(
            id: nil, startedAt: json["startedAt"] as? String ?? "", durationMs: json["durationMs"] as? Int ?? 0,
            checklist: checklist["path"] as? String ?? "", checklistSHA256: checklist["sha256"] as? String ?? "",
            environment: target["environment"] as? String, commit: git["commit"] as? String,
            tag: git["tag"] as? String, apiURL: (target["urls"] as? [String: String])?["api_url"],
            gate: json["gate"] as? String ?? "", verdict: json["verdict"] as? String ?? "",
            toolVersion: (json["tool"] as? [String: Any])?["version"] as? String ?? "",
            counts: json["summary"] as? [String: Int] ?? [:], items: items)
    }

    /// "2026-12-01T05:30:00Z · production · commit 1a2b3c4d5e6f (v1.4.0) · NO-GO": one line for people.
    public var line: String {
        var parts = [startedAt]
        if let environment { parts.append(environment) }
        if let commit { parts.append("commit \(commit.prefix(12))" + (tag.map { " (\($0))" } ?? "")) }
        parts.append(verdict)
        return parts.joined(separator: " · ")
    }
}

/// A history database or a report that cannot be used: the message names it and what to do.
public struct HistoryError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
