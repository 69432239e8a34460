import Testing

@testable import Verify

@Suite("The live progress line's words")
struct ProgressTextTests {
    @Test("a latency item counts down its warm-up and sampling; another check counts up")
    func words() {
        let sampling = ProgressText.running(
            done: 3, total: 10, id: "performance/history-retrieval", elapsed: .milliseconds(2500),
            expected: .seconds(6))
        #expect(sampling == "[3/10] sampling performance/history-retrieval · 3 s left")
        let late = ProgressText.running(
            done: 3, total: 10, id: "performance/history-retrieval", elapsed: .seconds(7), expected: .seconds(6))
        #expect(late.hasSuffix("· finishing"))
        let running = ProgressText.running(
            done: 0, total: 2, id: "build/slow", elapsed: .milliseconds(3200), expected: nil)
        #expect(running == "[0/2] running build/slow · 3 s")
    }
}
