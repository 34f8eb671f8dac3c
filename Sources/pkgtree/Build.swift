import ArgumentParser
import Foundation
import PkgTreeKit

struct Build: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build packages (and whatever they need that is not cached) in per-architecture containers.",
        discussion: "Without package names, builds the whole tree variant. With several architectures (--arch x86_64,aarch64), their builds share one pool of -j jobs. A second run with nothing changed reports everything cached and starts no container."
    )

    @OptionGroup var tree: MultiArchTreeOptions

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
        case auto, tty, plain, json
    }

    @Option(help: ArgumentHelp("tty: one live status block, redrawn in place; plain: one line per event, for logs; json: JSON lines (started, cached, finished, failed, skipped, summary) for tools; auto: tty on a terminal (unless TERM=dumb or CI is set), else plain.", valueName: "mode"))
    var progress: Progress = .auto

    @Argument(help: ArgumentHelp("Only these packages and what they require.", valueName: "package"))
    var packageNames: [String] = []

    func run() async throws {
        let planned = try tree.plan(only: packageNames)
        let index = try Cache.open(tree.cache)
        let configuration = try RunnerConfiguration.load(packages: URL(fileURLWithPath: tree.packages))
        let build = TreeBuild(planned, index: index, keepGoing: keepGoing, jobs: jobs)
        let verbose = verbose
        let cores = coresPerJob ?? max(1, ProcessInfo.processInfo.activeProcessorCount / jobs)
        let output = makeProgress(planned)
        let summaries: [TreeBuild.Summary]
        do {
            summaries = try await build.run(makeBuilder: {
                let runner = try await Runner.select(runner, configuration: configuration) { note in
                    if verbose { output.note(note) }
                }
                output.note("runner: \(runner.kind.rawValue)")
                return PackageBuilder(index: index, runner: runner, cores: cores, announce: output.note)
            }, report: output.report)
            output.close()
        } catch {
            output.close()  // a live block must not stay on screen above the error
            throw error
        }
        let results = zip(planned, summaries).map { BuildReport.ArchResult(plan: $0.plan, summary: $1) }
        Console.output(progress == .json ? BuildReport.jsonSummary(results) : BuildReport.summary(results))
        if summaries.contains(where: { !$0.failed.isEmpty }) { throw ExitCode(ExitStatus.failure) }
    }

    private func makeProgress(_ planned: [Planner.Result]) -> BuildProgress {
        let showingArch = planned.count > 1
        if progress == .json { return JSONProgress() }
        if progress == .tty || (progress == .auto && Terminal.wantsLiveProgress()) {
            return TerminalProgress(total: planned.reduce(0) { $0 + $1.plan.packages.count }, showingArch: showingArch)
        }
        return PlainProgress(showingArch: showingArch)
    }
}

extension RunnerKind: ExpressibleByArgument {}
