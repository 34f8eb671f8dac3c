import Foundation
import RegistryTestSupport

/// A port on 127.0.0.1 where nothing listens, so connecting is refused: a socket bound to port
/// 0 (the kernel picks the port) and never listened on, held by a small process until `stop()`.
/// Holding it, rather than binding and closing to learn a free port, keeps any other process
/// from taking the port while the test connects.
final class ClosedPort {
    let port: Int
    private let process: BackgroundProcess

    private static let script = #"""
import socket, sys, time
held = socket.socket()
held.bind(("127.0.0.1", 0))
print("bound", held.getsockname()[1], flush=True)
time.sleep(3600)
"""#

    init() async throws {
        let log = FileManager.default.temporaryDirectory.appending(path: "pkgtree-closed-port-\(UUID().uuidString).log")
        process = try await BackgroundProcess(["python3", "-u", "-c", Self.script], log: log)
        port = try await process.port(after: "bound ", in: log, command: ["python3", "closed port"])
    }

    /// A backstop for a test that did not `stop()` it.
    deinit { process.kill() }

    func stop() async { await process.stop() }
}
