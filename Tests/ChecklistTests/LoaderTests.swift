import Foundation
import TestSupport
import Testing

@testable import Checklist

@Suite("Loader")
struct LoaderTests {
    let dir: URL

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("gonogo-loader-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let url = dir.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    @Test("a missing file is notFound, naming the path")
    func missing() {
        let path = dir.appendingPathComponent("nope.md").path
        #expect(throws: ChecklistError.notFound(path)) { try ChecklistLoader.load(path: path) }
    }

    @Test("a directory is refused")
    func directory() {
        #expect(throws: ChecklistError.isDirectory(dir.path)) { try ChecklistLoader.load(path: dir.path) }
    }

    @Test("an empty or blank file is refused")
    func empty() throws {
        let a = try write("empty.md", [])
        let b = try write("blank.md", Array(" \n\t\r\n".utf8))
        #expect(throws: ChecklistError.empty(a)) { try ChecklistLoader.load(path: a) }
        #expect(throws: ChecklistError.empty(b)) { try ChecklistLoader.load(path: b) }
    }

    @Test("invalid UTF-8 is refused with the line of the first bad byte")
    func notUTF8() throws {
        let path = try write("latin1.md", Array("- [ ] one\n- [ ] caf".utf8) + [0xE9] + Array("\n".utf8))
        #expect(throws: ChecklistError.notUTF8(path, line: 2, byteOffset: 0)) { try ChecklistLoader.load(path: path) }
    }

    @Test("a NUL byte means a binary file")
    func binary() throws {
        let path = try write("bin.md", Array("- [ ] a\n".utf8) + [0, 1, 2])
        #expect(throws: ChecklistError.binary(path, line: 2)) { try ChecklistLoader.load(path: path) }
    }

    @Test("a byte-order mark is skipped and the digest is the file's sha256")
    func bomAndDigest() async throws {
        let path = try write("bom.md", [0xEF, 0xBB, 0xBF] + Array("- [ ] a\n".utf8))
        let doc = try ChecklistLoader.load(path: path)
        #expect(doc.items.map(\.text) == ["a"])
        #expect(doc.items[0].line == 1)
        // sha256 of EF BB BF "- [ ] a\n", computed independently by sha256sum.
        let digest = try await shell("sha256sum '\(path)' | cut -d' ' -f1")
        #expect(doc.sha256 == digest)
    }

    /// What `command` printed, run by /bin/sh on a thread of its own (see Tests/Support/AsyncRun.swift).
    func shell(_ command: String) async throws -> String {
        try await Shell.run("/bin/sh", ["-c", command]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
