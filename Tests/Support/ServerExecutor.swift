import Foundation

/// The executor of the HTTP servers that tests start inside the test process (the loopback servers, the stand-in
/// model). Swift's cooperative pool has as many threads as cores: two on a 2-core machine. A test that keeps both busy
/// (CPU-bound work, a blocking call) would otherwise leave an in-process server unable to answer, and a probe of it
/// would time out with nothing received, failing a test that has nothing to do with the stall. Started with
/// `Task(executorPreference: ServerExecutor.shared)`, a server and its connections' child tasks run on Dispatch
/// threads instead, which Dispatch adds when others are blocked.
public final class ServerExecutor: TaskExecutor {
    public static let shared = ServerExecutor()
    private let queue = DispatchQueue(label: "gonogo.test-servers", attributes: .concurrent)

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }
}
