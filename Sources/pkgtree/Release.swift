import ArgumentParser
import Foundation
import PkgTreeKit

struct Release: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Make, list, verify and publish multi-architecture releases (release.json, SHA256SUMS, SBOMs, one bootstrap per architecture and tree variant).",
        subcommands: [Create.self, List.self, Verify.self, Push.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Build what is missing, make every bootstrap, and write <output>/<release-id>/.",
            discussion: """
                For each architecture and tree variant: builds the packages that are not cached (all architectures \
                in one pool of -j jobs), makes the bootstrap, then writes the release directory with release.json \
                (an OCI-index-like list of platforms; schema in docs/release.schema.json), an SPDX 2.3 SBOM per \
                bootstrap, SHA256SUMS, its Ed25519 signature (with a signing key), and each architecture's \
                bootstrap files. The bootstrap.latest pointers under <output>/bootstrap/ move last. The same \
                bootstraps make the same release id; an existing release is not written again (only signed, if \
                it was not).
                """
        )

        @Option(name: .long, help: ArgumentHelp("The package tree.", valueName: "dir"))
        var packages: String = "packages"

        @OptionGroup var cache: CacheOptions

        @Option(name: .long, help: ArgumentHelp(ArchitectureList.help, valueName: "arch[,arch…]"),
                completion: Architecture.completion, transform: ArchitectureList.init(parsing:))
        var arch: ArchitectureList = .host

        @Option(name: .long, help: ArgumentHelp("A tree variant to release (repeat for several). Default: every tree variant of the tree.",
                                                valueName: "variant"))
        var variant: [String] = []

        @Option(help: ArgumentHelp("The key (pkgtree key generate) that signs SHA256SUMS. Default: $PKGTREE_RELEASE_SIGNING_KEY, else pkgtree.json's release.signing_key; none: unsigned.",
                                   valueName: "file"))
        var signKey: String?

        @OptionGroup var options: BuildOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let configuration = try RunnerConfiguration.load(packages: URL(fileURLWithPath: packages))
            try output.requireWritable()  // not after hours of builds
            let signingKey = try ReleaseSettings.signingKey(packages: URL(fileURLWithPath: packages), option: signKey)
            let remote = try options.remoteCache(packages: packages)
            let planner = Planner(packages: URL(fileURLWithPath: packages), cache: cache.layout, openIndex: Cache.open)
            let planned = variant.isEmpty
                ? try await planner.planEveryVariant(archs: arch.architectures)
                : try await planner.plan(arch.architectures.flatMap { arch in variant.map { .init(arch: arch, treeVariant: $0) } })
            Console.warn(planned.uniqueWarnings)
            let index = if let first = planned.first { first.index } else { try await Cache.open(cache) }
            let session = options.session(configuration: configuration, remote: remote, bootstraps: .forRelease(into: output.directory))
            let outcome = try await session.run(planned, index: index, progress: options.makeProgress(planned))
            options.printSummary(outcome.results)
            if let signal = outcome.signal { throw Interrupted(signal: signal) }
            guard !outcome.failed else {
                Console.error("pkgtree: no release was made: some packages failed to build")
                throw ExitCode(ExitStatus.failure)
            }
            let release = try await session.writeRelease(outcome, into: output.directory, signingKey: signingKey)
            Console.output(ReleaseReport.created(release))
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "List the releases under the output directory, newest first.")

        @OptionGroup var output: OutputOptions

        func run() throws {
            Console.output(ReleaseReport.table(try ReleaseList.scan(output.url)))
        }
    }
}
