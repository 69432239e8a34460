import Foundation
import Testing

/// The in-process servers answer even when every thread of Swift's cooperative pool is taken (a CI failure once came
/// from this: four requests to an idle loopback server timed out with nothing received while other tests kept both
/// threads of a 2-core machine busy). See Tests/Support/ServerExecutor.swift.
@Suite struct ServerExecutorTests {
    /// A blocking GET of `/ready` on loopback `port`, from the calling thread; the response's first line, or nil after
    /// `timeout` seconds.
    static func blockingGet(port: Int, timeout: Int) -> String? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var tv = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        guard connected else { return nil }
        let request = Array("GET /ready HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8)
        guard send(fd, request, request.count, 0) == request.count else { return nil }
        var buffer = [UInt8](repeating: 0, count: 512)
        let n = recv(fd, &buffer, buffer.count, 0)
        guard n > 0 else { return nil }
        return String(decoding: buffer[..<n], as: UTF8.self).components(separatedBy: "\r\n").first
    }

    @Test("a loopback server answers while tests block every thread of the cooperative pool")
    func answersWhilePoolBlocked() async throws {
        let server = try await LoopbackServer.start { _, _ in (200, [:]) }
        // One blocking request per core, each holding a cooperative thread until it has its answer: with the server on
        // the cooperative pool, none could be answered before the timeout.
        let width = max(ProcessInfo.processInfo.activeProcessorCount, 2)
        let lines = await withTaskGroup(of: String?.self) { group in
            for _ in 0..<width { group.addTask { Self.blockingGet(port: server.port, timeout: 60) } }
            return await group.reduce(into: [String?]()) { $0.append($1) }
        }
        await server.stop()
        #expect(lines.count == width)
        #expect(lines.allSatisfy { $0 == "HTTP/1.1 200 OK" }, "\(lines)")
        #expect(server.count("/ready") == width)
    }
}
