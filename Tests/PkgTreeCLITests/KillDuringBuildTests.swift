import Foundation
import Testing
import RegistryTestSupport

/// SIGKILL at random moments of a real tree build, with each runner: whenever it lands
/// (planning, the runner's probe, a build, its packing or index write, the bootstrap), `cache
/// verify` right after is clean, nothing of the killed run is left running, and the next build
/// finishes.
///
/// pkgtree starts bwrap with `--die-with-parent`, so the kernel takes the sandboxes down with a
/// killed pkgtree. A podman or docker container outlives its client, and no program can catch
/// SIGKILL (SIGINT and SIGTERM, which pkgtree catches, stop them: see
/// `InterruptIntegrationTests`); so after each kill the test does what the user then does,
/// `podman rm --force` / `docker rm -f` of the killed process's containers, before it checks.
@Suite(.tags(.container, .slow), .enabled(if: BuilderImages.available, Comment(rawValue: BuilderImages.missingReason)))
struct KillDuringBuildTests {
    static let kills = 20
    static let maxRounds = 40

    /// Where a kill landed, told by the events the killed run printed.
    enum Phase: String, CaseIterable {
        case beforeBuilds = "before any build started"
        case building = "while building (script, pack, index write)"
        case bootstrap = "after every build (bootstrap)"
        case exited = "too late: it had exited"

        init(_ outcome: CLIRunner.KilledOutcome, total: Int) throws {
            let events = try BuildEvents.parse(outcome.stdout)
            if !outcome.killedWhileRunning {
                self = .exited
            } else if BuildEvents.packages("started", in: events).isEmpty {
                self = .beforeBuilds
            } else if BuildEvents.packages("finished", in: events).count < total {
                self = .building
            } else {
                self = .bootstrap
            }
        }
    }

    @Test(arguments: EngineContainers.runners)
    func killedAtRandomMomentsTheNextBuildFinishesAndTheCacheVerifies(runner: String) async throws {
        let seed = TestSeed.draw(for: "KillDuringBuildTests")
        var moments = SeededFractions(seed: seed)
        // The two packages built first sleep for a second, so that many kills find a
        // sandbox that would outlive pkgtree by longer than `gone` waits, if it could.
        let scratch = try SyntheticTree.make(prelude: { "sleep \($0 < 2 ? 1 : 0.1)" })
        let total = SyntheticTree.names().count
        let clock = ContinuousClock()

        // A full build from an empty cache, timed: the kills are spread over that span. Other
        // tests share the cores, so a build may run faster later: a run that ends before its
        // kill is timed in turn and becomes the span.
        var started = clock.now
        try await Self.finish(Self.freshCache(scratch, round: 0), scratch, runner: runner, total: total, round: 0)
        let fullBuild = clock.now - started
        var span = fullBuild

        var phases: [Phase: Int] = [:]
        var round = 0
        while phases.filter({ $0.key != .exited }).values.reduce(0, +) < Self.kills && round < Self.maxRounds {
            round += 1
            let cache = try Self.freshCache(scratch, round: round)
            // The seed repeats each moment as a fraction of a full build.
            let delay = span * moments.next()
            started = clock.now
            let killed = try await CLIRunner.runKilled(SyntheticTree.buildArguments(scratch, cache: cache, runner: runner), cache: cache, after: delay)
            if !killed.killedWhileRunning { span = clock.now - started }
            let phase = try Phase(killed, total: total)
            phases[phase, default: 0] += 1
            print("\(runner) round \(round): killed after \(delay.formatted(.units(allowed: [.milliseconds]))), \(phase.rawValue)")

            #expect(try await EngineContainers.removeAfterKill(process: killed.processID, runner: runner, cache: cache),
                    "round \(round): containers of the killed build are still there")
            let leftovers = try await Self.leftovers(cache)
            #expect(leftovers.isEmpty, "round \(round): processes of the killed build are still running: \(leftovers)")
            let verify = try await CLIRunner.run(["cache", "verify", "--cache", cache.path], cache: cache)
            #expect(verify.status == 0 && verify.stdout.contains("all good"), "round \(round): \(verify.stdout)\(verify.stderr)")
            try await Self.finish(cache, scratch, runner: runner, total: total, round: round)
            try? FileManager.default.removeItem(at: cache)
            try? FileManager.default.removeItem(at: CLIRunner.output(cache: cache))
        }
        let landed = phases.filter { $0.key != .exited }.values.reduce(0, +)
        print("KillDuringBuildTests \(runner): seed \(seed), first full build \(fullBuild), last span \(span), \(round) rounds, \(landed) kills of a running build: "
              + Phase.allCases.map { "\($0.rawValue) \(phases[$0] ?? 0)" }.joined(separator: ", "))
        #expect(landed >= Self.kills, "only \(landed) of \(round) kills found the build running")
        #expect((phases[.building] ?? 0) >= 5, "too few kills landed while building (\(phases)); the test proves little")
    }

    static func freshCache(_ scratch: ScratchTree, round: Int) throws -> URL {
        try BuilderImages.cache(in: scratch.directory.appendingPathComponent("round-\(round)"))
    }

    /// The build after a kill: it finishes, every package is built or cached, and it leaves a
    /// verified cache, an empty `tmp/`, and one bootstrap with no staging file beside it.
    static func finish(_ cache: URL, _ scratch: ScratchTree, runner: String, total: Int, round: Int) async throws {
        let build = try await CLIRunner.run(SyntheticTree.buildArguments(scratch, cache: cache, runner: runner), cache: cache)
        #expect(build.status == 0, "round \(round): \(build.stderr)")
        let events = try BuildEvents.parse(build.stdout)
        let done = BuildEvents.packages("finished", in: events) + BuildEvents.packages("cached", in: events)
        #expect(done.sorted() == SyntheticTree.names(), "round \(round): \(build.stdout)")
        let verify = try await CLIRunner.run(["cache", "verify", "--cache", cache.path], cache: cache)
        #expect(verify.status == 0 && verify.stdout.contains("verified \(total) artifact(s): all good"), "round \(round): \(verify.stdout)")
        #expect(!verify.stderr.contains("repair:"), "round \(round): the finished build left something to repair: \(verify.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: cache.appendingPathComponent("tmp").path) == [])
        let bootstraps = CLIRunner.output(cache: cache).appendingPathComponent("bootstrap/x86_64")
        let files = try FileManager.default.contentsOfDirectory(atPath: bootstraps.path)
        #expect(files.filter { $0.hasSuffix(".bootstrap.tar.xz") }.count == 1, "round \(round): \(files)")
        #expect(files.filter { $0.hasSuffix(".part") }.isEmpty, "round \(round): \(files)")
    }

    /// The processes naming `cache` (the killed pkgtree, its bwrap sandboxes, engine clients)
    /// still running after five seconds, with their state and command line; none is expected.
    /// Nobody else kills them: the kernel's parent-death signals must. Half a second was once
    /// too little on two loaded cores (a whole test suite at once), so a process that is dying
    /// by itself gets longer; the list says which one lingered, if any does.
    static func leftovers(_ cache: URL) async throws -> [String] {
        for _ in 0..<100 {
            if try ProcessTable.processes(containing: cache.path).isEmpty { return [] }
            try await Task.sleep(for: .milliseconds(50))
        }
        return try ProcessTable.processes(containing: cache.path).map { pid in
            let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
            let state = status.split(separator: "\n").first { $0.hasPrefix("State:") } ?? "State: ?"
            let command = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline").map { String(decoding: $0, as: UTF8.self) } ?? ""
            return "\(pid) \(state) \(command.replacingOccurrences(of: "\0", with: " ").prefix(300))"
        }
    }
}
