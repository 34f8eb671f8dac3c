import Foundation

/// Python's `http.server` on 127.0.0.1 and a free port, serving one directory. Its request
/// log (one line per request, on stderr) goes to a file, so tests can count downloads.
final class FetchHTTPServer {
    let port: Int
    private let process: Process
    private let log: URL

    /// Binds port 0 so the kernel picks a free port, and prints it once it is listening:
    /// no race between choosing a port and binding it.
    private static let script = #"""
import functools, http.server, sys
handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=sys.argv[1])
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
print(server.server_address[1], flush=True)
server.serve_forever()
"""#

    init(serving directory: URL) throws {
        log = directory.deletingLastPathComponent().appending(path: "http-\(UUID().uuidString).log")
        try Data().write(to: log)
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-u", "-c", Self.script, directory.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = try FileHandle(forWritingTo: log)
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else { break }
            line.append(chunk)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            process.terminate()
            let stderr = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            throw ArchiveFixture.ToolFailure(arguments: ["python3", "http.server"], status: -1, stderr: stderr)
        }
        self.port = port
    }

    deinit { stop() }

    func url(_ path: String) -> String { "http://127.0.0.1:\(port)/\(path)" }

    /// The request lines logged so far, e.g. `"GET /hello.txt HTTP/1.1" 200 -`.
    var requests: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    /// How many GET requests asked for `path`.
    func gets(_ path: String) -> Int {
        requests.components(separatedBy: "\n").filter { $0.contains("\"GET /\(path) ") }.count
    }

    /// SIGKILL, not `terminate()`: a child started from the test runner's threads inherits
    /// their blocked signals, SIGTERM included, and would never exit.
    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// A port nothing listens on: bound and released again, so connecting is refused.
    static func closedPort() throws -> Int {
        let output = try ArchiveFixture.python(
            "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1]); s.close()")
        return Int(output.trimmingCharacters(in: .whitespacesAndNewlines))!
    }
}
