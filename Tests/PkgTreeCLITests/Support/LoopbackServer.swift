import Foundation
import RegistryTestSupport

/// A TCP server on 127.0.0.1 (Python's http.server on a port the kernel picks), for tests that
/// check whether a build can reach the network, or that serve sources (files, and git
/// repositories over git's "dumb" HTTP protocol). Loopback only.
final class LoopbackServer {
    let port: Int
    private let process: BackgroundProcess

    /// Serves `directory` (by default the working directory) once this returns.
    init(directory: URL? = nil) async throws {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("pkgtree-loopback-\(UUID().uuidString).log")
        let command = ["python3", "-u", "-m", "http.server", "--bind", "127.0.0.1", "0"] + (directory.map { ["--directory", $0.path] } ?? [])
        process = try await BackgroundProcess(command, log: log)
        // http.server prints `Serving HTTP on 127.0.0.1 port N` once it listens.
        port = try await process.port(after: " port ", in: log, command: command)
    }

    /// `http://127.0.0.1:<port>`
    var address: String { "http://127.0.0.1:\(port)" }

    /// The URL of `path` (relative to the served directory).
    func url(_ path: String) -> String {
        "http://127.0.0.1:\(port)/\(path)"
    }

    /// SIGKILL, not waiting for it (so a `defer` or `deinit` can call it): the task that
    /// spawned it reaps it.
    func stop() { process.kill() }
}
