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
            environment: environment(command), platformOptions: ownProcessGroup,
            output: .string(limit: 4 << 20), error: .combinedWithOutput)
        return Captured(status: status(result.terminationStatus), output: result.standardOutput)
    }

    /// Runs to completion with standard output and error appended to `log`. When the task is
    /// cancelled, `stop`, if given, runs while the process group gets SIGTERM (see
    /// `ownProcessGroup`); the call returns once the process is gone.
    public static func run(_ command: ToolCommand, log: URL, stop: ToolCommand? = nil) async throws -> Int32 {
        let descriptor = try FileDescriptor.open(
            FilePath(log.path), .writeOnly, options: [.create, .append, .closeOnExec], permissions: [.ownerReadWrite, .groupRead, .otherRead])
        defer { try? descriptor.close() }
        // The log's one descriptor for both, as 2>&1 does: swift-subprocess's `.combinedWithOutput`
        // duplicates a descriptor it is told not to close and never closes the duplicate, which
        // left every build's log open, and each later process closing them all before its exec.
        let result = try await StopOnCancellation.around(stop) {
            try await Subprocess.run(
                executable(command.executable), arguments: Arguments(command.arguments),
                environment: environment(command), platformOptions: ownProcessGroup,
                output: .fileDescriptor(descriptor, closeAfterSpawningProcess: false),
                error: .fileDescriptor(descriptor, closeAfterSpawningProcess: false))
        }
        return status(result.terminationStatus)
    }

    /// Runs attached to pkgtree's standard input, output and error and in pkgtree's process
    /// group, so that a person's shell gets the terminal: it controls its jobs, and ^C is its
    /// own. As with system(3), pkgtree ignores SIGINT and SIGQUIT until the tool ends (the tool
    /// starts with them at their defaults). When the task is cancelled, `stop` runs, as in `run`.
    public static func runAttached(_ command: ToolCommand, stop: ToolCommand? = nil) async throws -> Int32 {
        let previous = [SIGINT, SIGQUIT].map { ($0, signal($0, SIG_IGN)) }
        defer { for (number, handler) in previous { signal(number, handler) } }
        let result = try await StopOnCancellation.around(stop) {
            try await Subprocess.run(
                executable(command.executable), arguments: Arguments(command.arguments), environment: environment(command),
                input: .currentStandardInput, output: .currentStandardOutput, error: .currentStandardError)
        }
        return status(result.terminationStatus)
    }

    /// Every tool runs in a process group of its own: a terminal's ^C then reaches pkgtree
    /// alone, which decides how to stop what runs. A cancelled task's tool gets SIGTERM, to its
    /// whole group (mmdebstrap's apt, …), and SIGKILL if it is still there 10 s later; an
    /// engine client ends sooner, as soon as its stop command has removed the container.
    private static var ownProcessGroup: PlatformOptions {
        var options = PlatformOptions()
        options.processGroupID = 0
        options.teardownSequence = [.gracefulShutDown(toProcessGroup: true, allowedDurationToNextStep: .seconds(10))]
        return options
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
