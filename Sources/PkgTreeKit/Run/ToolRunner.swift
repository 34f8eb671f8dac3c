import Foundation
import Subprocess
import SystemPackage

/// Runs `ToolCommand`s through swift-subprocess.
public enum ToolRunner {
    public struct Captured: Sendable {
        public var status: Int32
        public var output: String
    }

    /// Runs to completion, capturing standard output and error together (for short commands).
    public static func capture(_ command: ToolCommand) async throws -> Captured {
        let result = try await Subprocess.run(
            executable(command.executable), arguments: Arguments(command.arguments),
            environment: environment(command),
            output: .string(limit: 4 << 20), error: .combinedWithOutput)
        return Captured(status: status(result.terminationStatus), output: result.standardOutput)
    }

    /// Runs to completion with standard output and error appended to `log`.
    public static func run(_ command: ToolCommand, log: URL) async throws -> Int32 {
        let descriptor = try FileDescriptor.open(
            FilePath(log.path), .writeOnly, options: [.create, .append, .closeOnExec], permissions: [.ownerReadWrite, .groupRead, .otherRead])
        defer { try? descriptor.close() }
        let result = try await Subprocess.run(
            executable(command.executable), arguments: Arguments(command.arguments),
            environment: environment(command),
            output: .fileDescriptor(descriptor, closeAfterSpawningProcess: false), error: .combinedWithOutput)
        return status(result.terminationStatus)
    }

    /// Whether `name` is an executable on PATH.
    public static func isInstalled(_ name: String) -> Bool {
        (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
            .contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(name)") }
    }

    private static func environment(_ command: ToolCommand) -> Environment {
        var updates: [Environment.Key: String?] = [:]
        for (key, value) in command.environment {
            if let key = Environment.Key(rawValue: key) { updates[key] = value }
        }
        return .inherit.updating(updates)
    }

    private static func executable(_ name: String) -> Executable {
        name.contains("/") ? .path(FilePath(name)) : .name(name)
    }

    private static func status(_ termination: TerminationStatus) -> Int32 {
        switch termination {
        case .exited(let code): code
        case .signaled(let signal): 128 + signal
        }
    }
}
