import Testing

@testable import Catalog

/// The second shipped checklist: another service, another team's words.
@Suite("Orders service checklist")
struct OrdersChecklistTests {
    static let expected: [(line: Int, kind: String)] = [
        (7, "command.run"), (8, "command.run"), (9, "artifact.coverage"), (10, "artifact.junit"), (11, "manual"),
        // (18: "`ORDERS_DB_URL` points at the primary": that it is a URL would not show which server it names.)
        (15, "env.equals"), (16, "env.set"), (17, "env.not_wildcard"), (18, "manual"), (19, "git.untracked"),
        (20, "file.exists"),
        (26, "postgres.migrations"), (27, "postgres.index"), (28, "postgres.replication"), (29, "manual"),
        (30, "postgres.pool"),
        (34, "sqlite.journal_mode"), (35, "sqlite.database"),
        (39, "tls.protocols"), (40, "tls.expiry"), (41, "http.hsts"), (42, "http.redirect_https"),
        (43, "http.compression"), (44, "http.header"), (45, "http.cors"), (46, "http.rate_limit"), (47, "http.status"),
        (51, "latency.request"), (52, "latency.request"), (53, "latency.request"), (54, "browser.vitals"),
        (55, "artifact.lighthouse"),
        (59, "git.tag"), (60, "file.nonempty"), (61, "manual"), (62, "manual"), (63, "manual"), (64, "http.metrics"),
    ]

    @Test("every item gets the kind its author would expect")
    func kinds() throws {
        let plan = try loadPlan("checklists/orders-service-release.md")
        #expect(plan.items.map(\.item.line) == Self.expected.map(\.line))
        for (p, e) in zip(plan.items, Self.expected) {
            #expect(p.kind.description == e.kind, "line \(e.line): \(p.item.text) (rule \(p.rule))")
        }
        #expect(plan.document.roles == ["Engineering Manager", "SRE", "Security"])
        #expect(plan.items.first { $0.item.line == 7 }?.item.section == ["1. Build & Tests"])
        #expect(plan.items.first { $0.item.line == 34 }?.item.section == ["3. Data", "Local cache (SQLite)"])
    }

    @Test("its thresholds and params")
    func params() throws {
        let plan = try loadPlan("checklists/orders-service-release.md")
        func at(_ line: Int) -> PlannedItem { plan.items.first { $0.item.line == line }! }
        #expect(at(9).params.threshold == Threshold(metric: "statement", op: ">=", value: 85, unit: "%"))
        #expect(at(30).params.int("min") == 10 && at(30).params.int("max") == 50)
        #expect(at(39).params["refuse"] == .list(["1.0", "1.1"]))
        #expect(at(40).params.int("min_days") == 21)
        #expect(at(41).params.int("max_age") == 31_536_000)
        #expect(at(41).params["include_subdomains"] == .bool(true))
        #expect(at(51).params.string("path") == "/orders")
        #expect(at(51).params.threshold == Threshold(metric: "p95", op: "<", value: 250, unit: "ms"))
        #expect(at(52).params.threshold == Threshold(metric: "p99", op: "<=", value: 800, unit: "ms"))
        #expect(at(53).params.threshold == Threshold(metric: "med", op: "<", value: 1500, unit: "ms"))
        #expect(at(53).params.string("request") == "search")
        #expect(at(54).params.threshold?.value == 2000)
        #expect(at(55).params.string("category") == "accessibility")
        #expect(at(64).source == .annotation)
        #expect(at(28).severity == .advisory)
    }
}
