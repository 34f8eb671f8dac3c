import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A server the harness starts: run under `timeout` (which leads its own process group), so
/// that `stop()` ends the group at once, and so that a server outlives a killed test runner by
/// half an hour at most.
final class BackgroundProcess: @unchecked Sendable {
    private let process = Process()

    /// Starts `arguments` (looked up on PATH), its stdout and stderr going to `log`.
    init(_ arguments: [String], log: URL) throws {
        try Data().write(to: log)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["timeout", "-s", "KILL", "1800"] + arguments
        process.standardOutput = try FileHandle(forWritingTo: log)
        process.standardError = process.standardOutput
        try process.run()
    }

    var isRunning: Bool { process.isRunning }

    /// SIGKILL to the group, not `terminate()`: a child started from the test runner's threads
    /// inherits their blocked signals, SIGTERM included.
    func stop() {
        guard process.isRunning else { return }
        kill(-process.processIdentifier, SIGKILL)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Waits (up to 10 s) until `parse` finds what it looks for in the log.
    func wait<T>(for log: URL, _ parse: (String) -> T?) -> T? {
        for _ in 0..<200 {
            if let text = try? String(contentsOf: log, encoding: .utf8), let found = parse(text) { return found }
            guard process.isRunning else { return nil }
            usleep(50_000)
        }
        return nil
    }
}
