import Foundation

/// Runs the tools the harness needs (openssl, htpasswd) and waits for them.
enum ToolProcess {
    struct Failure: Error, CustomStringConvertible {
        var command: [String]
        var status: Int32
        var output: String
        var description: String { "\(command.joined(separator: " ")) exited \(status): \(output)" }
    }

    /// Runs `arguments[0]` (looked up on PATH) and returns its standard output.
    @discardableResult
    static func run(_ arguments: [String], in directory: URL? = nil) throws -> String {
        String(decoding: try run(arguments, in: directory, binary: true), as: UTF8.self)
    }

    /// Runs `arguments[0]` (looked up on PATH) and returns its standard output as bytes.
    static func run(_ arguments: [String], in directory: URL? = nil, binary: Bool) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let stdout = output.fileHandleForReading.readDataToEndOfFile()
        let stderr = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(command: arguments, status: process.terminationStatus, output: String(decoding: stderr, as: UTF8.self))
        }
        return stdout
    }

    /// Where `tool` is on PATH, if it is installed.
    static func which(_ tool: String) -> String? {
        (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
            .map { "\($0)/\(tool)" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
