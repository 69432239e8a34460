import Catalog
import Checklist
import Foundation
import Probes
import Results
import TestSupport
import Testing

@testable import Verify

/// A TCP relay on loopback that waits `delay` before passing each connection on to `port`: a TLS server slow enough
/// that a cipher scan (a handshake per suite) outlasts its check's timeout. Counts the connections it accepts.
final class SlowRelay: @unchecked Sendable {
    let port: Int
    private let fd: Int32
    private let lock = NSLock()
    private var accepted = 0
    var count: Int { lock.withLock { accepted } }

    init(to target: Int, delay: Duration) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let fd = fd
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        listen(fd, 64)
        port = Int(UInt16(bigEndian: address.sin_port))
        Thread { [self] in
            while true {
                let client = accept(fd, nil, nil)
                if client < 0 { return }
                lock.withLock { accepted += 1 }
                Thread {
                    // The server's slowness, not a wait for anything: each handshake starts `delay` late.
                    Thread.sleep(
                        forTimeInterval: Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18)
                    let upstream = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
                    var to = sockaddr_in()
                    to.sin_family = sa_family_t(AF_INET)
                    to.sin_addr.s_addr = inet_addr("127.0.0.1")
                    to.sin_port = in_port_t(UInt16(target).bigEndian)
                    let connected = withUnsafePointer(to: &to) {
                        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                            connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
                        }
                    }
                    guard connected else {
                        close(client)
                        close(upstream)
                        return
                    }
                    Thread { Self.pump(from: upstream, to: client) }.start()
                    Self.pump(from: client, to: upstream)
                }.start()
            }
        }.start()
    }

    /// Copies bytes until either side closes, then shuts both down.
    static func pump(from source: Int32, to sink: Int32) {
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while true {
            let n = recv(source, &buffer, buffer.count, 0)
            if n <= 0 || send(sink, buffer, n, Int32(MSG_NOSIGNAL)) != n { break }
        }
        shutdown(source, Int32(SHUT_RDWR))
        shutdown(sink, Int32(SHUT_RDWR))
    }

    func stop() {
        shutdown(fd, Int32(SHUT_RDWR))
        close(fd)
    }
}

/// A cipher scan cut by the run's deadline stops: no handshake of it reaches the server afterwards.
@Suite struct CipherScanStopTests {
    @Test("a cipher scan outlasting the run's --timeout ends as an error, and sends nothing more once it has")
    func scanStops() async throws {
        let dir = try Executables.temporaryDirectory("scan-stop")
        let (certificate, key) = try await Blocking.run { try Certificates.selfSigned(in: dir, rsa: true) }
        // Dozens of suites: the scan needs a handshake for each, 1.5 s late each (over a minute), far past the run's
        // 30 s. The run's clock starts before the check does: on a machine the other suites keep busy, the check may
        // start many seconds late, and 30 s leave it time to.
        let (server, port) = try await Blocking.run {
            try OpenSSLServer.start(
                certificate: certificate, key: key, ["-cipher", "ALL:@SECLEVEL=0"], directory: dir.path)
        }
        defer { server.kill() }  // SIGKILL: s_server inherits the test runner's blocked SIGTERM
        let relay = try SlowRelay(to: port, delay: .milliseconds(1500))
        defer { relay.stop() }
        let plan = try Planner.plan(
            try ChecklistParser.parse(
                "# TLS\n- [ ] Ciphers <!-- gonogo: tls.ciphers refuse=null -->\n", path: "scan.md"))
        var options = VerifyOptions()
        options.apiURL = "https://127.0.0.1:\(relay.port)"
        options.gate = .ci
        // The run's deadline cuts the check, long before the scan's own limit (the item's 300 s) would.
        options.itemTimeout = .seconds(300)
        options.timeout = .seconds(30)
        let run = await Verifier.run(plan: plan, options: options, environment: Environment(files: [], process: [:]))
        let result = try #require(run.results.first)
        #expect(result.status == .error, "\(result.outcome.message)")
        #expect(result.outcome.message.contains("(the run's --timeout)"), "\(result.outcome.message)")
        // A handshake under way at the cut may still connect; after it, nothing more: the scan stopped.
        let atReturn = relay.count
        #expect(atReturn > 1)
        let clock = ContinuousClock()
        let settleBy = clock.now.advanced(by: .seconds(1))
        var settled = relay.count
        while clock.now < settleBy {
            try await Task.sleep(for: .milliseconds(100))
            settled = relay.count
        }
        #expect(settled <= atReturn + 1, "\(atReturn) connections at the cut, \(settled) a second later")
        let holdUntil = clock.now.advanced(by: .seconds(2))
        while clock.now < holdUntil {
            #expect(relay.count == settled, "the scan went on after its check ended")
            try await Task.sleep(for: .milliseconds(200))
        }
    }
}
