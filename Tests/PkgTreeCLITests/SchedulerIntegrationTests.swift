import Foundation
import Testing
import RegistryTestSupport

/// The parallel scheduler with real bwrap builds: what runs, in what order, after a failure.
@Suite(.tags(.container), .enabled(if: BuilderImages.available, Comment(rawValue: BuilderImages.missingReason)))
struct SchedulerIntegrationTests {
    /// a fails; b requires a, c requires b; d is independent and e requires d.
    static func treeWithAFailure() throws -> ScratchTree {
        let ok = "mkdir -p \"$PKG_PATH/share\" && echo \"$PKG_NAME\" > \"$PKG_PATH/share/name\"\n"
        return try ScratchTree([
            "a/buildinfo.json": "{}", "a/build": "echo about to fail\nexit 3\n",
            "b/buildinfo.json": #"{"requires": ["a"]}"#, "b/build": ok,
            "c/buildinfo.json": #"{"requires": ["b"]}"#, "c/build": ok,
            "d/buildinfo.json": "{}", "d/build": ok,
            "e/buildinfo.json": #"{"requires": ["d"]}"#, "e/build": ok,
        ])
    }

    @Test func keepGoingBuildsEveryIndependentPackageAndSkipsExactlyTheDependents() async throws {
        let scratch = try Self.treeWithAFailure()
        let cache = try BuilderImages.cache(in: scratch.directory)
        let build = try await CLIRunner.run(["build", "--arch", "x86_64", "--runner", "bwrap", "--keep-going", "-j", "2",
                                             "--packages", scratch.packages.path, "--cache", cache.path], cache: cache)
        #expect(build.status == 1)
        let lines = build.stdout.split(separator: "\n").map(String.init)
        #expect(Set(lines.filter { $0.hasPrefix("built ") }.map { $0.split(separator: " ", omittingEmptySubsequences: true)[1] }) == ["d", "e"])
        #expect(lines.contains { $0.hasPrefix("FAILED   a: the build script exited with status 3") })
        #expect(Set(lines.filter { $0.hasPrefix("skipped ") }.map { $0.split(separator: " ", omittingEmptySubsequences: true)[1].dropLast() }) == ["b", "c"])
        #expect(build.stderr.contains("about to fail"))  // the log's tail
        #expect(lines.contains("x86_64: 2 built, 0 cached, 1 failed, 2 skipped, 0 unsupported"))
    }

    @Test func logShowsTheLatestBuildLogAndWhyNamesTheChange() async throws {
        let scratch = try Self.treeWithAFailure()
        let cache = try BuilderImages.cache(in: scratch.directory)
        let common = ["--arch", "x86_64", "--packages", scratch.packages.path, "--cache", cache.path]
        _ = try await CLIRunner.run(["build", "--runner", "bwrap", "--keep-going"] + common, cache: cache)
        let failedLog = try await CLIRunner.run(["log", "a"] + common, cache: cache)
        #expect(failedLog.status == 0)
        #expect(failedLog.stdout.contains("about to fail"))
        #expect(try await CLIRunner.run(["log", "d"] + common, cache: cache).stdout.contains("pkgtree: building d--"))
        try Data("mkdir -p \"$PKG_PATH/share\"\necho changed > \"$PKG_PATH/share/name\"\n".utf8)
            .write(to: scratch.packages.appendingPathComponent("d/build"))
        let why = try await CLIRunner.run(["why", "e"] + common, cache: cache)
        #expect(why.status == 0, "\(why.stderr)")
        #expect(why.stdout.contains("dependency d changed"))
        #expect(why.stdout.contains("the build script changed"))
        let none = try await CLIRunner.run(["log", "b"] + common, cache: cache)
        #expect(none.status == 2)
        #expect(none.stderr.contains("no build log yet for b"))
    }

    @Test func jsonProgressEventsParseAndCoverEveryPackage() async throws {
        let scratch = try Self.treeWithAFailure()
        let cache = try BuilderImages.cache(in: scratch.directory)
        let build = try await CLIRunner.run(["build", "--arch", "x86_64", "--runner", "bwrap", "--keep-going", "--progress", "json",
                                             "--packages", scratch.packages.path, "--cache", cache.path], cache: cache)
        #expect(build.status == 1)
        let events = try build.stdout.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        let final = events.filter { $0["event"] as? String != "started" && $0["event"] as? String != "summary" }
        var outcome: [String: String] = [:]
        for event in final { outcome[event["package"] as! String] = event["event"] as? String }
        #expect(outcome == ["a": "failed", "b": "skipped", "c": "skipped", "d": "finished", "e": "finished"])
        #expect(events.filter { $0["event"] as? String == "started" }.count == 3)
        #expect(events.last?["event"] as? String == "summary")
        let failed = try #require(final.first { $0["event"] as? String == "failed" })
        #expect((failed["log"] as? String)?.hasSuffix(".log") == true)
        #expect(final.allSatisfy { $0["arch"] as? String == "x86_64" })
    }

    @Test func withoutKeepGoingNothingNewStartsAfterAFailure() async throws {
        let scratch = try Self.treeWithAFailure()
        let cache = try BuilderImages.cache(in: scratch.directory)
        let build = try await CLIRunner.run(["build", "--arch", "x86_64", "--runner", "bwrap", "-j", "1",
                                             "--packages", scratch.packages.path, "--cache", cache.path], cache: cache)
        #expect(build.status == 1)
        #expect(!build.stdout.contains("built "))  // a comes first in build order and fails
        #expect(build.stdout.contains("not started: a failed"))
    }

    /// Proved by the builds themselves, not by their clocks: each script says it is waiting,
    /// then waits for a gate (a file in its package directory, mounted at /pkg/build) that the
    /// test makes only once both logs say so, which can only happen with both in flight. (Timed
    /// two-second sleeps failed to overlap once when a loaded CI run started one sandbox late.)
    @Test func independentPackagesBuildAtTheSameTimeWithTwoJobs() async throws {
        let script = """
            echo WAITING-AT-GATE
            for _ in $(seq 6000); do [ -e /pkg/build/gate ] && break; sleep 0.1; done
            mkdir -p "$PKG_PATH/share" && test -e /pkg/build/gate && touch "$PKG_PATH/share/passed-the-gate"

            """
        let scratch = try ScratchTree(["p/buildinfo.json": "{}", "p/build": script, "q/buildinfo.json": "{}", "q/build": script + "# q\n"])
        let cache = try BuilderImages.cache(in: scratch.directory)
        let bothWaiting = Flag()
        let build = try await CLIRunner.runWatching(["build", "--arch", "x86_64", "--runner", "bwrap", "-j", "2", "--progress", "json",
                                                     "--packages", scratch.packages.path, "--cache", cache.path], cache: cache,
                                                    when: { events in  // both waiting, neither done (a log outlives its build)
                                                        BuildEvents.logsSay("WAITING-AT-GATE", for: ["p", "q"], in: events)
                                                            && ["finished", "failed"].allSatisfy { BuildEvents.packages($0, in: events).isEmpty }
                                                    }) {
            bothWaiting.set()
            for name in ["p", "q"] { try? Data().write(to: scratch.packages.appendingPathComponent("\(name)/gate")) }
            return nil
        }
        #expect(bothWaiting.isSet, "p and q were never waiting at the same time: \(build.stdout)")
        #expect(build.status == 0, "\(build.stdout)\(build.stderr)")
        for name in ["p", "q"] {
            let directory = cache.appendingPathComponent("packages/x86_64/\(name)")
            let artifact = directory.appendingPathComponent(try #require(try FileManager.default.contentsOfDirectory(atPath: directory.path).first))
            let listing = try await CLIRunner.runTool("/usr/bin/tar", ["-tJf", artifact.path])
            #expect(listing.stdout.contains("share/passed-the-gate"), "\(name): \(listing.stdout)")
        }
    }

}
