import Foundation
import Testing

/// Two pkgtree processes on one cache: every command repairs the cache first, and that repair
/// must leave alone what a live build is working on.
@Suite(.enabled(if: BuilderImages.available, Comment(rawValue: BuilderImages.missingReason)))
struct ConcurrentProcessTests {
    @Test func anotherCommandsRepairDoesNotRemoveARunningBuildsWorkDirectory() async throws {
        // The build waits until the test has run `cache ls` (whose repair empties tmp/ of leftovers).
        let scratch = try ScratchTree([
            "waits/buildinfo.json": "{}",
            "waits/build": "while [ ! -e /pkg/build/go ]; do sleep 0.1; done\necho done > \"$PKG_PATH/done\"\n",
        ])
        let cache = try BuilderImages.cache(in: scratch.directory)
        let build = Task {
            try await CLIRunner.run(["build", "--arch", "x86_64", "--runner", "bwrap", "--packages", scratch.packages.path,
                                     "--cache", cache.path, "--no-bootstrap"], cache: cache)
        }
        let tmp = cache.appendingPathComponent("tmp")
        var waited = 0
        while ((try? FileManager.default.contentsOfDirectory(atPath: tmp.path)) ?? []).isEmpty, waited < 600 {
            try await Task.sleep(for: .milliseconds(100))
            waited += 1
        }
        let listing = try await CLIRunner.run(["cache", "ls", "--cache", cache.path], cache: cache)
        #expect(listing.status == 0)
        #expect(!listing.stderr.contains("repair: removed"), "\(listing.stderr)")
        try Data().write(to: scratch.packages.appendingPathComponent("waits/go"))
        let outcome = try await build.value
        #expect(outcome.status == 0, "\(outcome.stdout)\n\(outcome.stderr)")
        #expect(outcome.stdout.contains("built    waits"))
    }
}
