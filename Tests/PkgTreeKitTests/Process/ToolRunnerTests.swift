import Foundation
import Testing
@testable import PkgTreeKit

/// `ToolRunner.run` with a real shell: the log gets standard output and error in order, and
/// no descriptor of it stays open in pkgtree. A run of 2,000 builds held 2,000 open logs,
/// and every later process pkgtree started had to close them all before it could exec.
@Suite struct ToolRunnerTests {
    @Test func aRunAppendsOutputAndErrorToItsLogAndLeavesItClosed() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pkgtree-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = directory.appendingPathComponent("build.log")
        for round in 0..<5 {
            let status = try await ToolRunner.run(ToolCommand("sh", ["-c", "echo out \(round); echo err \(round) >&2; exit \(round)"]), log: log)
            #expect(status == Int32(round))
        }
        #expect(try String(contentsOf: log, encoding: .utf8) == (0..<5).map { "out \($0)\nerr \($0)\n" }.joined())
        let open = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").filter { descriptor in
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(descriptor)")) == log.path
        }
        #expect(open.isEmpty, "descriptors of the log still open: \(open)")
    }
}
