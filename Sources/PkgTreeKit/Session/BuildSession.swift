import Foundation

/// One run of `pkgtree build` or `pkgtree release create` after planning: pull what the remote
/// cache has, build the rest in one pool of jobs (stopped by SIGINT or SIGTERM), push what was
/// built, then make the bootstraps. What happens goes to a `BuildProgress`; the outcome says
/// what the command prints and how it exits.
public struct BuildSession: Sendable {
    /// How packages are built.
    public struct Options: Sendable {
        public var runner: RunnerKind?
        /// Loaded before planning opens the cache, so that a broken pkgtree.json is reported
        /// with nothing changed.
        public var configuration: RunnerConfiguration
        public var jobs: Int
        /// NUM_CORES of each build.
        public var cores: Int
        public var keepGoing: Bool
        /// Whether notes say which runners were skipped and why.
        public var verbose: Bool
        public var remoteCache: RemoteCacheSettings?

        public init(runner: RunnerKind?, configuration: RunnerConfiguration, jobs: Int, cores: Int, keepGoing: Bool,
                    verbose: Bool, remoteCache: RemoteCacheSettings?) {
            self.runner = runner
            self.configuration = configuration
            self.jobs = jobs
            self.cores = cores
            self.keepGoing = keepGoing
            self.verbose = verbose
            self.remoteCache = remoteCache
        }
    }

    /// Which bootstraps the session makes once the packages are built.
    public enum Bootstraps: Sendable {
        case none
        /// `build`: one for each architecture that built without failures, its pointers
        /// published; a tree that cannot make one is said after the summary (`bootstrapProblems`).
        case whereBuilt(into: OutputDirectory)
        /// `release create`: every one, only when nothing failed; the pointers move only with
        /// the release (`writeRelease`).
        case forRelease(into: OutputDirectory)
    }

    /// One architecture's part of a run.
    public struct ArchResult: Sendable {
        public var plan: BuildPlan
        public var summary: BuildScheduler.Summary
        /// The bootstrap made (or found up to date).
        public var bootstrap: Bootstrapper.Result?

        public init(plan: BuildPlan, summary: BuildScheduler.Summary, bootstrap: Bootstrapper.Result? = nil) {
            self.plan = plan
            self.summary = summary
            self.bootstrap = bootstrap
        }
    }

    public struct Outcome: Sendable {
        /// One per plan, in the order planned.
        public var results: [ArchResult]
        public var index: CacheIndex
        /// The signal (SIGINT, SIGTERM) that stopped the build; no bootstrap is made then.
        public var signal: Int32?
        /// Why `whereBuilt` made no bootstrap; the packages built are cached.
        public var bootstrapProblems: Problems?
        /// Keeps every planned artifact from `cache gc` for as long as the outcome is used (a
        /// release is written from it after the run).
        let roots: RunRoots

        /// Whether a package failed to build.
        public var failed: Bool { results.contains { !$0.summary.failed.isEmpty } }
    }

    /// Makes the run's builder, once something needs building, from what the packages need of
    /// a runner, the cache and where notes go.
    public typealias BuilderMaker = @Sendable (RunnerNeeds, CacheIndex, any BuildProgress) async throws -> any PackageBuilding

    public var options: Options
    public var bootstraps: Bootstraps
    /// How packages are built: by default in containers on this machine (`localBuilder`).
    public var makeBuilder: BuilderMaker

    public init(options: Options, bootstraps: Bootstraps, makeBuilder: BuilderMaker? = nil) {
        self.options = options
        self.bootstraps = bootstraps
        self.makeBuilder = makeBuilder ?? Self.localBuilder(options)
    }

    /// A `PackageBuilder` on the runner `options` names, else the first that can build what
    /// the packages need; says which (and, verbose, why others were skipped).
    public static func localBuilder(_ options: Options) -> BuilderMaker {
        { needs, index, progress in
            let images = BuilderImageStore(layout: index.layout, registries: options.configuration.registries)
            let runner = try await Runner.select(options.runner, configuration: options.configuration, needs: needs, store: images,
                                                 note: { if options.verbose { progress.note($0) } }, announce: progress.note)
            progress.note("runner: \(runner.kind.rawValue)")
            return PackageBuilder(index: index, runner: runner, images: images, cores: options.cores, announce: progress.note)
        }
    }

    /// Builds what `planned` lacks, then makes the bootstraps `bootstraps` asks for. A
    /// bootstrap that cannot be written throws, as does a bad tree with `forRelease`.
    public func run(_ planned: [Planner.Result], index: CacheIndex, progress: any BuildProgress) async throws -> Outcome {
        let roots = try await RunRoots.register(planned.flatMap { $0.plan.packages.map(\.id) }, index.layout)
        let (results, signal) = try await build(try Self.stillCached(planned, index: index), index: index, progress: progress)
        var outcome = Outcome(results: results, index: index, signal: signal, roots: roots)
        guard signal == nil else { return outcome }
        switch bootstraps {
        case .none:
            break
        case .whereBuilt(let output):
            do {
                for position in outcome.results.indices where outcome.results[position].summary.failed.isEmpty
                    && !outcome.results[position].plan.packages.isEmpty {
                    outcome.results[position].bootstrap = try await makeBootstrap(outcome.results[position].plan, index: index, into: output, publishing: true)
                }
            } catch let problems as Problems {
                outcome.bootstrapProblems = problems  // the packages are built; the command says so before the error
            }
        case .forRelease(let output):
            guard !outcome.failed else { break }
            for position in outcome.results.indices {
                outcome.results[position].bootstrap = try await makeBootstrap(outcome.results[position].plan, index: index, into: output, publishing: false)
            }
        }
        return outcome
    }

    /// `planned` with only the ids still cached now that the run's roots are registered: a gc
    /// that ran since planning may have taken some, and they are built (or pulled) again.
    static func stillCached(_ planned: [Planner.Result], index: CacheIndex) throws -> [Planner.Result] {
        let store = ArtifactStore(index: index)
        return try planned.map { result in
            var result = result
            result.cached = try store.intactIDs(among: Array(result.cached))
            return result
        }
    }

    func bootstrapper(_ index: CacheIndex, into output: OutputDirectory) -> Bootstrapper {
        Bootstrapper(index: index, output: output.url, jobs: options.jobs)
    }

    private func makeBootstrap(_ plan: BuildPlan, index: CacheIndex, into output: OutputDirectory,
                               publishing: Bool) async throws -> Bootstrapper.Result {
        try await output.writing("the bootstrap") { try await bootstrapper(index, into: output).make(plan, publishing: publishing) }
    }

    /// Builds what `planned` lacks, pulling from and pushing to the remote cache around it.
    private func build(_ planned: [Planner.Result], index: CacheIndex,
                       progress: any BuildProgress) async throws -> (results: [ArchResult], signal: Int32?) {
        // The remote cache's one call site before building (docs/registry.md).
        var planned = planned
        if let remote = options.remoteCache {
            planned = await Self.pullMissing(planned, settings: remote, index: index, note: progress.note)
        }
        let scheduler = BuildScheduler(planned, keepGoing: options.keepGoing, jobs: options.jobs)
        let makeBuilder = makeBuilder
        let summaries: [BuildScheduler.Summary], signal: Int32?
        do {
            (summaries, signal) = try await SignalCancellation.run { try await scheduler.run(makeBuilder: { needs in
                AnyPackageBuilder(try await makeBuilder(needs, index, progress))
            }, report: progress.report) }
            progress.close()
        } catch {
            progress.close()  // a live block must not stay on screen above the error
            throw error
        }
        let results = zip(planned, summaries).map { ArchResult(plan: $0.plan, summary: $1) }
        // ... and its one call site after (push is on only with --push or remote_cache.push).
        if let remote = options.remoteCache, signal == nil {
            await Self.pushBuilt(results, settings: remote, index: index, note: progress.note)
        }
        return (results, signal)
    }
}
