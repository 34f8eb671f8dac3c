import Foundation

/// A TCP server on 127.0.0.1 (Python's http.server on a free port), for tests that check
/// whether a build can reach the network, or that serve sources (files, and git repositories
/// over git's "dumb" HTTP protocol). Loopback only.
final class LoopbackServer {
    let port: Int
    private let process: Process

    /// Serves `directory` (by default the working directory) on `port` (by default a random
    /// one) once this returns.
    init(port: Int = Int.random(in: 20000...45000), directory: URL? = nil) throws {
        self.port = port
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-m", "http.server", "--bind", "127.0.0.1", String(port)] + (directory.map { ["--directory", $0.path] } ?? [])
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        for _ in 0..<50 where !Self.accepts(port) { usleep(100_000) }
    }

    /// `http://127.0.0.1:<port>`
    var address: String { "http://127.0.0.1:\(port)" }

    private static func accepts(_ port: Int) -> Bool {
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/bin/bash")
        probe.arguments = ["-c", "exec 3<>/dev/tcp/127.0.0.1/\(port)"]
        probe.standardError = FileHandle.nullDevice
        try? probe.run()
        probe.waitUntilExit()
        return probe.terminationStatus == 0
    }

    /// The URL of `path` (relative to the served directory).
    func url(_ path: String) -> String {
        "http://127.0.0.1:\(port)/\(path)"
    }

    /// SIGKILL, not `terminate()`: a process started from async code inherits a signal mask
    /// that blocks SIGTERM, so terminate() would leave the server running and the wait hanging.
    func stop() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}
