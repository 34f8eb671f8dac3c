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
        let bootstrapping = packageNames.isEmpty && !noBootstrap
        if bootstrapping { try output.requireWritable() }  // not after hours of builds
        let remote = try options.remoteCache(packages: tree.packages)
        let planned = try await tree.plan(only: packageNames)
        let session = options.session(configuration: configuration, remote: remote,
                                      bootstraps: bootstrapping ? .whereBuilt(into: output.directory) : .none)
        let outcome = try await session.run(planned, index: planned[0].index, progress: options.makeProgress(planned))
        options.printSummary(outcome.results)
        if let signal = outcome.signal { throw Interrupted(signal: signal) }
        if let bootstrapProblems = outcome.bootstrapProblems {
            Console.error(bootstrapProblems.description)
            Console.error("pkgtree: the bootstrap was not made; the packages built are cached.")
            throw ExitCode(ExitStatus.badInput)
        }
        if outcome.failed { throw ExitCode(ExitStatus.failure) }
    }
}

extension RunnerKind: ExpressibleByArgument {}
