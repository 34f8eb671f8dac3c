import Foundation
import Subprocess

/// The `git` command line, run without a terminal: a repository that wants credentials fails
/// at once with git's own message instead of waiting for a password nobody will type.
enum Git {
    /// A git command that exited non-zero (or could not start), with what it printed.
    struct Failure: Error, CustomStringConvertible {
        var command: String
        var detail: String

        var description: String { "`\(command)` failed: \(detail)" }
    }

    /// Runs `git arguments…`, returning its standard output; throws `Failure` unless it exits 0.
    @discardableResult
    static func run(_ arguments: [String]) async throws -> String {
        let command = (["git"] + arguments).joined(separator: " ")
        let (status, output, errors): (TerminationStatus, String, String)
        do {
            let result = try await Subprocess.run(
                .name("git"), arguments: Arguments(arguments),
                environment: .inherit.updating(["GIT_TERMINAL_PROMPT": "0"]),
                output: .string(limit: 16 << 20), error: .string(limit: 4 << 20))
            (status, output, errors) = (result.terminationStatus, result.standardOutput, result.standardError)
        } catch {
            throw Failure(command: command, detail: "\(SystemError.reason(error)); is git installed (`apt-get install git`)?")
        }
        guard status.isSuccess else {
            let text = errors.trimmingCharacters(in: .whitespacesAndNewlines)
            let how = switch status {
            case .exited(let code): "exit status \(code)"
            case .signaled(let signal): "killed by signal \(signal)"
            }
            throw Failure(command: command, detail: "\(how): \(text.isEmpty ? "(no output)" : text)")
        }
        return output
    }

    /// Whether `git arguments…` exits 0, for questions such as "is this commit here?".
    static func succeeds(_ arguments: [String]) async throws -> Bool {
        do {
            try await run(arguments)
            return true
        } catch is Failure {
            return false
        }
    }
}
