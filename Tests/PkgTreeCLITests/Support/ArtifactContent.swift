import Foundation
import Testing

/// Reads a file out of a built package's tarball with the system `tar`.
enum ArtifactContent {
    /// The content of `path` in the one artifact of `name` for `arch` in `cache`; a missing
    /// file is a failed expectation, never an empty string that would pass for one.
    static func read(_ path: String, of name: String, arch: String = "x86_64", cache: URL) async throws -> String {
        let directory = cache.appendingPathComponent("packages/\(arch)/\(name)")
        let artifact = try #require(try FileManager.default.contentsOfDirectory(atPath: directory.path).first)
        let tar = try await CLIRunner.runTool("/usr/bin/tar", ["-xJOf", directory.appendingPathComponent(artifact).path, path])
        #expect(tar.status == 0, "\(name): \(path): \(tar.stderr)")
        return tar.stdout
    }
}
