import Foundation
import Testing
import RegistryTestSupport

/// `pkgtree cache gc` while another process builds: the build's dependencies stay mounted
/// and whole however much gc removes, the build finishes, and the copies gc had to keep go
/// with the next gc once no build runs.
@Suite(.tags(.container), .enabled(if: BuilderImages.available, Comment(rawValue: BuilderImages.missingReason)))
struct GCDuringBuildTests {
    @Test(arguments: EngineContainers.runners)
    func gcDuringABuildLeavesItsDependenciesAndTheNextGCRemovesThem(runner: String) async throws {
        // p09 requires p06 and p07. Its script says when it waits at the gate (a file in its
        // package directory, mounted at /pkg/build), then reads what both dependencies installed.
        let scratch = try SyntheticTree.make(prelude: { index in
            index == 9 ? """
                echo AT-GATE
                until [ -e /pkg/build/gate ]; do sleep 0.1; done
                cat /opt/mesosphere/active/p06/share/name /opt/mesosphere/active/p07/share/name
                test "$(cat /opt/mesosphere/packages/p07--*/share/name)" = p07
                """ : ""
        })
        let cache = try BuilderImages.cache(in: scratch.directory)
        let base = SyntheticTree.buildArguments(scratch, cache: cache, runner: runner)
        // Everything p09 requires (p00–p07), built first.
        let first = try await CLIRunner.run(["build", "p06", "p07"] + base.dropFirst(), cache: cache)
        #expect(first.status == 0, "\(first.stderr)")

        let waiting = Flag()
        async let build = CLIRunner.runWatching(["build", "p09"] + base.dropFirst(), cache: cache,
                                                when: { BuildEvents.logsSay("AT-GATE", for: ["p09"], in: $0) }) { waiting.set(); return nil }
        #expect(try await Eventually.holds { waiting.isSet }, "p09's script never reached the gate")

        let gc = try await CLIRunner.run(["cache", "gc", "--keep-last", "0", "--cache", cache.path], cache: cache)
        #expect(gc.status == 0 && gc.stdout.contains("removed 8 artifact(s)"), "\(gc.stdout)\(gc.stderr)")
        #expect(gc.stderr.contains("a build is running, so unpacked copies"), "\(gc.stderr)")
        #expect(Self.copies(cache).count >= 2, "p06's and p07's copies stay while p09 builds: \(Self.copies(cache))")

        try Data().write(to: scratch.packages.appendingPathComponent("p09/gate"))
        let built = try await build
        #expect(built.status == 0, "\(built.stderr)")
        #expect(BuildEvents.packages("finished", in: try BuildEvents.parse(built.stdout)) == ["p09"])

        let after = try await CLIRunner.run(["cache", "gc", "--keep-last", "0", "--cache", cache.path], cache: cache)
        #expect(after.status == 0 && after.stdout.contains("removed 1 artifact(s)"), "\(after.stdout)\(after.stderr)")
        #expect(!after.stderr.contains("a build is running"), "\(after.stderr)")
        #expect(Self.copies(cache).isEmpty, "\(Self.copies(cache))")
        let verify = try await CLIRunner.run(["cache", "verify", "--cache", cache.path], cache: cache)
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
    }

    static func copies(_ cache: URL) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: cache.appendingPathComponent("unpacked/x86_64").path)) ?? []
    }
}
