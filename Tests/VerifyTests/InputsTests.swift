import Crypto
import DotEnv
import Foundation
import Signing
import Testing

@Suite struct DotEnvTests {
    @Test("quotes, export, comments and multi-line values; a bad line names its number")
    func parse() throws {
        let values = try DotEnv.parse(
            "# comment\nexport A=1\nB=\"two words\" # trailing\nC='single $X'\nD=\"line1\nline2\"\n\nE=\n",
            file: ".env")
        #expect(values["A"] == "1")
        #expect(values["B"] == "two words")
        #expect(values["C"] == "single $X")
        #expect(values["D"] == "line1\nline2")
        #expect(values["E"] == "")
        do {
            _ = try DotEnv.parse("A=1\nthis is not an assignment\n", file: ".env.bad")
            Issue.record("a line without = was accepted")
        } catch let error as InputFileError {
            #expect(error.description.hasPrefix(".env.bad:2:"), "\(error.description)")
        }
    }
}

@Suite struct SigningTests {
    @Test("a DSSE envelope verifies with its key, and not with another key or once altered")
    func envelope() throws {
        let key = P256.Signing.PrivateKey()
        let payload = Data(#"{"hello":"world"}"#.utf8)
        let envelope = try DSSE.sign(payload: payload, payloadType: "application/vnd.in-toto+json", key: key)
        let verified = try DSSE.verify(envelope: envelope, key: key.publicKey)
        #expect(verified.payload == payload)
        #expect(throws: DSSE.Failure.self) {
            try DSSE.verify(envelope: envelope, key: P256.Signing.PrivateKey().publicKey)
        }
        var text = String(decoding: envelope, as: UTF8.self)
        let encoded = payload.base64EncodedString()
        text = text.replacingOccurrences(of: encoded, with: Data(#"{"hello":"there"}"#.utf8).base64EncodedString())
        #expect(throws: DSSE.Failure.self) { try DSSE.verify(envelope: Data(text.utf8), key: key.publicKey) }
    }
}
