import Foundation
import Subprocess
import SystemPackage

/// Runs the tools the tests need (openssl, tar, git, python3, …) through swift-subprocess and
/// waits for them. Not Foundation's `Process`: on Linux it walks every open descriptor when it
/// spawns, and crashed (SIGSEGV in `Process.run()`) in full test runs with >1000 open.
public enum ToolProcess {
    /// How a program ended and what it wrote.
    public struct Outcome: Sendable {
        /// The exit code, or 128 + the signal that ended it (as a shell reports it).
        public var status: Int32
        public var stdout: String
        public var stderr: String
        public init(status: Int32, stdout: String, stderr: String) {
            self.status = status
            self.stdout = stdout
            self.stderr = stderr
        }
    }

    /// A program that exited non-zero, or a server that did not start.
    public struct Failure: Error, CustomStringConvertible {
        public var command: [String]
        public var status: Int32
        public var output: String
        public init(command: [String], status: Int32, output: String) {
            self.command = command
            self.status = status
            self.output = output
        }
        public var description: String { "\(command.joined(separator: " ")) exited \(status): \(output)" }
    }

    /// Runs the program at `path` with `arguments`, `environment` added to this process's, and
    /// `input` on its stdin; returns however it ended.
    public static func outcome(_ path: String, _ arguments: [String], in directory: URL? = nil,
                               environment: [Environment.Key: String] = [:], input: String? = nil) async throws -> Outcome {
        let result = try await Subprocess.run(
            .path(FilePath(path)), arguments: Arguments(arguments),
            environment: .inherit.updating(environment.mapValues { Optional($0) }),
            workingDirectory: directory.map { FilePath($0.path) },
            input: .string(input ?? ""),
            output: .string(limit: 64 << 20), error: .string(limit: 16 << 20))
        let status: Int32 = switch result.terminationStatus {
        case .exited(let code): code
        case .signaled(let signal): 128 + signal
        }
        return Outcome(status: status, stdout: result.standardOutput ?? "", stderr: result.standardError ?? "")
    }

    /// Runs `arguments[0]` (looked up on PATH) and returns its standard output; throws
    /// `Failure` (with its stderr) when it exits non-zero.
    @discardableResult
    public static func run(_ arguments: [String], in directory: URL? = nil,
                           environment: [Environment.Key: String] = [:]) async throws -> String {
        let outcome = try await outcome("/usr/bin/env", arguments, in: directory, environment: environment)
        guard outcome.status == 0 else { throw Failure(command: arguments, status: outcome.status, output: outcome.stderr) }
        return outcome.stdout
    }

    /// Where `tool` is on PATH, if it is installed.
    public static func which(_ tool: String) -> String? {
        (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
            .map { "\($0)/\(tool)" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
