import Foundation
import HTTPTypes
import Hummingbird
import Synchronization
import TestSupport

/// A real HTTP server on a free loopback port for in-process runner tests: it records every request (path and
/// arrival) and answers with what `answer` says for it; `/hang` never answers.
final class LoopbackServer: Sendable {
    struct Arrival: Sendable {
        let path: String
        let at: ContinuousClock.Instant
    }

    /// The status and headers to answer a request for `path`, given how many requests that path had before it.
    typealias Answer = @Sendable (_ path: String, _ count: Int) -> (status: Int, headers: [String: String])

    let port: Int
    var baseURL: String { "http://127.0.0.1:\(port)" }
    private let task: Task<Void, any Error>
    private let log: Log

    /// The request log, shared between the route and the test.
    final class Log: Sendable {
        let arrivals = Mutex<[Arrival]>([])
        func withLock<T: Sendable>(_ body: (inout [Arrival]) -> T) -> T { arrivals.withLock { body(&$0) } }
    }

    private init(port: Int, task: Task<Void, any Error>, log: Log) {
        self.port = port
        self.task = task
        self.log = log
    }

    /// The requests for `path` received so far.
    func count(_ path: String) -> Int { log.withLock { $0.filter { $0.path == path }.count } }

    var arrivals: [Arrival] { log.withLock { $0 } }

    static func start(_ answer: @escaping Answer) async throws -> LoopbackServer {
        let log = Log()
        let router = Router()
        router.get("**") { request, _ -> Response in
            let path = request.uri.path
            let before = log.withLock {
                let n = $0.filter { $0.path == path }.count
                $0.append(Arrival(path: path, at: .now))
                return n
            }
            // `/hang` never answers (until the server stops): a request in flight for as long as a test needs.
            if path == "/hang" { try await Task.sleep(for: .seconds(3600)) }
            let (status, extra) = answer(path, before)
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            for (name, value) in extra { headers[HTTPField.Name(name)!] = value }
            return Response(
                status: .init(code: status), headers: headers,
                body: .init(byteBuffer: ByteBuffer(string: #"{"status":"ok"}"#)))
        }
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: "loopback"),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            })
        let task = Task(executorPreference: ServerExecutor.shared) { try await app.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else {
            task.cancel()
            throw CancellationError()
        }
        return LoopbackServer(port: port, task: task, log: log)
    }

    func stop() async {
        task.cancel()
        _ = await task.result
    }
}

/// A Hummingbird router served on a free loopback port, for tests whose server answers more than a status: the task
/// running it (cancel it to stop) and the port.
enum LoopbackApp {
    static func serve(_ router: Router<BasicRequestContext>) async -> (Task<Void, any Error>, Int) {
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            })
        let task = Task(executorPreference: ServerExecutor.shared) { try await app.run() }
        var iterator = ports.makeAsyncIterator()
        return (task, await iterator.next() ?? 0)
    }
}
