import Foundation
import Synchronization
import Testing
import RegistryTestSupport
@testable import PkgTreeKit

/// `BuildSession` (what `pkgtree build` and `release create` run after planning) with a builder
/// that stores real artifacts, as a build does after its script, but runs no container: which
/// bootstraps a session makes when one architecture fails, what a release gets, and that no
/// builder is made when everything is cached. The bootstraps are real, made from the cache.
struct BuildSessionTests {
    static let tree = ["base": "{}", "app": #"{"requires": ["base"]}"#]

    @Test func aFailureOnOneArchitectureLeavesTheOthersBootstrapAndNoneForItself() async throws {
        let (cache, output) = (try await CacheFixture(), try Self.outputDirectory())
        let planned = try [Architecture.x86_64, .aarch64].map { try Self.planned($0, cache: cache) }
        let session = Self.session(.whereBuilt(into: output), keepGoing: true, failing: ["aarch64/app"])
        let progress = RecordedProgress()
        let outcome = try await session.run(planned, index: cache.index, progress: progress)

        #expect(outcome.failed && outcome.signal == nil && outcome.bootstrapProblems == nil)
        #expect(outcome.results.map(\.summary.built) == [["base", "app"], ["base"]])
        #expect(outcome.results.map { $0.summary.failed.map(\.name) } == [[], ["app"]])
        let x86 = try #require(outcome.results[0].bootstrap)
        #expect(outcome.results[1].bootstrap == nil)
        #expect(x86.packageIDs == planned[0].plan.packages.map(\.id).sorted())
        let listing = try await Self.tarListing(x86.tarball)
        #expect(listing.contains { $0.hasSuffix("/bin/app") } && listing.contains { $0.hasSuffix("/bin/base") }, "\(listing)")
        // `build` publishes the pointers of the bootstrap it made, and only of that one.
        #expect(FileManager.default.fileExists(atPath: output.url.appendingPathComponent("bootstrap/x86_64/bootstrap.latest").path))
        #expect(!FileManager.default.fileExists(atPath: output.url.appendingPathComponent("bootstrap/aarch64").path))
        #expect(progress.notes.contains("runner: fake"), "\(progress.notes)")
        #expect(progress.closed == 1)
    }

    @Test func aReleaseGetsNoBootstrapWhenAnythingFailed() async throws {
        let (cache, output) = (try await CacheFixture(), try Self.outputDirectory())
        let planned = try [Architecture.x86_64, .aarch64].map { try Self.planned($0, cache: cache) }
        let outcome = try await Self.session(.forRelease(into: output), keepGoing: true, failing: ["aarch64/base"])
            .run(planned, index: cache.index, progress: RecordedProgress())
        #expect(outcome.failed)
        #expect(outcome.results.allSatisfy { $0.bootstrap == nil })
        #expect(outcome.results[1].summary.skipped.map(\.name) == ["app"])
        let written = (try? FileManager.default.contentsOfDirectory(atPath: output.url.path)) ?? []
        #expect(written.isEmpty, "\(written)")
    }

    @Test func aReleaseOfABuiltTreeHasEveryBootstrapAndMovesNoPointerBeforeTheRelease() async throws {
        let (cache, output) = (try await CacheFixture(), try Self.outputDirectory())
        let planned = try [Architecture.x86_64, .aarch64].map { try Self.planned($0, cache: cache) }
        let outcome = try await Self.session(.forRelease(into: output), keepGoing: false, failing: [])
            .run(planned, index: cache.index, progress: RecordedProgress())
        #expect(!outcome.failed)
        #expect(outcome.results.allSatisfy { $0.bootstrap != nil })
        for result in outcome.results {
            let directory = output.url.appendingPathComponent("bootstrap/\(result.plan.arch)")
            #expect(FileManager.default.fileExists(atPath: try #require(result.bootstrap).tarball.path))
            #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("bootstrap.latest").path))
        }
    }

    @Test func aCachedTreeMakesNoBuilderAndReusesItsBootstrap() async throws {
        let (cache, output) = (try await CacheFixture(), try Self.outputDirectory())
        let first = try await Self.session(.whereBuilt(into: output), keepGoing: false, failing: [])
            .run([try Self.planned(.x86_64, cache: cache)], index: cache.index, progress: RecordedProgress())
        let again = try Self.planned(.x86_64, cache: cache)
        #expect(again.cached.count == 2)
        let session = BuildSession(options: Self.options(keepGoing: false), bootstraps: .whereBuilt(into: output)) { _, _, _ in
            Issue.record("a builder was made with everything cached")
            return FakeBuilder()
        }
        let second = try await session.run([again], index: cache.index, progress: RecordedProgress())
        #expect(second.results[0].summary.cached == ["base", "app"] && second.results[0].summary.built.isEmpty)
        #expect(second.results[0].bootstrap?.reused == true)
        #expect(second.results[0].bootstrap?.id == first.results[0].bootstrap?.id)
    }

    /// A run killed after its tarball was in place, while it wrote a pointer, leaves that
    /// pointer's staging file; the next run reuses the tarball and clears the leftover (seen in
    /// KillDuringBuildTests: the staging file outlived every later run).
    @Test func aReusedBootstrapClearsAKilledRunsStagingFileOfItsID() async throws {
        let (cache, output) = (try await CacheFixture(), try Self.outputDirectory())
        let first = try await Self.session(.whereBuilt(into: output), keepGoing: false, failing: [])
            .run([try Self.planned(.x86_64, cache: cache)], index: cache.index, progress: RecordedProgress())
        let bootstrap = try #require(first.results[0].bootstrap)
        let directory = bootstrap.tarball.deletingLastPathComponent()
        let leftover = directory.appendingPathComponent(TemporaryName.hidden(for: bootstrap.id))
        try Data("half a pointer".utf8).write(to: leftover)
        let other = directory.appendingPathComponent(TemporaryName.hidden(for: String(repeating: "0", count: 64)))
        try Data("another id's, being written".utf8).write(to: other)

        let second = try await Self.session(.whereBuilt(into: output), keepGoing: false, failing: [])
            .run([try Self.planned(.x86_64, cache: cache)], index: cache.index, progress: RecordedProgress())
        #expect(second.results[0].bootstrap?.reused == true)
        #expect(!FileManager.default.fileExists(atPath: leftover.path))
        #expect(FileManager.default.fileExists(atPath: other.path), "only this id's staging files are this run's to clear")
    }

    // MARK: - Fixtures

    static func planned(_ arch: Architecture, cache: CacheFixture) throws -> Planner.Result {
        let plan = try TreeFixture.tree(tree).plan(arch)
        let cached = try ArtifactStore(index: cache.index).intactIDs(among: plan.packages.map(\.id))
        return Planner.Result(plan: plan, cached: cached, filesRead: 0, index: cache.index)
    }

    static func options(keepGoing: Bool) -> BuildSession.Options {
        BuildSession.Options(runner: nil, configuration: RunnerConfiguration(), jobs: 2, cores: 1, keepGoing: keepGoing,
                             verbose: false, remoteCache: nil)
    }

    static func session(_ bootstraps: BuildSession.Bootstraps, keepGoing: Bool, failing: Set<String>) -> BuildSession {
        BuildSession(options: options(keepGoing: keepGoing), bootstraps: bootstraps) { _, index, progress in
            progress.note("runner: fake")
            return StoringBuilder(index: index, failing: failing)
        }
    }

    static func outputDirectory() throws -> OutputDirectory {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pkgtree-session-\(UUID().uuidString)/output")
        return OutputDirectory(url: url, alternative: "another output directory")
    }

    /// What the system's tar lists (spawned by swift-subprocess, as every tool in the tests:
    /// Foundation's `Process` crashed under a full run's load).
    static func tarListing(_ tarball: URL) async throws -> [String] {
        let tar = try await ToolProcess.outcome("/usr/bin/tar", ["-tJf", tarball.path])
        #expect(tar.status == 0, "\(tar.stderr)")
        return tar.stdout.split(separator: "\n").map(String.init)
    }
}

/// Stores each package as a build does once its script succeeded: an executable in `$PKG_PATH`,
/// the metadata files a build writes, through the cache. `failing`: `arch/name` labels whose
/// script "fails".
struct StoringBuilder: PackageBuilding {
    var index: CacheIndex
    var failing: Set<String>

    func log(of package: PlannedPackage, in plan: BuildPlan) -> URL {
        index.layout.root.appendingPathComponent("logs/\(plan.arch)/\(package.name).log")
    }

    func build(_ plan: BuildPlan, position: Int) async throws -> BuildOutcome {
        let package = plan.packages[position]
        let log = log(of: package, in: plan)
        if failing.contains("\(plan.arch)/\(package.name)") {
            return .failed(reason: "the build script exited with status 1", log: log)
        }
        let output = index.layout.tmp.appendingPathComponent("output-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: output) }
        let program = output.appendingPathComponent("bin/\(package.name)")
        try FileManager.default.createDirectory(at: program.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("#!/bin/sh\necho \(package.name)\n".utf8).write(to: program)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: program.path)
        let inputs = plan.fullInputs(of: position)
        try PackageMetadata.write(into: output, plan: plan, index: position, inputs: inputs)
        let record = try await ArtifactStore(index: index).store(directory: output, as: .init(plan: plan, index: position, inputs: inputs, buildDuration: 0)).record
        return .built(record, log: log)
    }
}

/// What a session said, kept for the test.
final class RecordedProgress: BuildProgress {
    private let state = Mutex<(events: [BuildScheduler.Event], notes: [String], closed: Int)>(([], [], 0))

    func report(_ event: BuildScheduler.Event) { state.withLock { $0.events.append(event) } }
    func note(_ text: String) { state.withLock { $0.notes.append(text) } }
    func close() { state.withLock { $0.closed += 1 } }

    var notes: [String] { state.withLock { $0.notes } }
    var closed: Int { state.withLock { $0.closed } }
}
