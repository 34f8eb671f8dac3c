import Foundation
import Testing

/// Two `pkgtree build` processes on one cache at once: the per-id lock makes each id built
/// once, by whichever process takes it first; the other waits and finds it cached.
@Suite(.enabled(if: BuilderImages.available, Comment(rawValue: BuilderImages.missingReason)))
struct ConcurrentBuildTests {
    @Test func twoBuildsOnOneCacheBothSucceedAndBuildEachIDOnce() async throws {
        // Each build script sleeps a little, so the two runs overlap for seconds.
        let scratch = try SyntheticTree.make { _ in 0.4 }
        let cache = try BuilderImages.cache(in: scratch.directory)
        let arguments = SyntheticTree.buildArguments(scratch, cache: cache)
        async let first = CLIRunner.run(arguments, cache: cache)
        async let second = CLIRunner.run(arguments, cache: cache)
        let runs = try await [first, second]
        #expect(runs.allSatisfy { $0.status == 0 }, "\(runs.map(\.stderr))")

        let events = try runs.map { try BuildEvents.parse($0.stdout) }
        let built = events.map { BuildEvents.packages("finished", in: $0) }
        let cached = events.map { BuildEvents.packages("cached", in: $0) }
        print("ConcurrentBuildTests: first built \(built[0]), second built \(built[1])")
        #expect((built[0] + built[1]).sorted() == SyntheticTree.names(), "every id is built exactly once: \(built)")
        #expect(Set(cached[0]) == Set(built[1]) && Set(cached[1]) == Set(built[0]), "each reports the other's as cached: \(cached)")
        #expect(!built[0].isEmpty && !built[1].isEmpty, "one run built everything: the two did not overlap (\(built))")
        #expect(events.allSatisfy { BuildEvents.packages("failed", in: $0).isEmpty && BuildEvents.packages("skipped", in: $0).isEmpty })

        let verify = try await CLIRunner.run(["cache", "verify", "--cache", cache.path], cache: cache)
        #expect(verify.status == 0 && verify.stdout.contains("verified 10 artifact(s): all good"), "\(verify.stdout)")
        #expect(!verify.stderr.contains("repair:"), "\(verify.stderr)")
        // Both made the same bootstrap, in one place: one file, whole, with no staging file beside it.
        let bootstraps = CLIRunner.output(cache: cache).appendingPathComponent("bootstrap/x86_64")
        let files = try FileManager.default.contentsOfDirectory(atPath: bootstraps.path)
        let tarballs = files.filter { $0.hasSuffix(".bootstrap.tar.xz") }
        #expect(tarballs.count == 1 && !files.contains { $0.hasSuffix(".part") }, "\(files)")
        let list = try await CLIRunner.runTool("/usr/bin/tar", ["-tJf", bootstraps.appendingPathComponent(tarballs.first ?? "").path])
        #expect(list.status == 0 && list.stdout.contains("/bin/p09"), "\(list.stderr)")
    }
}
