import ArgumentParser
import Foundation
import PkgTreeKit

struct Build: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build packages (and whatever they need that is not cached) in per-architecture containers.",
        discussion: "Without package names, builds the whole tree variant. A second run with nothing changed reports everything cached and starts no container."
    )

    @OptionGroup var tree: TreeOptions

    @Option(help: ArgumentHelp("podman, docker or bwrap. Default: pkgtree.json, $PKGTREE_RUNNER, else the first that works.", valueName: "runner"))
    var runner: RunnerKind?

    @Flag(help: "After a failure, go on building what does not depend on it.")
    var keepGoing = false

    @Option(name: [.customShort("j"), .long], help: ArgumentHelp("Builds at once. Default: the number of cores.", valueName: "n"))
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: ArgumentHelp("NUM_CORES each build gets. Default: the cores shared among the jobs.", valueName: "n"))
    var coresPerJob: Int?

    func validate() throws {
        if jobs < 1 { throw ValidationError("-j must be at least 1") }
        if let coresPerJob, coresPerJob < 1 { throw ValidationError("--cores-per-job must be at least 1") }
    }

    @Flag(name: .shortAndLong, help: "Say which runners were skipped and why.")
    var verbose = false

    enum Progress: String, ExpressibleByArgument, CaseIterable {
        case plain, json
    }

    @Option(help: ArgumentHelp("plain: one line per event, for logs; json: JSON lines (started, cached, finished, failed, skipped, summary) for tools.", valueName: "mode"))
    var progress: Progress = .plain

    @Argument(help: ArgumentHelp("Only these packages and what they require.", valueName: "package"))
    var packageNames: [String] = []

    func run() async throws {
        let planned = try tree.plan(only: packageNames)
        let index = try Cache.open(tree.cache)
        let configuration = try RunnerConfiguration.load(packages: URL(fileURLWithPath: tree.packages))
        let build = TreeBuild(plan: planned.plan, cached: planned.cached, index: index, keepGoing: keepGoing, jobs: jobs)
        let verbose = verbose
        let cores = coresPerJob ?? max(1, ProcessInfo.processInfo.activeProcessorCount / jobs)
        let (summary, signal) = try await SignalCancellation.run { try await build.run(makeBuilder: {
            let runner = try await Runner.select(runner, configuration: configuration) { note in
                if verbose { Console.error(note) }
            }
            Console.error("runner: \(runner.kind.rawValue)")
            return PackageBuilder(index: index, runner: runner, cores: cores,
                                  announce: { Console.error($0) })
        }, report: progress == .json ? { BuildReport.json($0, arch: planned.plan.arch) } : BuildReport.plain) }
        Console.output(progress == .json ? BuildReport.jsonSummary(summary, plan: planned.plan)
                                         : BuildReport.summary(summary, plan: planned.plan))
        if let signal { throw Interrupted(signal: signal) }
        if !summary.failed.isEmpty { throw ExitCode(ExitStatus.failure) }
    }
}

extension RunnerKind: ExpressibleByArgument {}
