import ArgumentParser
import Foundation
import History
import Results

extension GoNoGo {
    /// `gonogo diff OLD NEW`: what regressed, what was fixed, what moved between two runs.
    struct DiffCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "diff",
            abstract: "Compare two runs: what regressed, what was fixed, which observed values changed.",
            discussion: """
                OLD and NEW are report.json files (gonogo verify --out DIR writes one), or runs of a history \
                database (verify --history URL): run:ID, last, or last~N (N runs before the newest). Exit codes: 0 nothing regressed, 1 an item got worse (now \
                failing, erroring or warning) or the verdict went from GO to NO-GO, 2 a report or the history could \
                not be read.

                Examples:
                  gonogo diff yesterday/report.json today/report.json
                  gonogo diff last~1 last --history gonogo-history.db
                  gonogo diff run:12 run:15 \\
                      --history postgres://gonogo@db.internal/gonogo
                """)

        @Argument(help: "The earlier run: a report.json, or run:ID, last, last~N of the history.")
        var old: String

        @Argument(help: "The later run, the same way.")
        var new: String

        @Option(
            help: ArgumentHelp(
                "The history database for run:ID, last and last~N (default: \(History.defaultFile)).",
                valueName: "url"))
        var history: String?

        func run() throws {
            do {
                var store: (any HistoryStore)?
                func record(_ reference: String) throws -> RunRecord {
                    guard let position = HistoryReference(reference) else {
                        return try RunRecord.load(report: reference)
                    }
                    // Reading a history never makes one: no default file here is an error, not an empty database.
                    if history == nil, !FileManager.default.fileExists(atPath: History.defaultFile) {
                        throw HistoryError(
                            "\(reference) is a run of a history, and there is no \(History.defaultFile) here: give "
                                + "--history URL, or two report.json files")
                    }
                    if store == nil { store = try History.open(history ?? History.defaultFile, create: false) }
                    return try position.resolve(in: store!, history: history ?? History.defaultFile)
                }
                let before = try record(old)
                let after = try record(new)
                let diff = RunDiff(old: before, new: after)
                writeStdout(diff.text(oldName: old, newName: new))
                if diff.regression { throw ExitCode(1) }
            } catch let error as HistoryError {
                writeError(error.description)
                throw ExitCode(2)
            }
        }
    }

    /// `gonogo history`: the runs a history database holds, and the items that flipped most.
    struct HistoryCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "history",
            abstract: "List the runs kept by verify --history, and the items whose status flipped most.",
            discussion: """
                Examples:
                  # gonogo-history.db in this directory
                  gonogo history
                  gonogo history --history postgres://gonogo@db.internal/gonogo \\
                      --checklist checklists/release.md
                """)

        @Option(
            help: ArgumentHelp("The history database (default: \(History.defaultFile)).", valueName: "url"))
        var history: String?

        @Option(help: ArgumentHelp("Only runs of this checklist (its path as the reports give it).", valueName: "path"))
        var checklist: String?

        @Option(help: "How many of the newest runs to list and count flips over.")
        var limit = 20

        func validate() throws {
            guard (1...10_000).contains(limit) else { throw ValidationError("--limit must be from 1 to 10000") }
        }

        func run() throws {
            let url = history ?? History.defaultFile
            do {
                if history == nil, !FileManager.default.fileExists(atPath: url) {
                    throw HistoryError(
                        "no \(url) here: gonogo verify --history \(url) keeps runs there (or give --history URL)")
                }
                let store = try History.open(url, create: false)
                let runs = try store.runs(checklist: checklist, limit: limit)
                guard !runs.isEmpty else {
                    writeStdout("No runs in \(RunIdentity.shown(url))\(checklist.map { " of \($0)" } ?? "").\n")
                    return
                }
                var out = "Runs (newest first)\n"
                for r in runs {
                    let counts = History.statuses.compactMap { s in
                        (r.counts[s] ?? 0) > 0 ? "\(r.counts[s]!) \(s)" : nil
                    }
                    out += "  run:\(r.id ?? 0)  \(r.line)  \(r.checklist)  \(counts.joined(separator: " · "))\n"
                }
                let flips = Flips.count(try store.statuses(of: runs.compactMap(\.id))).prefix(10)
                out += "\nItems that flipped most (over these \(runs.count) runs)\n"
                out += flips.isEmpty ? "  none: every item kept its status\n" : ""
                for f in flips { out += "  \(f.flips)×  \(f.item)\n" }
                writeStdout(out)
            } catch let error as HistoryError {
                writeError(error.description)
                throw ExitCode(2)
            }
        }
    }
}

/// `run:12`, `last`, `last~2`: a run of the history, by id or counted back from the newest.
struct HistoryReference {
    enum Position { case id(Int64), back(Int) }
    let position: Position

    init?(_ text: String) {
        if text.hasPrefix("run:"), let id = Int64(text.dropFirst(4)) {
            position = .id(id)
        } else if text == "last" {
            position = .back(0)
        } else if text.hasPrefix("last~"), let n = Int(text.dropFirst(5)), n >= 0, n < 10_000 {
            position = .back(n)
        } else {
            return nil
        }
    }

    func resolve(in store: any HistoryStore, history: String) throws -> RunRecord {
        switch position {
        case .id(let id):
            guard let record = try store.run(id: id) else {
                throw HistoryError("run:\(id) is not in \(RunIdentity.shown(history)) (gonogo history lists the runs)")
            }
            return record
        case .back(let n):
            let runs = try store.runs(checklist: nil, limit: n + 1)
            guard runs.count > n, let id = runs[n].id, let record = try store.run(id: id) else {
                throw HistoryError(
                    "\(RunIdentity.shown(history)) holds \(runs.count) run\(runs.count == 1 ? "" : "s"): "
                        + "no last~\(n) (gonogo history lists the runs)")
            }
            return record
        }
    }
}
