import Foundation
import Testing
@testable import PkgTreeKit

/// The scheduler with a fake builder: which events, in which order, what waits for what, how
/// many at once, what a failure and a cancellation stop. No container; each test takes
/// milliseconds. Real builds through the scheduler are SchedulerIntegrationTests' (CLI).
struct BuildSchedulerTests {
    /// A plan of `packages` (name -> buildinfo JSON) for `arch`, with `cached` already in the cache.
    static func planned(_ packages: [String: String], _ arch: Architecture = .x86_64, cached: Set<String> = [],
                        cache: CacheFixture) throws -> Planner.Result {
        let plan = try TreeFixture.tree(packages).plan(arch)
        let cachedIDs = Set(plan.packages.filter { cached.contains($0.name) }.map(\.id))
        return Planner.Result(plan: plan, cached: cachedIDs, filesRead: 0, index: cache.index)
    }

    /// Each event as a short line: `started x86_64/b 2/2 /logs/x86_64/b.log`.
    static func line(_ event: BuildScheduler.Event) -> String {
        let label = "\(event.arch)/\(event.name)"
        switch event.kind {
        case .cached: return "cached \(label)"
        case .started(let position, let total, let log): return "started \(label) \(position)/\(total) \(log.path)"
        case .built(_, let log): return "built \(label) \(log.path)"
        case .failed(let reason, _): return "failed \(label): \(reason)"
        case .skipped(let reason): return "skipped \(label): \(reason)"
        case .interrupted: return "interrupted \(label)"
        }
    }

    /// Runs `plans` with `builder`, returning the event lines and the summaries.
    static func run(_ plans: [Planner.Result], _ builder: FakeBuilder, keepGoing: Bool = false,
                    jobs: Int = 1) async throws -> (events: [String], summaries: [BuildScheduler.Summary]) {
        var events: [String] = []
        let summaries = try await BuildScheduler(plans, keepGoing: keepGoing, jobs: jobs)
            .run(makeBuilder: { _ in builder }, report: { events.append(line($0)) })
        return (events, summaries)
    }

    @Test func eachBuildIsStartedThenFinishedInDependencyOrderWithTheBuildersLog() async throws {
        let cache = try await CacheFixture()
        let plan = try Self.planned(["a": "{}", "b": #"{"requires": ["a"]}"#], cache: cache)
        let (events, summaries) = try await Self.run([plan], FakeBuilder())
        #expect(events == [
            "started x86_64/a 1/2 /logs/x86_64/a.log", "built x86_64/a /logs/x86_64/a.log",
            "started x86_64/b 2/2 /logs/x86_64/b.log", "built x86_64/b /logs/x86_64/b.log",
        ])
        #expect(summaries.map(\.built) == [["a", "b"]])
    }

    @Test func cachedPackagesAreReportedFirstAndNotCountedAmongTheBuilds() async throws {
        let cache = try await CacheFixture()
        let plan = try Self.planned(["a": "{}", "b": #"{"requires": ["a"]}"#], cached: ["a"], cache: cache)
        let (events, summaries) = try await Self.run([plan], FakeBuilder())
        #expect(events == ["cached x86_64/a", "started x86_64/b 1/1 /logs/x86_64/b.log", "built x86_64/b /logs/x86_64/b.log"])
        #expect(summaries[0].cached == ["a"] && summaries[0].built == ["b"])
    }

    @Test func aFullyCachedRunMakesNoBuilder() async throws {
        let cache = try await CacheFixture()
        let plan = try Self.planned(["a": "{}", "b": "{}"], cached: ["a", "b"], cache: cache)
        var events: [String] = []
        let summaries = try await BuildScheduler([plan], keepGoing: false).run(makeBuilder: { _ -> FakeBuilder in
            Issue.record("a builder was made with nothing to build")
            return FakeBuilder()
        }, report: { events.append(Self.line($0)) })
        #expect(events == ["cached x86_64/a", "cached x86_64/b"])
        #expect(summaries[0].cached == ["a", "b"] && summaries[0].built.isEmpty)
    }

    @Test func noPackageStartsBeforeWhatItRequiresIsBuiltEvenWithManyJobs() async throws {
        let cache = try await CacheFixture()
        // A diamond under a slow root, and a chain beside it.
        let plan = try Self.planned(["root": "{}", "left": #"{"requires": ["root"]}"#, "right": #"{"requires": ["root"]}"#,
                                     "top": #"{"requires": ["left", "right"]}"#, "c1": "{}", "c2": #"{"requires": ["c1"]}"#],
                                    cache: cache)
        let builder = FakeBuilder(delays: ["root": .milliseconds(30), "c1": .milliseconds(5)])
        let (_, summaries) = try await Self.run([plan], builder, jobs: 4)
        #expect(await builder.journal.startedEarly == [])
        #expect(Set(summaries[0].built) == ["root", "left", "right", "top", "c1", "c2"])
        let started = await builder.journal.started
        #expect(started.firstIndex(of: "x86_64/top")! > started.firstIndex(of: "x86_64/left")!)
    }

    @Test(arguments: [1, 2, 3])
    func atMostJobsBuildsRunAtOnceAndThePoolIsUsed(jobs: Int) async throws {
        let cache = try await CacheFixture()
        let names = ["p1", "p2", "p3", "p4", "p5", "p6"]
        let plan = try Self.planned(Dictionary(uniqueKeysWithValues: names.map { ($0, "{}") }), cache: cache)
        let builder = FakeBuilder(delays: Dictionary(uniqueKeysWithValues: names.map { ($0, .milliseconds(50)) }))
        let (events, _) = try await Self.run([plan], builder, jobs: jobs)
        #expect(await builder.journal.mostAtOnce == jobs)
        #expect(events.filter { $0.hasPrefix("built") }.count == names.count)
    }

    @Test func afterAFailureNothingNewStartsAndTheRestIsSkippedSayingWhy() async throws {
        let cache = try await CacheFixture()
        let plan = try Self.planned(["a": "{}", "b": #"{"requires": ["a"]}"#, "c": "{}"], cache: cache)
        let (events, summaries) = try await Self.run([plan], FakeBuilder(failing: ["a"]))
        let stop = "not started: a failed (use --keep-going to build what does not depend on it)"
        #expect(events == [
            "started x86_64/a 1/3 /logs/x86_64/a.log", "failed x86_64/a: the build script exited with status 1",
            "skipped x86_64/b: \(stop)", "skipped x86_64/c: \(stop)",
        ])
        #expect(summaries[0].failed.map(\.name) == ["a"] && summaries[0].failed.map(\.log.path) == ["/logs/x86_64/a.log"])
        #expect(summaries[0].skipped.map(\.name) == ["b", "c"] && summaries[0].built.isEmpty)
    }

    @Test func keepGoingSkipsOnlyWhatDependsOnTheFailure() async throws {
        let cache = try await CacheFixture()
        let plan = try Self.planned(["a": "{}", "b": #"{"requires": ["a"]}"#, "d": #"{"requires": ["b"]}"#, "c": "{}"],
                                    cache: cache)
        let (events, summaries) = try await Self.run([plan], FakeBuilder(failing: ["a"]), keepGoing: true)
        #expect(events.contains("skipped x86_64/b: requires a, which failed"))
        #expect(events.contains("skipped x86_64/d: requires a, which failed"))  // the first failure up the chain
        #expect(events.contains("built x86_64/c /logs/x86_64/c.log"))
        #expect(summaries[0].failed.map(\.name) == ["a"] && summaries[0].built == ["c"])
        #expect(Set(summaries[0].skipped.map(\.name)) == ["b", "d"])
    }

    @Test func plansOfSeveralArchitecturesTakeTurnsInOnePoolAndAFailureNamesItsArchitecture() async throws {
        let cache = try await CacheFixture()
        let x86 = try Self.planned(["a": "{}", "b": #"{"requires": ["a"]}"#], .x86_64, cache: cache)
        let arm = try Self.planned(["a": "{}", "b": #"{"requires": ["a"]}"#], .aarch64, cache: cache)
        let (events, summaries) = try await Self.run([x86, arm], FakeBuilder(failing: ["aarch64/a"]))
        let stop = "not started: aarch64/a failed (use --keep-going to build what does not depend on it)"
        // Position by position, the plans taking turns: aarch64/a before x86_64/b.
        #expect(events == [
            "started x86_64/a 1/4 /logs/x86_64/a.log", "built x86_64/a /logs/x86_64/a.log",
            "started aarch64/a 2/4 /logs/aarch64/a.log", "failed aarch64/a: the build script exited with status 1",
            "skipped x86_64/b: \(stop)", "skipped aarch64/b: \(stop)",
        ])
        #expect(summaries.map(\.arch) == [.x86_64, .aarch64])
        #expect(summaries[0].built == ["a"] && summaries[0].skipped.map(\.name) == ["b"])
        #expect(summaries[1].failed.map(\.name) == ["a"] && summaries[1].skipped.map(\.name) == ["b"])
    }

    @Test func cancellingStopsTheRunningBuildsAndStartsNothingMore() async throws {
        let cache = try await CacheFixture()
        let plan = try Self.planned(["a": "{}", "b": "{}", "c": #"{"requires": ["a"]}"#, "d": "{}"], cache: cache)
        let slow = Duration.seconds(60)
        let builder = FakeBuilder(delays: ["a": slow, "b": slow, "c": slow, "d": slow])
        let run = Task { try await Self.run([plan], builder, jobs: 2) }
        while await builder.journal.started.count < 2 { try await Task.sleep(for: .milliseconds(1)) }
        run.cancel()
        let (events, summaries) = try await run.value
        #expect(await builder.journal.ended.map(\.end) == [.interrupted, .interrupted])
        #expect(await builder.journal.started == ["x86_64/a", "x86_64/b"])
        #expect(Set(summaries[0].interrupted) == ["a", "b"])
        #expect(Set(summaries[0].skipped.map(\.name)) == ["c", "d"])
        #expect(summaries[0].skipped.allSatisfy { $0.reason == "not started: interrupted" })
        #expect(events.filter { $0.hasPrefix("interrupted") }.count == 2 && !events.contains { $0.hasPrefix("built") })
    }

    @Test func whatABuilderThrowsEndsTheRunEvenWithKeepGoing() async throws {
        struct DiskFull: Error {}
        struct Throwing: PackageBuilding {
            func log(of package: PlannedPackage, in plan: BuildPlan) -> URL { URL(fileURLWithPath: "/logs/\(package.name).log") }
            func build(_ plan: BuildPlan, position: Int) async throws -> BuildOutcome { throw DiskFull() }
        }
        let cache = try await CacheFixture()
        let plan = try Self.planned(["a": "{}"], cache: cache)
        await #expect(throws: DiskFull.self) {
            _ = try await BuildScheduler([plan], keepGoing: true).run(makeBuilder: { _ in Throwing() }, report: { _ in })
        }
    }
}
