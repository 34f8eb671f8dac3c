import Foundation
import Testing
import RegistryTestSupport

/// `pkgtree build --progress json | head -1`: the reader of pkgtree's output exits while
/// builds run. pkgtree stops them as it does for SIGINT (containers removed, nothing half
/// stored) and exits 141, as a program SIGPIPE ended; before, SIGPIPE killed pkgtree on the
/// spot and a podman or docker build went on running with nobody to remove it.
@Suite(.tags(.container), .enabled(if: BuilderImages.available, Comment(rawValue: BuilderImages.missingReason)))
struct ClosedOutputTests {
    @Test(arguments: EngineContainers.runners)
    func aReaderThatExitsStopsTheBuildAndLeavesNothingRunning(runner: String) async throws {
        let token = "pkgtree-sleeper-\(UUID().uuidString)"
        let scratch = try InterruptIntegrationTests.tree(token: token)
        let cache = try BuilderImages.cache(in: scratch.directory)
        let arguments = ["build", "--cores-per-job", "1", "--arch", "x86_64", "--runner", runner, "-j", "3",
                         "--progress", "json", "--packages", scratch.packages.path, "--cache", cache.path]
        // What `pkgtree build … | head -1` does, keeping pkgtree's process id (its containers
        // carry it) and its exit status apart from head's.
        let first = scratch.directory.appendingPathComponent("first-line"), errors = scratch.directory.appendingPathComponent("stderr")
        let script = #""$0" "$@" > >(head -1 > "$FIRST") 2> "$ERRORS" & pid=$!; wait $pid; echo "$pid $?""#
        let shell = try await CLIRunner.runTool("/bin/bash", ["-c", script, CLIRunner.binary] + arguments,
                                                environment: CLIRunner.environment(cache: cache).merging(["FIRST": first.path, "ERRORS": errors.path]) { $1 })
        let fields = shell.stdout.split(separator: " ").compactMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        let (processID, status) = try (#require(fields.first), #require(fields.last))

        let stderr = try String(contentsOf: errors, encoding: .utf8)
        #expect(try String(contentsOf: first, encoding: .utf8).contains(#""event":"started""#))
        #expect(status == 128 + SIGPIPE, "\(stderr)")
        #expect(stderr.contains("the program reading its output has exited"), "\(stderr)")
        #expect(try ProcessTable.processes(containing: token).isEmpty)
        #expect(try await EngineContainers.of(process: processID, runner: runner).isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: cache.appendingPathComponent("tmp").path) == [])
        let verify = try await CLIRunner.run(["cache", "verify", "--cache", cache.path], cache: cache)
        #expect(verify.status == 0 && !verify.stderr.contains("repair:"), "\(verify.stdout)\(verify.stderr)")
    }
}
