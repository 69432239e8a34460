import ArgumentParser
import Checklist
import DotEnv
import Foundation
import Reports
import Results
import Verify

extension ReportFormat: ExpressibleByArgument {}

extension GoNoGo.VerifyCommand {
    func validate() throws {
        guard Gate(rawValue: gate) != nil else { throw ValidationError("--gate must be release or ci") }
        if let failOn, failOn != "warn" { throw ValidationError("--fail-on takes only `warn`") }
        if let concurrency, !(1...256).contains(concurrency) {
            throw ValidationError("--concurrency must be from 1 to 256")
        }
        if let timeout, !(timeout > 0 && timeout <= 86_400) {
            throw ValidationError("--timeout must be a number of seconds from 0 to 86400")
        }
        if out == nil, format.filter({ $0 != .text }).count > 1 {
            throw ValidationError(
                "several formats go to files: add --out DIR (e.g. --out gonogo-report --format junit --format html)"
            )
        }
        // The value is not repeated: given without its name, it may be a password.
        if connection.contains(where: { !$0.contains("=") || $0.hasPrefix("=") }) {
            throw ValidationError(
                "--connection takes NAME=VALUE, as in --connection redis_url=redis://127.0.0.1:6379")
        }
        if let push, !(push.hasPrefix("http://") || push.hasPrefix("https://")) {
            throw ValidationError(
                "--push takes the Pushgateway's http:// or https:// URL, as in http://127.0.0.1:9091")
        }
        if signKey != nil, out == nil {
            throw ValidationError("--sign-key signs report.json in --out DIR: add --out")
        }
    }

    /// Blocking work (a database) on a Dispatch thread, not on Swift's cooperative pool.
    static func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
        }
    }
}

extension VerifySession {
    /// ``prepare(_:)`` for a command: warnings on stderr; an input that cannot be read is exit code 2 with the file
    /// and line, a selection that selects nothing exit code 64.
    static func prepareForCommand(_ inputs: Inputs) throws -> VerifySession {
        var inputs = inputs
        inputs.warn = { writeAll("gonogo: warning: \($0)\n", to: 2) }
        do {
            return try prepare(inputs)
        } catch let error as SelectionError {
            writeError(error.description)
            throw ExitCode(64)
        } catch let error as ChecklistError {
            writeError(error.description)
            throw ExitCode(2)
        } catch let error as any InputError {  // a config, an env file, a sign-off file or a key
            writeError(error.description)
            throw ExitCode(2)
        }
    }
}
