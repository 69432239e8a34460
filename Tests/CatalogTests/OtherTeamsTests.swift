import Testing

@testable import Catalog

/// Checklists other teams wrote, in their own words (fixtures/checklists/): a review wrote them to probe
/// recognition, and each assertion below is a reading a reviewer asked for.
@Suite("Other teams' checklists")
struct OtherTeamsTests {
    static let expectations: [(file: String, line: Int, kind: String)] = [
        ("payments-k8s-release.md", 8, "artifact.junit"),
        ("payments-k8s-release.md", 11, "artifact.coverage"),
        ("payments-k8s-release.md", 24, "manual"),  // HPA replicas are not database replication
        ("payments-k8s-release.md", 26, "file.contains"),
        ("payments-k8s-release.md", 34, "manual"),  // a Spring property, not a file
        ("payments-k8s-release.md", 36, "env.not_equals"),
        ("payments-k8s-release.md", 37, "git.ignored"),
        ("payments-k8s-release.md", 41, "tls.protocols"),
        ("payments-k8s-release.md", 48, "http.auth_required"),
        ("payments-k8s-release.md", 58, "http.metrics"),
        ("payments-k8s-release.md", 59, "manual"),  // JVM GC pauses are not request latency
        ("payments-k8s-release.md", 63, "postgres.migrations"),
        ("payments-k8s-release.md", 65, "postgres.pool"),
        ("payments-k8s-release.md", 66, "postgres.setting"),
        ("payments-k8s-release.md", 71, "git.tag"),
        ("ingest-api-release.md", 17, "postgres.migrations"),
        ("ingest-api-release.md", 18, "manual"),  // alembic downgrade changes the database: never run by gonogo
        ("ingest-api-release.md", 19, "postgres.tables"),
        ("ingest-api-release.md", 23, "postgres.privileges"),
        ("ingest-api-release.md", 34, "env.not_equals"),
        ("ingest-api-release.md", 49, "http.header"),
        ("ingest-api-release.md", 52, "http.header"),  // CORS disabled: the header must be absent
        ("ingest-api-release.md", 56, "latency.request"),
        ("ingest-api-release.md", 58, "manual"),  // a nightly job taking hours is not a request
        ("ingest-api-release.md", 66, "git.tag"),
        ("storefront-rails-cutover.md", 15, "artifact.junit"),
        ("storefront-rails-cutover.md", 16, "manual"),  // a branch, not a file
        ("storefront-rails-cutover.md", 21, "env.equals"),  // "is info, not debug"
        ("storefront-rails-cutover.md", 23, "manual"),  // rotation is not visible in the environment
        ("storefront-rails-cutover.md", 40, "postgres.pool"),
        ("storefront-rails-cutover.md", 42, "postgres.rows"),
        ("storefront-rails-cutover.md", 48, "http.auth_required"),
        ("storefront-rails-cutover.md", 64, "http.rate_limit"),
        ("courier-backend-ship.md", 23, "env.not_wildcard"),
        ("courier-backend-ship.md", 25, "git.ignored"),
        ("courier-backend-ship.md", 33, "sqlite.tables"),
        ("courier-backend-ship.md", 37, "sqlite.migrations"),
        ("courier-backend-ship.md", 44, "http.redirect_https"),
        ("courier-backend-ship.md", 60, "file.absent"),
    ]

    @Test("each item the reviewers singled out gets its kind")
    func kinds() throws {
        var plans: [String: Plan] = [:]
        for e in Self.expectations {
            let plan = try plans[e.file] ?? loadPlan("fixtures/checklists/\(e.file)")
            plans[e.file] = plan
            let item = plan.items.first { $0.item.line == e.line }
            #expect(
                item?.kind.description == e.kind,
                "\(e.file):\(e.line) \(item?.item.text ?? "no item") (rule \(item?.rule ?? ""))")
        }
    }

    @Test("the params a reviewer would check")
    func params() throws {
        let payments = try loadPlan("fixtures/checklists/payments-k8s-release.md")
        func at(_ plan: Plan, _ line: Int) -> PlannedItem { plan.items.first { $0.item.line == line }! }
        #expect(at(payments, 41).params["refuse"] == .list(["1.0", "1.1"]))
        #expect(at(payments, 41).params.string("min") == "1.2")
        #expect(at(payments, 11).params.threshold == Threshold(metric: "branch", op: ">=", value: 70, unit: "%"))
        #expect(at(payments, 65).params.int("min") == 10 && at(payments, 65).params.int("max") == 40)
        #expect(at(payments, 71).params.string("name") == "payments-gateway-3.8.0")
        let rails = try loadPlan("fixtures/checklists/storefront-rails-cutover.md")
        #expect(at(rails, 39).params.threshold?.op == ">=")  // "no lower than"
        #expect(at(rails, 40).params.int("min") == 5 && at(rails, 40).params.int("max") == 25)
        #expect(at(rails, 42).params.int("min") == 500)
    }

    @Test("every param the recognizers give is one its kind reads (the registry), so none is silently ignored")
    func paramsAreRead() throws {
        let files =
            [
                "checklists/sprint5-production.md", "checklists/orders-service-release.md",
                "fixtures/checklists/annotated.md",
            ]
            + [
                "courier-backend-ship.md", "ingest-api-release.md", "payments-k8s-release.md",
                "storefront-rails-cutover.md",
            ]
            .map { "fixtures/checklists/" + $0 }
        var checked = 0
        for file in files {
            for item in try loadPlan(file).items {
                // metric_assumed is the recognizer's note for the report ("< 500ms" read as p95), not an input.
                for (key, value) in item.params.pairs where key != "metric_assumed" {
                    checked += 1
                    #expect(
                        Kind.unknownParameter(key, of: item.kind) == nil,
                        "\(file):\(item.item.line) \(item.kind) \(key): \(item.item.text)")
                    // And of the type the registry declares (a list where a list is read, a threshold…).
                    if let spec = Kind.spec(of: item.kind)?.param(key) {
                        #expect(
                            spec.accepts(value),
                            "\(file):\(item.item.line) \(item.kind) \(key)=\(value): not \(spec.type)")
                    }
                }
            }
        }
        #expect(checked > 200)
        #expect(
            Kind.unknownParameter("mdoe", of: Kind(.sqlite, "journal_mode"))?.contains("did you mean `mode`?") == true)
    }

    @Test("the canary secrets in these checklists appear nowhere in their plans")
    func canaries() throws {
        for file in ["payments-k8s-release.md", "ingest-api-release.md", "storefront-rails-cutover.md"] {
            let json = try loadPlan("fixtures/checklists/\(file)").json.serialized()
            for canary in ["Xk9-pipeline", "sk_live_51Hq8ZpAbCdEf", "L3dgerR0ll!", "bramble-staging-77"] {
                #expect(!json.contains(canary), "\(canary) in the plan of \(file)")
            }
        }
    }
}
