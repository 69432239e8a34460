import NIOCore
import Testing

@testable import ChatAPI

@Suite("EventLines: a model's server-sent events split into lines as the bytes arrive")
struct EventLinesTests {
    @Test("lines end at LF, CRLF or CR, even when a buffer ends between CR and LF, inside a line or inside a letter")
    func endings() throws {
        var lines = EventLines()
        var seen: [String] = []
        let accent = Array("é".utf8)  // two bytes, sent in two buffers
        let parts: [[UInt8]] = [
            Array("data: a\r".utf8), Array("\ndata: b\rda".utf8), Array("ta: c\n\n".utf8),
            Array("data: ".utf8) + [accent[0]], [accent[1]] + Array("t\n".utf8),
        ]
        for part in parts { seen += try lines.feed(ByteBuffer(bytes: part)) }
        #expect(seen == ["data: a", "data: b", "data: c", "", "data: ét"])
    }

    @Test("past the byte cap the stream is refused with the reason, whatever its lines")
    func capped() throws {
        var lines = EventLines()
        let chunk = ByteBuffer(repeating: UInt8(ascii: "x"), count: 1 << 20)
        for _ in 0..<4 { _ = try lines.feed(chunk) }
        #expect(throws: OpenAIClient.Failure.self) { try lines.feed(ByteBuffer(string: "x")) }
    }
}
