import ArgumentParser
import Foundation
import PkgTreeKit

/// How packages are built: shared by `build` and `release create`, which builds what is missing.
struct BuildOptions: ParsableArguments {
    @Option(help: ArgumentHelp("podman, docker or bwrap. Default: pkgtree.json, $PKGTREE_RUNNER, else the first that works.", valueName: "runner"))
    var runner: RunnerKind?

    @Flag(help: "After a failure, go on building what does not depend on it.")
    var keepGoing = false

    @Option(name: [.customShort("j"), .long], help: ArgumentHelp("Builds at once. Default: the number of cores.", valueName: "n"))
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: ArgumentHelp("NUM_CORES each build gets. Default: the cores shared among the jobs.", valueName: "n"))
    var coresPerJob: Int?

    @Flag(name: .shortAndLong, help: "Say which runners were skipped and why.")
    var verbose = false

    enum Progress: String, ExpressibleByArgument, CaseIterable {
        case auto, tty, plain, json
    }

    @OptionGroup var remote: RemoteCacheOptions

    @Flag(inversion: .prefixedNo, help: "Push what is built to the remote cache. Default: pkgtree.json's remote_cache.push, else no.")
    var push: Bool?

    @Option(help: ArgumentHelp("tty: one live status block, redrawn in place; plain: one line per event, for logs; json: JSON lines (started, cached, finished, failed, skipped, summary) for tools; auto: tty on a terminal (unless TERM=dumb or CI is set), else plain.", valueName: "mode"))
    var progress: Progress = .auto

    func validate() throws {
        if jobs < 1 { throw ValidationError("-j must be at least 1") }
        if let coresPerJob, coresPerJob < 1 { throw ValidationError("--cores-per-job must be at least 1") }
    }

    /// The remote cache the build pulls from and pushes to, if one is configured; a push
    /// without a readable signing key is bad input, found before anything is built.
    func remoteCache(packages: String) throws -> RemoteCacheSettings? {
        guard let settings = try remote.settings(packages: packages, push: push) else { return nil }
        if settings.push { _ = try settings.signingKey() }
        return settings
    }

    /// The session that builds with these options; `configuration` is loaded before planning
    /// opens the cache, so that a broken pkgtree.json is reported with nothing changed.
    func session(configuration: RunnerConfiguration, remote: RemoteCacheSettings?,
                 bootstraps: BuildSession.Bootstraps = .none) -> BuildSession {
        BuildSession(options: .init(runner: runner, configuration: configuration, jobs: jobs, cores: cores,
                                    keepGoing: keepGoing, verbose: verbose, remoteCache: remote),
                     bootstraps: bootstraps)
    }

    /// NUM_CORES of each build.
    var cores: Int {
        coresPerJob ?? max(1, ProcessInfo.processInfo.activeProcessorCount / jobs)
    }

    /// Where events go, as `--progress` says.
    func makeProgress(_ planned: [Planner.Result]) -> any BuildProgress {
        let showingArch = Set(planned.map(\.plan.arch)).count > 1
        if progress == .json { return JSONProgress() }
        if progress == .tty || (progress == .auto && Terminal.wantsLiveProgress()) {
            return TerminalProgress(total: planned.reduce(0) { $0 + $1.plan.packages.count }, showingArch: showingArch)
        }
        return PlainProgress(showingArch: showingArch)
    }

    func printSummary(_ results: [BuildSession.ArchResult]) {
        Console.output(progress == .json ? BuildProgressJSON.summary(results) : BuildReport.summary(results))
    }
}
