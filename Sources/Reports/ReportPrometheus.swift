import Catalog
import Foundation
import Prometheus
import Results

/// `--format prometheus` (`report.prom`): the run as Prometheus metrics, for node_exporter's textfile collector or a
/// Pushgateway (`--push URL`). Written by swift-prometheus in the text exposition format every Prometheus parser reads,
/// ended by OpenMetrics' `# EOF` (a comment to the text parser), gauges only, no timestamps (a Pushgateway refuses
/// them). Every series carries `checklist` (its path); items are labelled by id. The counts are the run's one set
/// (``VerifyRun/summary``, ``VerifyRun/coverage``): the same figures as every other format.
public enum ReportPrometheus {
    public static func render(_ run: VerifyRun, toolVersion: String) -> String {
        let registry = PrometheusCollectorRegistry()
        let checklist = ("checklist", checklistLabel(run.plan.document.path))
        var order: [String] = []
        func gauge(_ name: String, unit: String = "", _ help: String, _ labels: [(String, String)] = []) -> Gauge {
            let descriptor = MetricNameDescriptor(namespace: "gonogo", metricName: name, unitName: unit, helpText: help)
            if !order.contains(descriptor.name) { order.append(descriptor.name) }
            return registry.makeGauge(descriptor: descriptor, labels: [checklist] + labels)
        }
        let identity = run.identity
        gauge(
            "run", unit: "info",
            "The run: gonogo's version, the checklist's digest, the gate, the environment, the root's git commit and tag.",
            [
                ("version", toolVersion), ("checklist_sha256", run.plan.document.sha256), ("gate", run.gate.rawValue),
                ("environment", identity.environment ?? ""), ("commit", identity.git?.commit ?? ""),
                ("tag", identity.git?.tag ?? ""),
            ]
        ).set(to: 1.0)
        gauge("go", "1 when the verdict is GO, 0 when NO-GO.").set(to: run.verdict.go ? 1.0 : 0.0)
        gauge("run_start", unit: "timestamp_seconds", "When the run started (Unix time).")
            .set(to: run.startedAt.timeIntervalSince1970.rounded())
        gauge("run_duration", unit: "seconds", "How long the run took.").set(to: Double(run.durationMs) / 1000)
        let counts = run.summary
        for status in Status.allCases {
            gauge("items", "Items by status, groups left out (the report's summary).", [("status", status.rawValue)])
                .set(to: Double(counts[status] ?? 0))
        }
        let c = run.coverage
        for (part, value) in [
            ("applicable", c.applicable), ("checked", c.checked), ("errored", c.errored), ("awaiting", c.awaiting),
            ("attested", c.attested), ("skipped", c.skipped),
        ] {
            gauge(
                "coverage_items",
                "Of the items that apply, how many a check decided (checked), could not decide (errored), await a "
                    + "person or were attested; and how many were skipped.",
                [("part", part)]
            ).set(to: Double(value))
        }
        for r in run.results where r.planned.kind != .group {
            let id = ("id", r.id)
            gauge(
                "item_status", "1 for each item, labelled with its kind, severity and status.",
                [
                    id, ("kind", r.planned.kind.description), ("severity", r.planned.severity.rawValue),
                    ("status", r.status.rawValue),
                ]
            ).set(to: 1.0)
            gauge("item_duration", unit: "seconds", "How long the item's check took.", [id])
                .set(to: Double(r.durationMs) / 1000)
            guard case .object(let percentiles)? = r.outcome.details?["percentilesMs"] else { continue }
            for (name, value) in percentiles {
                let ms: Double
                switch value {
                case .double(let d): ms = d
                case .int(let i): ms = Double(i)
                default: continue
                }
                gauge(
                    "item_latency", unit: "seconds",
                    "A latency item's sampled request time at a percentile (p50, p95…), mean, min or max.",
                    [id, ("percentile", name)]
                ).set(to: ms / 1000)
            }
        }
        return ordered(registry.emitToString(), families: order) + "# EOF\n"
    }

    /// The checklist's path as a label: `./checklists/r.md` and `checklists/x/../r.md` are `checklists/r.md`, one
    /// series and one Pushgateway group whichever way the path was typed.
    public static func checklistLabel(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == "..", let last = parts.last, last != ".." { parts.removeLast() } else { parts.append(part) }
        }
        return (path.hasPrefix("/") ? "/" : "") + parts.joined(separator: "/")
    }

    /// swift-prometheus emits families and series in its dictionaries' order; the same run should read the same way
    /// twice (a textfile diffed, a test), so families go in the order they were made and series in byte order.
    static func ordered(_ text: String, families order: [String]) -> String {
        var blocks: [String: (header: [Substring], samples: [Substring])] = [:]
        var current = ""
        for line in text.split(separator: "\n") {
            if line.hasPrefix("# ") {
                let name = line.split(separator: " ", maxSplits: 3).dropFirst(2).first.map(String.init) ?? ""
                current = name
                blocks[name, default: ([], [])].header.append(line)
            } else {
                blocks[current, default: ([], [])].samples.append(line)
            }
        }
        let names = order.filter { blocks[$0] != nil } + blocks.keys.filter { !order.contains($0) }.sorted()
        return names.map { name in
            let block = blocks[name]!
            return (block.header + block.samples.sorted()).joined(separator: "\n") + "\n"
        }.joined()
    }
}
