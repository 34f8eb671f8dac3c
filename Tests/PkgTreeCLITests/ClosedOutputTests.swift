import Foundation
import Testing

/// `pkgtree build --progress json | head -1`: the reader of pkgtree's output exits while
/// builds run. pkgtree stops them as it does for SIGINT (containers removed, nothing half
/// stored) and exits 141, as a program SIGPIPE ended; before, SIGPIPE killed pkgtree on the
/// spot and a podman or docker build went on running with nobody to remove it.
@Suite(.enabled(if: BuilderImages.available, Comment(rawValue: BuilderImages.missingReason)))
struct ClosedOutputTests {
    @Test(arguments: EngineContainers.runners)
    func aReaderThatExitsStopsTheBuildAndLeavesNothingRunning(runner: String) async throws {
        let token = "pkgtree-sleeper-\(UUID().uuidString)"
        let scratch = try InterruptIntegrationTests.tree(token: token)
        let cache = try BuilderImages.cache(in: scratch.directory)
        let pkgtree = Process()
        pkgtree.executableURL = URL(fileURLWithPath: CLIRunner.binary)
        pkgtree.arguments = ["build", "--cores-per-job", "1", "--arch", "x86_64", "--runner", runner, "-j", "3",
                             "--progress", "json", "--packages", scratch.packages.path, "--cache", cache.path]
        pkgtree.environment = ProcessInfo.processInfo.environment.merging(
            CLIRunner.environment(cache: cache).map { ($0.key.description, $0.value) }) { $1 }
        let output = Pipe(), errors = scratch.directory.appendingPathComponent("stderr")
        try Data().write(to: errors)
        pkgtree.standardOutput = output
        pkgtree.standardError = try FileHandle(forWritingTo: errors)
        try pkgtree.run()
        // What `head -1` does: read a line, then close the pipe.
        let reader = output.fileHandleForReading
        var first = Data()
        while !first.contains(UInt8(ascii: "\n")), let chunk = try reader.read(upToCount: 1), !chunk.isEmpty { first += chunk }
        try reader.close()
        try output.fileHandleForWriting.close()
        pkgtree.waitUntilExit()

        let stderr = try String(contentsOf: errors, encoding: .utf8)
        #expect(String(decoding: first, as: UTF8.self).contains(#""event":"started""#))
        #expect(pkgtree.terminationReason == .exit && pkgtree.terminationStatus == 128 + SIGPIPE, "\(stderr)")
        #expect(stderr.contains("the program reading its output has exited"), "\(stderr)")
        #expect(try ProcessTable.processes(containing: token).isEmpty)
        #expect(try await EngineContainers.of(process: pkgtree.processIdentifier, runner: runner).isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: cache.appendingPathComponent("tmp").path) == [])
        let verify = try await CLIRunner.run(["cache", "verify", "--cache", cache.path], cache: cache)
        #expect(verify.status == 0 && !verify.stderr.contains("repair:"), "\(verify.stdout)\(verify.stderr)")
    }
}
