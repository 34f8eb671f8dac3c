import Foundation
import RegistryTestSupport
import Subprocess
import SystemPackage

/// Runs the built `pkgtree` binary as a user would, capturing its output and exit code.
struct CLIRunner {
    typealias Outcome = ToolProcess.Outcome

    /// The repository this test file lives in.
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `PKGTREE_BINARY` when set; else the `pkgtree` built beside the test bundle.
    static let binary: String = {
        if let explicit = ProcessInfo.processInfo.environment["PKGTREE_BINARY"] { return explicit }
        let besideTests = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("pkgtree").path
        if FileManager.default.isExecutableFile(atPath: besideTests) { return besideTests }
        return repositoryRoot.appendingPathComponent(".build/debug/pkgtree").path
    }()

    /// Runs pkgtree. Unless a test passes its own, each run gets a fresh cache directory
    /// (`PKGTREE_CACHE`) and output directory for bootstraps (`PKGTREE_OUTPUT`, beside the
    /// cache), so tests never share or leave state in the working directory. With
    /// `addressSpaceMiB`, pkgtree runs under `ulimit -v`: a test proves that a huge input is
    /// streamed, since reading it into memory would fail. With `umask` (octal, as sh's `umask`
    /// takes it), pkgtree runs under that umask, as a user whose shell sets it would.
    static func run(_ arguments: [String], in directory: URL? = nil, cache: URL? = nil,
                    addressSpaceMiB: Int? = nil, umask: String? = nil, input: String? = nil) async throws -> Outcome {
        let cacheDirectory = cache ?? FileManager.default.temporaryDirectory.appendingPathComponent("pkgtree-cli-cache-\(UUID().uuidString)")
        let environment = environment(cache: cacheDirectory)
        let limits = [addressSpaceMiB.map { "ulimit -v \($0 * 1024)" }, umask.map { "umask \($0)" }].compactMap { $0 }
        guard !limits.isEmpty else { return try await runTool(binary, arguments, in: directory, environment: environment, input: input) }
        return try await runTool("/bin/sh", ["-c", (limits + ["exec \"$0\" \"$@\""]).joined(separator: " && "), binary] + arguments,
                                 in: directory, environment: environment, input: input)
    }

    /// `PKGTREE_CACHE` and `PKGTREE_OUTPUT` (bootstraps go beside the cache, in `<cache>-release`).
    static func environment(cache: URL) -> [Environment.Key: String] {
        ["PKGTREE_CACHE": cache.path, "PKGTREE_OUTPUT": output(cache: cache).path]
    }

    /// Where `run` lets pkgtree write bootstraps for `cache`.
    static func output(cache: URL) -> URL {
        cache.deletingLastPathComponent().appendingPathComponent("\(cache.lastPathComponent)-release")
    }

    /// Runs any program (Graphviz, tar, …) the same way.
    static func runTool(_ path: String, _ arguments: [String], in directory: URL? = nil,
                        environment: [Environment.Key: String] = [:], input: String? = nil) async throws -> Outcome {
        try await ToolProcess.outcome(path, arguments, in: directory, environment: environment, input: input)
    }

    /// Where a tool is on PATH, if it is installed.
    static func which(_ tool: String) -> String? { ToolProcess.which(tool) }
}

/// A scratch directory holding a `packages/` tree written by a test.
struct ScratchTree {
    let directory: URL
    var packages: URL { directory.appendingPathComponent("packages") }

    init(_ files: [String: String]) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("pkgtree-cli-\(UUID().uuidString)")
        for (path, content) in files {
            let url = directory.appendingPathComponent("packages").appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(content.utf8).write(to: url)
        }
    }

    /// Every path under the scratch directory with its size, to prove a failing run wrote nothing.
    func snapshot() -> [String: Int] {
        var result: [String: Int] = [:]
        let enumerator = FileManager.default.enumerator(atPath: directory.path)
        while let path = enumerator?.nextObject() as? String {
            let size = (try? FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent(path).path)[.size] as? Int) ?? 0
            result[path] = size
        }
        return result
    }
}
