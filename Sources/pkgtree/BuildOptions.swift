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
        case plain, json
    }

    @Option(help: ArgumentHelp("plain: one line per event, for logs; json: JSON lines (started, cached, finished, failed, skipped, summary) for tools.", valueName: "mode"))
    var progress: Progress = .plain

    func validate() throws {
        if jobs < 1 { throw ValidationError("-j must be at least 1") }
        if let coresPerJob, coresPerJob < 1 { throw ValidationError("--cores-per-job must be at least 1") }
    }

    /// Builds what `planned` lacks, reporting each event as `--progress` says, and returns one
    /// result per plan (the summary is the caller's to print).
    func build(_ planned: [Planner.Result], index: CacheIndex, packages: String) async throws -> [BuildReport.ArchResult] {
        let configuration = try RunnerConfiguration.load(packages: URL(fileURLWithPath: packages))
        let tree = TreeBuild(planned, index: index, keepGoing: keepGoing, jobs: jobs)
        let (runner, verbose) = (runner, verbose)
        let cores = coresPerJob ?? max(1, ProcessInfo.processInfo.activeProcessorCount / jobs)
        let showingArch = Set(planned.map(\.plan.arch)).count > 1
        let summaries = try await tree.run(makeBuilder: {
            let runner = try await Runner.select(runner, configuration: configuration) { note in
                if verbose { Console.error(note) }
            }
            Console.error("runner: \(runner.kind.rawValue)")
            return PackageBuilder(index: index, runner: runner, cores: cores, announce: { Console.error($0) })
        }, report: progress == .json ? BuildReport.json : { BuildReport.plain($0, showingArch: showingArch) })
        return zip(planned, summaries).map { BuildReport.ArchResult(plan: $0.plan, summary: $1) }
    }

    func printSummary(_ results: [BuildReport.ArchResult]) {
        Console.output(progress == .json ? BuildReport.jsonSummary(results) : BuildReport.summary(results))
    }
}
