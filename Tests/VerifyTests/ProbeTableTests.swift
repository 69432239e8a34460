import Catalog
import Checklist
import Foundation
import Probes
import Results
import TestSupport
import Testing
import Verify

/// A kind is declared once (`Kind.registry`); these tests hold every probe to it, so a registered kind without a
/// probe, or a probe case without a registered kind, fails here instead of at a user's run. Serialized: one test
/// registers a family of its own for a while.
@Suite(.serialized) struct ProbeTableTests {
    static let automated = Kind.registry.map(\.kind).filter { $0.family.isAutomated }

    @Test("every registered kind has exactly its family's probe, which claims it; every claimed kind is registered")
    func claims() {
        for kind in Self.automated {
            let probe = ProbeTable.byFamily[kind.family]
            #expect(probe != nil, "no probe for the family of \(kind)")
            #expect(probe?.kinds.contains(kind) == true, "\(kind) is registered, but its probe does not claim it")
        }
        for (family, probe) in ProbeTable.byFamily {
            #expect(family.isAutomated)
            for kind in probe.kinds {
                #expect(kind.family == family, "\(kind) claimed by the \(family) probe")
                #expect(Kind.spec(of: kind) != nil, "\(kind) is claimed by a probe but not declared in Kind.registry")
            }
            #expect(Set(probe.kinds).count == probe.kinds.count, "\(family) claims a kind twice")
        }
    }

    /// An item of `kind` with every param the registry declares, filled with a value of its type.
    static func item(_ kind: Kind) throws -> PlannedItem {
        let plan = try Planner.plan(ChecklistParser.parse("- [ ] probe me\n", path: "probe.md"))
        var item = try #require(plan.items.first)
        item.kind = kind
        var params = Params()
        for spec in Kind.spec(of: kind)?.params ?? [] {
            switch spec.type {
            case .text: params[spec.name] = .string(spec.name == "path" ? "/missing" : "x")
            case .integer: params[spec.name] = .int(1)
            case .flag: params[spec.name] = .bool(false)
            case .list: params[spec.name] = .list(["x"])
            case .threshold: params[spec.name] = .threshold(Threshold(metric: "p95", op: "<", value: 1, unit: "ms"))
            }
        }
        item.params = params
        return item
    }

    @Test("every probe runs every kind it claims (nothing reachable: an error or a fail, never 'cannot run')")
    func everyKindRuns() async throws {
        let root = try Executables.temporaryDirectory("gonogo-probe-table")
        let closed = try Ports.free()
        var settings = ProbeSettings()
        settings.root = root.path
        settings.apiURL = "http://127.0.0.1:\(closed)"
        settings.frontendURL = "http://127.0.0.1:\(closed)"
        settings.databaseURL = "postgresql://gonogo@127.0.0.1:\(closed)/none?connect_timeout=2"
        settings.sqlite = root.path + "/missing.db"
        settings.http.latency = LatencySettings(rate: 5, duration: .milliseconds(200), warmup: .zero)
        settings.http.timeout = .seconds(2)
        let context = ProbeContext(settings: settings, environment: Environment(files: [], process: [:]))
        for kind in Self.automated {
            let probe = try #require(ProbeTable.byFamily[kind.family])
            let outcome = await probe.run(try Self.item(kind), in: context)
            #expect(outcome != .unsupported(kind), "the \(kind.family) probe has no case for \(kind)")
        }
        // The runner asks through `check`: a kind its probe does not claim gets exactly that answer, unrun.
        for (family, probe) in ProbeTable.byFamily {
            let unknown = Kind(family, "not_a_kind")
            #expect(await probe.check(try Self.item(unknown), in: context) == .unsupported(unknown), "\(family)")
        }
    }

    /// A family declared the way a new one is: its kinds and rule carried by its probe, in one file.
    struct ExampleProbe: Probe {
        static let family = Family(rawValue: "example")
        let kinds = [Kind(ExampleProbe.family, "word")]

        var declaration: FamilyDeclaration? {
            FamilyDeclaration(
                family: Self.family,
                kinds: [KindSpec(Kind(Self.family, "word"), "the example word is the one expected", [.text("word")])],
                rules: [
                    { c in
                        guard c.own.has("example word"), let word = c.code.first else { return nil }
                        return Recognition(
                            Kind(ExampleProbe.family, "word"), [("word", .string(word))], rule: "example")
                    }
                ])
        }

        func run(_ item: PlannedItem, in context: ProbeContext) async -> Outcome {
            let word = item.params.string("word") ?? ""
            return .check(
                word == "ok", expected: "ok", observed: word, pass: "the word is ok", fail: "the word is \(word)")
        }
    }

    @Test("a family declared with its probe is recognised, validated in annotations, listed, and run")
    func declaredFamily() async throws {
        let family = ExampleProbe.family
        FamilyRegistry.register([try #require(ExampleProbe().declaration)])
        defer { FamilyRegistry.remove(family) }
        #expect(Family.allCases.contains(family))
        #expect(Kind(parsing: "example.word") == Kind(family, "word"))
        let plan = try Planner.plan(
            ChecklistParser.parse(
                """
                - [ ] The example word is `ok`
                - [ ] The example word is `no`
                - [ ] Checked by hand <!-- gonogo: example.word word=ok -->
                """, path: "example.md"))
        #expect(plan.items.map(\.kind) == Array(repeating: Kind(family, "word"), count: 3))
        #expect(plan.items[0].rule == "example")
        // A misspelt param of the new kind is refused at its line, as for any kind.
        #expect(throws: ChecklistError.self) {
            try Planner.plan(ChecklistParser.parse("- [ ] x <!-- gonogo: example.word wrod=ok -->\n", path: "e.md"))
        }
        var options = VerifyOptions()
        options.gate = .ci
        let run = await Verifier.run(
            plan: plan, options: options, environment: Environment(files: [], process: [:]),
            probes: [family: ExampleProbe()])
        #expect(run.results.map(\.status) == [.pass, .fail, .pass])
        // Gone again: the catalog no longer knows it.
        FamilyRegistry.remove(family)
        #expect(Kind(parsing: "example.word") == nil)
    }
}
