import Foundation
import TestSupport

// The fixtures that run `gonogo` or other programs, from async code: the wait happens on a thread of its own, never
// on one of the cooperative pool's threads (see Tests/Support/AsyncRun.swift). The blocking versions stay for code
// already inside `Blocking.run`.

extension VerifyFixture {
    static func make() async throws -> URL { try await Blocking.run { try make() } }
}

extension SignoffFixture {
    static func make() async throws -> URL { try await Blocking.run { try make() } }

    static func attest(_ dir: URL, _ arguments: [String]) async throws -> Run {
        try await Blocking.run { try attest(dir, arguments) }
    }

    static func verify(_ dir: URL, _ extra: [String]) async throws -> Run {
        try await Blocking.run { try verify(dir, extra) }
    }
}

extension SignedReportTests {
    static func validate(_ document: String, schema: String) async throws -> Run {
        try await Blocking.run { try validate(document, schema: schema) }
    }
}
