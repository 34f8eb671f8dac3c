import Foundation
import Testing
import RegistryTestSupport

/// SIGINT and SIGTERM in the middle of a real tree build: running containers stop, the cache
/// stays consistent, pkgtree exits 128 + the signal, and the next run resumes from the cache.
@Suite(.tags(.container), .enabled(if: BuilderImages.available, Comment(rawValue: BuilderImages.missingReason)))
struct InterruptIntegrationTests {
    /// quick builds at once; slow1 and slow2 sleep; dependent requires both. The sleepers sleep
    /// only when NUM_CORES is 1 (it is not part of the id), so the resumed run, given two cores
    /// per job, builds the same ids without waiting. `token` names their sleeping process, to
    /// find it if it outlived the build. They sleep ten minutes, not one: in CI the whole suite
    /// starts at once on two cores, and `quick` once took longer to finish than a minute's
    /// sleep, so the build ended before the test was ready to signal it.
    static func tree(token: String) throws -> ScratchTree {
        let output = "mkdir -p \"$PKG_PATH/share\" && echo \"$PKG_NAME\" > \"$PKG_PATH/share/name\"\n"
        let sleeper = "echo sleeping\nif [ \"$NUM_CORES\" = 1 ]; then bash -c 'sleep 600; true' \(token); fi\n" + output
        return try ScratchTree([
            "quick/buildinfo.json": "{}", "quick/build": output,
            "slow1/buildinfo.json": "{}", "slow1/build": sleeper,
            "slow2/buildinfo.json": "{}", "slow2/build": sleeper,
            "dependent/buildinfo.json": #"{"requires": ["slow1", "slow2"]}"#, "dependent/build": output,
        ])
    }

    @Test(arguments: EngineContainers.runners, [SIGINT, SIGTERM])
    func aSignalStopsRunningBuildsKeepsTheCacheConsistentAndTheNextRunResumes(runner: String, signal: Int32) async throws {
        let token = "pkgtree-sleeper-\(UUID().uuidString)"
        let scratch = try Self.tree(token: token)
        let cache = try BuilderImages.cache(in: scratch.directory)
        let common = ["--arch", "x86_64", "--runner", runner, "-j", "3", "--progress", "json",
                      "--packages", scratch.packages.path, "--cache", cache.path]

        let run = try await CLIRunner.runSignalling(["build", "--cores-per-job", "1"] + common, cache: cache, signal: signal) { events in
            events.contains { $0["event"] as? String == "finished" && $0["package"] as? String == "quick" }
                && ["slow1", "slow2"].allSatisfy { Self.logSaysSleeping(cache: cache, event: Self.started($0, in: events)) }
        }
        #expect(run.readyAfter != nil, "the build ended after \(run.took) before the test was ready to signal it")
        #expect(run.status == 128 + signal, "\(run.stderr)")
        #expect(run.stderr.contains("interrupted by \(signal == SIGINT ? "SIGINT" : "SIGTERM")"))
        let events = try BuildEvents.parse(run.stdout)
        let summary = try #require(events.last)
        #expect(summary["event"] as? String == "summary")
        #expect(summary["built"] as? [String] == ["quick"])
        #expect(Set(summary["interrupted"] as? [String] ?? []) == ["slow1", "slow2"])
        #expect(events.contains { $0["event"] as? String == "skipped" && $0["package"] as? String == "dependent" })
        #expect(events.filter { $0["event"] as? String == "failed" }.isEmpty)

        // Nothing of the interrupted builds survives: no process, no container, no staging file.
        #expect(try ProcessTable.processes(containing: token).isEmpty)
        #expect(try await EngineContainers.of(process: run.processID, runner: runner).isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: cache.appendingPathComponent("tmp").path) == [])
        let slowID = try #require(Self.started("slow1", in: events)?["id"] as? String)
        let log = try String(contentsOf: cache.appendingPathComponent("logs/x86_64/slow1/\(slowID).log"), encoding: .utf8)
        #expect(log.contains("pkgtree: interrupted; nothing was stored") && !log.contains("exited with status"), "\(log)")
        let verify = try await CLIRunner.run(["cache", "verify", "--cache", cache.path], cache: cache)
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        #expect(!verify.stderr.contains("repair:"), "an interrupted build left something to repair: \(verify.stderr)")

        let resumed = try await CLIRunner.run(["build", "--cores-per-job", "2"] + common, cache: cache)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        var outcome: [String: String] = [:]
        for event in try BuildEvents.parse(resumed.stdout) where event["event"] as? String != "started" {
            if let package = event["package"] as? String { outcome[package] = event["event"] as? String }
        }
        #expect(outcome == ["quick": "cached", "slow1": "finished", "slow2": "finished", "dependent": "finished"])
    }

    static func started(_ package: String, in events: [[String: Any]]) -> [String: Any]? {
        events.first { $0["event"] as? String == "started" && $0["package"] as? String == package }
    }

    /// Whether the build that `event` started has reached its sleep.
    static func logSaysSleeping(cache: URL, event: [String: Any]?) -> Bool {
        guard let event, let name = event["package"] as? String, let id = event["id"] as? String else { return false }
        let log = cache.appendingPathComponent("logs/x86_64/\(name)/\(id).log")
        return (try? String(contentsOf: log, encoding: .utf8))?.contains("\nsleeping\n") == true
    }
}
