import Foundation
import Testing
import RegistryTestSupport

/// `pkgtree cache gc` while another process builds: every artifact the build needs stays (its
/// plan's ids are registered roots), those it has not unpacked yet among them, the build
/// finishes, and the next gc once no build runs removes them all.
@Suite(.tags(.container), .enabled(if: BuilderImages.available, Comment(rawValue: BuilderImages.missingReason)))
struct GCDuringBuildTests {
    @Test(arguments: EngineContainers.runners)
    func gcDuringABuildKeepsWhatItNeedsAndTheNextGCRemovesIt(runner: String) async throws {
        // p09 requires p06 and p07; p06 requires p03 and p04, p07 requires p04 and p05. With
        // p00-p03 and p05 cached, `build p09` builds p04 first, whose script waits at a gate (a
        // file in its package directory, mounted at /pkg/build); p05 is unpacked only later,
        // for p07. p09 reads what its dependencies installed.
        let scratch = try SyntheticTree.make(prelude: { index in
            switch index {
            case 4: return "echo AT-GATE\nuntil [ -e /pkg/build/gate ]; do sleep 0.1; done"
            case 9: return """
                cat /opt/mesosphere/active/p06/share/name /opt/mesosphere/active/p07/share/name
                test "$(cat /opt/mesosphere/packages/p07--*/share/name)" = p07
                """
            default: return ""
            }
        })
        let cache = try BuilderImages.cache(in: scratch.directory)
        let base = SyntheticTree.buildArguments(scratch, cache: cache, runner: runner)
        let first = try await CLIRunner.run(["build", "p05"] + base.dropFirst(), cache: cache)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(BuildEvents.packages("finished", in: try BuildEvents.parse(first.stdout)).sorted() == ["p00", "p01", "p02", "p03", "p05"])

        let waiting = Flag()
        async let build = CLIRunner.runWatching(["build", "p09"] + base.dropFirst(), cache: cache,
                                                when: { BuildEvents.logsSay("AT-GATE", for: ["p04"], in: $0) }) { waiting.set(); return nil }
        #expect(try await Eventually.holds { waiting.isSet }, "p04's script never reached the gate")

        let gc = try await CLIRunner.run(["cache", "gc", "--keep-last", "0", "--cache", cache.path], cache: cache)
        #expect(gc.status == 0 && gc.stdout.contains("removed 0 artifact(s)"), "\(gc.stdout)\(gc.stderr)")
        #expect(gc.stderr.contains("kept 5 artifact(s) that a running build needs (p00, p01, p02, p03, p05)"), "\(gc.stderr)")

        try Data().write(to: scratch.packages.appendingPathComponent("p04/gate"))
        let built = try await build
        #expect(built.status == 0, "\(built.stderr)")
        #expect(BuildEvents.packages("finished", in: try BuildEvents.parse(built.stdout)).sorted() == ["p04", "p06", "p07", "p09"])

        let after = try await CLIRunner.run(["cache", "gc", "--keep-last", "0", "--cache", cache.path], cache: cache)
        #expect(after.status == 0 && after.stdout.contains("removed 9 artifact(s)"), "\(after.stdout)\(after.stderr)")
        #expect(!after.stderr.contains("running build"), "\(after.stderr)")
        #expect(Self.copies(cache).isEmpty, "\(Self.copies(cache))")
        let verify = try await CLIRunner.run(["cache", "verify", "--cache", cache.path], cache: cache)
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
    }

    static func copies(_ cache: URL) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: cache.appendingPathComponent("unpacked/x86_64").path)) ?? []
    }
}
