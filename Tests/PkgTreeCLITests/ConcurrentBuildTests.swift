import Foundation
import Testing
import RegistryTestSupport

/// Two `pkgtree build` processes on one cache at once: the per-id lock makes each id built
/// once, by whichever process takes it first; the other waits and finds it cached.
@Suite(.tags(.container), .enabled(if: BuilderImages.available, Comment(rawValue: BuilderImages.missingReason)))
struct ConcurrentBuildTests {
    @Test(arguments: EngineContainers.runners)
    func twoBuildsOnOneCacheBothSucceedAndBuildEachIDOnce(runner: String) async throws {
        // The three bottom packages wait at a gate, a file in their package directory (which
        // every runner mounts at /pkg/build) that the test makes once the first run (-j 2)
        // holds the locks of p00 and p01 and the second (-j 3, started then) holds p02's while
        // its two other builds wait for the first's locks. Each run then builds something and
        // finds the other's builds cached, however slowly either starts when other tests share
        // the cores. The rest sleep a little and are raced for. (Both runs have planned, so
        // the gate's file is in no id.)
        let scratch = try SyntheticTree.make(prelude: { index in
            index < 3 ? "until [ -e /pkg/build/gate ]; do sleep 0.1; done" : "sleep 0.4"
        })
        let cache = try BuilderImages.cache(in: scratch.directory)
        let firstHolds = Flag(), secondHolds = Flag()
        async let first = CLIRunner.runWatching(SyntheticTree.buildArguments(scratch, cache: cache, runner: runner), cache: cache,
                                                when: { Self.holdsLocks(of: ["p00", "p01"], $0) }) { firstHolds.set(); return nil }
        _ = try await Eventually.holds { firstHolds.isSet }
        async let second = CLIRunner.runWatching(SyntheticTree.buildArguments(scratch, cache: cache, runner: runner, jobs: 3), cache: cache,
                                                 when: { Self.holdsLocks(of: ["p02"], $0) }) { secondHolds.set(); return nil }
        _ = try await Eventually.holds { secondHolds.isSet }
        let bothHeld = firstHolds.isSet && secondHolds.isSet
        for name in SyntheticTree.names().prefix(3) {
            try Data().write(to: scratch.packages.appendingPathComponent("\(name)/gate"))
        }
        let runs = try await [first, second]
        #expect(bothHeld, "the two runs never held locks at the same time")
        #expect(runs.allSatisfy { $0.status == 0 }, "\(runs.map(\.stderr))")

        let events = try runs.map { try BuildEvents.parse($0.stdout) }
        let built = events.map { BuildEvents.packages("finished", in: $0) }
        let cached = events.map { BuildEvents.packages("cached", in: $0) }
        print("ConcurrentBuildTests \(runner): first built \(built[0]), second built \(built[1])")
        #expect((built[0] + built[1]).sorted() == SyntheticTree.names(), "every id is built exactly once: \(built)")
        #expect(Set(cached[0]) == Set(built[1]) && Set(cached[1]) == Set(built[0]), "each reports the other's as cached: \(cached)")
        #expect(built[0].contains("p00") && built[0].contains("p01") && built[1].contains("p02"))
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

    /// Whether this run has started each of `packages` and holds its lock: a build writes its
    /// log only once it has the lock.
    static func holdsLocks(of packages: [String], _ events: [[String: Any]]) -> Bool {
        packages.allSatisfy { package in
            events.contains { $0["event"] as? String == "started" && $0["package"] as? String == package
                && ($0["log"] as? String).map(FileManager.default.fileExists) == true }
        }
    }
}
