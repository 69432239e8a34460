import Foundation

/// A loopback listener on a free port. `closing`: accepts and closes each connection at once; otherwise it never
/// accepts (the kernel completes the TCP handshake; nothing is ever said).
final class LoopbackListener: @unchecked Sendable {
    let fd: Int32
    let port: Int
    let thread: Thread?

    init(closing: Bool) {
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
            closing
            ? Thread {
                while true {
                    let client = accept(listening, nil, nil)
                    if client < 0 { return }  // the listener was shut down
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
