import Foundation
import TestSupport
import Testing

/// chat-api's connections under clients that misbehave: idle, slow with their headers, malformed bodies, bodies past
/// the limit. Raw sockets on loopback, against the built executable with `HTTP_IDLE_TIMEOUT=2`.
@Suite("chat-api: connection hygiene")
struct ConnectionHygieneTests {
    /// A TCP connection to 127.0.0.1:port with reads bounded at `seconds`.
    final class Connection: @unchecked Sendable {
        let fd: Int32

        init(port: Int, seconds: Int = 30) throws {
            fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard connected == 0 else { throw ServerProcess.ServerError(description: "cannot connect to \(port)") }
            var tv = timeval(tv_sec: seconds, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        }

        deinit { close(fd) }

        func send(_ text: String) {
            _ = text.utf8CString.withUnsafeBufferPointer {
                Glibc.send(fd, $0.baseAddress, $0.count - 1, Int32(MSG_NOSIGNAL))
            }
        }

        /// Everything the server sends until it closes the connection (nil when the read timed out first).
        func readToClose() -> String? {
            var out = [UInt8]()
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = recv(fd, &buffer, buffer.count, 0)
                if n == 0 { return String(decoding: out, as: UTF8.self) }
                if n < 0 { return errno == EAGAIN || errno == EWOULDBLOCK ? nil : String(decoding: out, as: UTF8.self) }
                out += buffer[0..<n]
            }
        }
    }

    static func port(_ service: LiveService) -> Int { Int(service.base.split(separator: ":").last!)! }

    @Test("an idle client and one sending its headers slowly are both dropped")
    func idleAndSlow() async throws {
        let service = try await LiveService(["HTTP_IDLE_TIMEOUT": "2"])
        let port = Self.port(service)
        let idle = try Connection(port: port)
        let slow = try Connection(port: port)
        slow.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        // Closed by the server: the reads end with end-of-stream well before their own 30 s bound.
        #expect(try await Blocking.run { idle.readToClose() } == "")
        #expect(try await Blocking.run { slow.readToClose() } == "")
    }

    @Test("a malformed chunked body answers 400, not 500; a body past the limit 413 with Connection: close")
    func malformedAndTooLarge() async throws {
        let service = try await LiveService(["HTTP_IDLE_TIMEOUT": "2"])
        let port = Self.port(service)
        let chunked = try Connection(port: port)
        chunked.send(
            "POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\n\r\nzzzz\r\n{}\r\n0\r\n\r\n")
        let answer = try await Blocking.run { chunked.readToClose() } ?? ""
        #expect(answer.hasPrefix("HTTP/1.1 400"), "\(answer.prefix(300))")

        let large = try Connection(port: port)
        large.send(
            "POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: 1000000000\r\n\r\n" + String(repeating: "x", count: 70_000))
        let refused = try await Blocking.run { large.readToClose() } ?? ""
        #expect(refused.hasPrefix("HTTP/1.1 413"), "\(refused.prefix(300))")
        #expect(refused.lowercased().contains("connection: close"), "\(refused.prefix(300))")
    }

    @Test("a body that is not declared JSON answers 415, and nothing is read from it")
    func notJSON() async throws {
        let service = try await LiveService()
        let answer = try await service.call(
            "POST", "/api/auth/login", body: ["username": "alice", "password": "pw-alice-123456"],
            headers: ["Content-Type": "text/plain"])
        #expect(answer.status == 415)
        let json = try await service.call(
            "POST", "/api/auth/login", body: ["username": "alice", "password": "pw-alice-123456"])
        #expect(json.status == 200)
    }

    @Test("a JSON body that names a key twice answers 400 naming it, escaped or not; each key once logs in")
    func duplicateKeys() async throws {
        let service = try await LiveService()
        for body in [
            #"{"username": "mallory", "username": "alice", "password": "pw-alice-123456"}"#,
            #"{"username": "mallory", "\u0075sername": "alice", "password": "pw-alice-123456"}"#,
        ] {
            let answer = try await service.call("POST", "/api/auth/login", rawBody: body)
            #expect(answer.status == 400, "\(body)")
            let message = (answer.json["error"] as? [String: Any])?["message"] as? String ?? ""
            #expect(message.contains("\"username\" twice"), "\(answer.json)")
        }
        let once = try await service.call(
            "POST", "/api/auth/login", rawBody: #"{"username": "alice", "password": "pw-alice-123456"}"#)
        #expect(once.status == 200)
    }
}
