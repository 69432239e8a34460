import Catalog
import Checklist
import DotEnv
import Foundation
import Probes
import Results
import Verify

/// One input through the reader its first byte picks: a checklist (parsed and planned), gonogo.yml, an env file, an
/// attestations file or a waivers file. Errors are the expected answer to bad input; only a crash, a hang or a
/// leak past libFuzzer's limits is a finding. `scripts/fuzz` builds this with `-sanitize=fuzzer` (libFuzzer's own
/// `main`); the ordinary build (no FUZZING) gets the replay `main` below, which the tests run on every saved input.
enum FuzzTarget {
    static let ready: Void = ProbeTable.bootstrap()

    static let readers = ["checklist", "config", "env", "attestations", "waivers"]

    static func run(_ bytes: UnsafeBufferPointer<UInt8>) {
        _ = ready
        guard let selector = bytes.first else { return }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes.dropFirst()), as: UTF8.self)
        switch Int(selector) % readers.count {
        case 0:
            if let document = try? ChecklistParser.parse(text, path: "fuzz.md") { _ = try? Planner.plan(document) }
        case 1: _ = try? VerifyConfig.parse(text, file: "fuzz.yml", environment: ["HOME": "/tmp"])
        case 2: _ = try? DotEnv.parse(text, file: "fuzz.env")
        case 3: _ = try? AttestationFile.parse(text, file: "attestations.yml")
        default: _ = try? WaiverFile.parse(text, file: "waivers.yml")
        }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    FuzzTarget.run(UnsafeBufferPointer(start: data, count: size))
    return 0
}

#if FUZZING
    /// libFuzzer's driver, called from our `main` (SwiftPM names an executable's entry point itself, so libFuzzer's
    /// own `main` is not the one that runs).
    @_silgen_name("LLVMFuzzerRunDriver")
    func LLVMFuzzerRunDriver(
        _ argc: UnsafeMutablePointer<CInt>,
        _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
        _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
    ) -> CInt

    @main
    struct Fuzz {
        static func main() {
            var argc = CommandLine.argc
            var argv = CommandLine.unsafeArgv
            exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzOne))
        }
    }
#else
    /// Replays inputs without libFuzzer: `gonogo-fuzz FILE...` runs each file once, as the fuzzer would, and exits 0
    /// when none crashed (a crash ends the process, which is the failure).
    @main
    struct Replay {
        static func main() {
            for path in CommandLine.arguments.dropFirst() {
                guard let data = FileManager.default.contents(atPath: path) else {
                    FileHandle.standardError.write(Data("gonogo-fuzz: cannot read \(path)\n".utf8))
                    exit(2)
                }
                data.withUnsafeBytes { FuzzTarget.run($0.bindMemory(to: UInt8.self)) }
            }
        }
    }
#endif
