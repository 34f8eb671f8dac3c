import ArgumentParser
import Foundation
import PkgTreeKit

struct Build: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build packages (and whatever they need that is not cached) in per-architecture containers.",
        discussion: """
            Without package names, builds the whole tree variant and then packs its bootstrap tarball \
            (as `pkgtree bootstrap` does) for every architecture that built without failures. With several \
            architectures (--arch x86_64,aarch64), their builds share one pool of -j jobs. A second run with \
            nothing changed reports everything cached, starts no container and writes no bootstrap again.
            """
    )

    @OptionGroup var tree: MultiArchTreeOptions
    @OptionGroup var options: BuildOptions
    @OptionGroup var output: OutputOptions

    @Flag(help: "Do not make the bootstrap tarball after a full build.")
    var noBootstrap = false

    @Argument(help: ArgumentHelp("Only these packages and what they require.", valueName: "package"))
    var packageNames: [String] = []

    func run() async throws {
        let configuration = try RunnerConfiguration.load(packages: URL(fileURLWithPath: tree.packages))
        if packageNames.isEmpty && !noBootstrap { try output.requireWritable() }  // not after hours of builds
        let remote = try options.remoteCache(packages: tree.packages)
        let planned = try tree.plan(only: packageNames)
        let index = planned[0].index
        var (results, signal) = try await options.build(planned, index: index, configuration: configuration, remote: remote)
        var bootstrapProblems: Problems?
        if packageNames.isEmpty && !noBootstrap && signal == nil {
            let bootstrapper = Bootstrapper(index: index, output: output.url, jobs: options.jobs)
            do {
                for position in results.indices where results[position].summary.failed.isEmpty
                    && !results[position].plan.packages.isEmpty {
                    results[position].bootstrap = try output.writing("the bootstrap") { try bootstrapper.make(results[position].plan) }
                }
            } catch let problems as Problems {
                bootstrapProblems = problems  // the packages are built; say so before the error
            }
        }
        options.printSummary(results)
        if let signal { throw Interrupted(signal: signal) }
        if let bootstrapProblems {
            Console.error(bootstrapProblems.description)
            Console.error("pkgtree: the bootstrap was not made; the packages built are cached.")
            throw ExitCode(ExitStatus.badInput)
        }
        if results.contains(where: { !$0.summary.failed.isEmpty }) { throw ExitCode(ExitStatus.failure) }
    }
}

extension RunnerKind: ExpressibleByArgument {}
