import Foundation
import RegistryTestSupport

/// Python's `http.server` on 127.0.0.1 and a free port, serving one directory. Its request
/// log (one line per request, on stderr) goes to a file, so tests can count downloads.
final class FetchHTTPServer {
    let port: Int
    private let process: BackgroundProcess
    private let log: URL

    /// Binds port 0 so the kernel picks a free port, and prints it once it is listening:
    /// no race between choosing a port and binding it.
    private static let script = #"""
import functools, http.server, sys
handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=sys.argv[1])
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
print("listening", server.server_address[1], flush=True)
server.serve_forever()
"""#

    init(serving directory: URL) async throws {
        log = directory.deletingLastPathComponent().appending(path: "http-\(UUID().uuidString).log")
        process = try await BackgroundProcess(["python3", "-u", "-c", Self.script, directory.path], log: log)
        port = try await process.port(after: "listening ", in: log, command: ["python3", "http.server"])
    }

    /// A backstop for a test that did not `stop()` it.
    deinit { process.kill() }

    func url(_ path: String) -> String { "http://127.0.0.1:\(port)/\(path)" }

    /// The request lines logged so far, e.g. `"GET /hello.txt HTTP/1.1" 200 -`.
    var requests: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    /// How many GET requests asked for `path`.
    func gets(_ path: String) -> Int {
        requests.components(separatedBy: "\n").filter { $0.contains("\"GET /\(path) ") }.count
    }

    func stop() async { await process.stop() }
}
