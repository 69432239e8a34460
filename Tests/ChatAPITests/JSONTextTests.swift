import Foundation
import Testing

@testable import ChatAPI

/// The history answer is JSON written by hand (``JSONText``): whatever a message holds, a JSON parser must read back
/// exactly the strings that went in.
@Suite("JSONText: hand-written JSON reads back as written")
struct JSONTextTests {
    @Test("quotes, backslashes, every control character, non-ASCII text and a lone slash survive a JSON parser")
    func roundTrip() throws {
        let controls = String((0..<0x20).map { Character(Unicode.Scalar(UInt8($0))) })
        let samples = [
            "", "plain", "say \"hi\"", "C:\\path\\to", controls, "line\nbreak\ttab\r", "ünïcødé 漢字 🙂", "a/b",
            "\u{7F}\u{2028}\u{2029}", String(repeating: "x\"", count: 1000),
        ]
        for sample in samples {
            var json = JSONText(capacity: 16)
            json.raw("{\"v\":")
            json.string(sample)
            json.raw(",\"n\":")
            json.number(-42)
            json.raw("}")
            let bytes = Data(json.buffer.readableBytesView)
            let object = try #require(try JSONSerialization.jsonObject(with: bytes) as? [String: Any])
            #expect(object["v"] as? String == sample, "\(sample.debugDescription)")
            #expect(object["n"] as? Int == -42)
        }
    }
}
