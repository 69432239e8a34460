import Foundation
import TestSupport
import Testing

/// Every input the fuzzer saved (and the hand-found ones beside them, fixtures/fuzz/README.md) runs through the same
/// readers as in fuzzing, in the ordinary build: a crash fails the test; so does a hang, caught by the subprocess
/// timeout.
@Suite("Fuzz regressions replay")
struct FuzzReplayTests {
    @Test("every saved input runs through its reader without a crash")
    func replay() async throws {
        let folder = Executables.repositoryRoot + "/fixtures/fuzz/regressions"
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).sorted().map { folder + "/" + $0 }
        #expect(files.count >= 7)
        for file in files {
            let run = try await Executables.run("gonogo-fuzz", [file])
            #expect(run.status == 0, "\(file): exit \(run.status) \(run.stderr.suffix(500))")
        }
    }
}
