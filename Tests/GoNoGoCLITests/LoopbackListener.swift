import Foundation

/// A loopback listener on a free port. `closing`: accepts and closes each connection at once; `answer`: answers each
/// connection's first bytes; otherwise it never accepts (the kernel completes the TCP handshake; nothing is ever said).
final class LoopbackListener: @unchecked Sendable {
    let fd: Int32
    let port: Int
    let thread: Thread?

    /// A listener that reads what each connection sends first (up to 4 KiB) and writes `answer(those bytes)` back,
    /// then closes it.
    convenience init(answer: @escaping @Sendable ([UInt8]) -> [UInt8]) {
        self.init(closing: false, answer: answer)
    }

    init(closing: Bool, answer: (@Sendable ([UInt8]) -> [UInt8])? = nil) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.fd = fd
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        listen(fd, 64)
        port = Int(UInt16(bigEndian: address.sin_port))
        let listening = fd
        thread =
            closing || answer != nil
            ? Thread {
                while true {
                    let client = accept(listening, nil, nil)
                    if client < 0 { return }  // the listener was shut down
                    if let answer {
                        var tv = timeval(tv_sec: 10, tv_usec: 0)
                        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
                        var buffer = [UInt8](repeating: 0, count: 4096)
                        let n = recv(client, &buffer, buffer.count, 0)
                        let reply = answer(Array(buffer.prefix(max(0, n))))
                        _ = reply.withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                        // Closed only once the client has: unread bytes at close would reset the connection and
                        // could discard the answer before the client reads it.
                        shutdown(client, Int32(SHUT_WR))
                        while recv(client, &buffer, buffer.count, 0) > 0 {}
                    }
                    close(client)
                }
            } : nil
        thread?.start()
    }

    func stop() {
        shutdown(fd, Int32(SHUT_RDWR))
        close(fd)
    }
}
