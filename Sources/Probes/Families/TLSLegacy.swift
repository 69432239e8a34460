import Foundation

/// SSLv2 and SSLv3, which the OpenSSL gonogo links (3.x, built without either) cannot offer: a ClientHello made by
/// hand, as testssl.sh sends one from its own sockets, and the first bytes of the answer read. A server that answers
/// with a hello of that version accepts it; an alert, a hang-up or a hello of a later version refuses it.
enum LegacyHello {
    enum Answer: Equatable {
        case accepted
        case refused(String)
    }

    /// SSLv3: a TLS-style record of version 3.0 offering the suites SSLv3 servers chose from.
    static func sslv3(host: String, port: Int, timeout: Duration) throws -> Answer {
        // RC4, 3DES, DES, AES and the export suites, with and without (EC)DHE, as SSLv3 servers offered them.
        let suites: [UInt16] = [
            0xC014, 0xC013, 0xC00A, 0xC009, 0x0039, 0x0038, 0x0035, 0x0033, 0x0032, 0x002F, 0x0016, 0x0013, 0x000A,
            0x0009, 0x0005, 0x0004, 0x0003, 0x0006, 0x0008, 0x0014, 0x0011, 0x0001, 0x0002, 0x0018, 0x001A, 0x001B,
            0x0034, 0x003A, 0xC011, 0xC012, 0xC007, 0xC008,
        ]
        var body: [UInt8] = [0x03, 0x00] + random(32) + [0x00]  // client_version 3.0, random, no session id
        body += be16(suites.count * 2) + suites.flatMap { be16(Int($0)) }
        body += [0x01, 0x00]  // one compression method: none
        let handshake: [UInt8] = [0x01] + be24(body.count) + body  // ClientHello
        let record: [UInt8] = [0x16, 0x03, 0x00] + be16(handshake.count) + handshake
        return try exchange("SSLv3", host: host, port: port, timeout: timeout, send: record) { read in
            guard let header = try read(5) else { return .refused("the server closed the connection") }
            switch header[0] {
            case 0x15:  // an alert
                let alert = try read(2)
                return .refused("the server answered with alert \(alert.map { String($0[1]) } ?? "?")")
            case 0x16:
                // A handshake record: the ServerHello's version is after its 4-byte header (within this record).
                guard Int(header[3]) << 8 | Int(header[4]) >= 6, let hello = try read(6), hello[0] == 0x02 else {
                    return .refused("the server answered with no ServerHello")
                }
                return hello[4] == 0x03 && hello[5] == 0x00
                    ? .accepted : .refused("the server answered with version \(hello[4]).\(hello[5])")
            default:
                throw ProbeError.tls("the server's answer to an SSLv3 hello is not TLS: is this a TLS port?")
            }
        }
    }

    /// SSLv2: the two-byte-header CLIENT-HELLO of version 2 with its seven cipher kinds.
    static func sslv2(host: String, port: Int, timeout: Duration) throws -> Answer {
        let kinds: [UInt8] = [
            0x01, 0x00, 0x80, 0x02, 0x00, 0x80, 0x03, 0x00, 0x80, 0x04, 0x00, 0x80, 0x05, 0x00, 0x80, 0x06, 0x00, 0x40,
            0x07, 0x00, 0xC0,
        ]
        let body: [UInt8] = [0x01, 0x00, 0x02] + be16(kinds.count) + be16(0) + be16(16) + kinds + random(16)
        let message: [UInt8] = [0x80 | UInt8(body.count >> 8), UInt8(body.count & 0xFF)] + body
        return try exchange("SSLv2", host: host, port: port, timeout: timeout, send: message) { read in
            guard let header = try read(3) else { return .refused("the server closed the connection") }
            // An SSLv2 record has the high bit of its first byte set; SERVER-HELLO is message 4.
            if header[0] & 0x80 != 0 && header[2] == 0x04 { return .accepted }
            // SSLv2's ERROR message (0): an SSLv2 server with nothing in common refuses.
            if header[0] & 0x80 != 0 && header[2] == 0x00 { return .refused("the server answered with an SSLv2 error") }
            if header[0] == 0x15 || header[0] == 0x16 { return .refused("the server answered with TLS, not SSLv2") }
            throw ProbeError.tls("the server's answer to an SSLv2 hello is not TLS: is this a TLS port?")
        }
    }

    /// Connects, sends `bytes`, and lets `decide` read the answer a few bytes at a time (nil at end of stream). A
    /// hang-up or a reset is a refusal; no answer within `timeout` (for the whole exchange, however the server
    /// trickles its bytes) or another socket error is thrown: nothing was decided.
    private static func exchange(
        _ name: String, host: String, port: Int, timeout: Duration, send bytes: [UInt8],
        decide: (_ read: (Int) throws -> [UInt8]?) throws -> Answer
    ) throws -> Answer {
        let deadline = ContinuousClock.now + timeout
        let fd = try TCP.connect(host: host, port: port, timeout: timeout)
        defer { close(fd) }
        func failure(_ what: String) -> ProbeError {
            ProbeError.tls(reason: what, handshake: false, "\(name) hello to \(host):\(port): \(what)")
        }
        let sent = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        if sent != bytes.count {
            if sent < 0 && (errno == EPIPE || errno == ECONNRESET) {
                return .refused("the server closed the connection")
            }
            throw failure(sent < 0 ? String(cString: strerror(errno)) : "the hello was not sent whole")
        }
        return try decide { count in
            var buffer = [UInt8](repeating: 0, count: count)
            var have = 0
            while have < count {
                let left = ContinuousClock.now.duration(to: deadline)
                guard left > .zero else { throw failure("no answer within \(seconds(timeout))") }
                var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                let ready = poll(&poller, 1, Int32(max(1, left.wholeMilliseconds)))
                if ready == 0 { throw failure("no answer within \(seconds(timeout))") }
                if ready < 0 {
                    if errno == EINTR { continue }
                    throw failure(String(cString: strerror(errno)))
                }
                let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress! + have, count - have, 0) }
                if n > 0 {
                    have += n
                } else if n == 0 || errno == ECONNRESET || errno == EPIPE {
                    return nil  // the server hung up
                } else if errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK {
                    throw failure(String(cString: strerror(errno)))
                }
            }
            return buffer
        }
    }

    private static func be16(_ n: Int) -> [UInt8] { [UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)] }
    private static func be24(_ n: Int) -> [UInt8] { [UInt8(n >> 16 & 0xFF)] + be16(n) }
    private static func random(_ n: Int) -> [UInt8] { (0..<n).map { _ in UInt8.random(in: 0...255) } }
}
