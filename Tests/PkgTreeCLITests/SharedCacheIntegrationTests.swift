import Foundation
import Testing
import RegistryTestSupport

/// Two pkgtree processes on one cache, with real builds.
@Suite(.tags(.container), .enabled(if: BuilderImages.available, Comment(rawValue: BuilderImages.missingReason)))
struct SharedCacheIntegrationTests {
    /// Every command that opens the cache first repairs what killed processes left; it must not
    /// take a live build's work directory for such a leftover.
    @Test func anotherCommandOnTheCacheLeavesARunningBuildAlone() async throws {
        // The script waits for the test to drop `go` into its output, so that the other
        // command surely runs mid-build (it gives up after a minute and then fails).
        let script = """
            for _ in $(seq 600); do [ -e "$PKG_PATH/go" ] && break; sleep 0.1; done
            rm "$PKG_PATH/go"
            mkdir -p "$PKG_PATH/share" && echo done > "$PKG_PATH/share/done"

            """
        let scratch = try ScratchTree(["waiter/buildinfo.json": "{}", "waiter/build": script])
        let cache = try BuilderImages.cache(in: scratch.directory)
        let build = Task {
            try await CLIRunner.run(["build", "--arch", "x86_64", "--runner", "bwrap",
                                     "--packages", scratch.packages.path, "--cache", cache.path], cache: cache)
        }
        let output = try #require(try await Self.buildOutput(in: cache.appendingPathComponent("tmp")))

        let other = try await CLIRunner.run(["cache", "ls", "--cache", cache.path], cache: cache)
        #expect(other.status == 0)
        #expect(!other.stderr.contains("repair:"), "\(other.stderr)")
        #expect(FileManager.default.createFile(atPath: output.appendingPathComponent("go").path, contents: Data()))
        let built = try await build.value
        #expect(built.status == 0, "\(built.stdout)\(built.stderr)")
    }

    /// The output directory of the build in progress under `tmp`, once it exists (nil when it
    /// never does, so such a build fails the test instead of hanging it).
    static func buildOutput(in tmp: URL) async throws -> URL? {
        try await Eventually.value {
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: tmp.path)) ?? []
            return entries.map { tmp.appendingPathComponent("\($0)/output") }
                .first { FileManager.default.fileExists(atPath: $0.path) }
        }
    }
}
