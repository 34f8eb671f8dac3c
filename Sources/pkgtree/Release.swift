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
                ? try planner.planEveryVariant(archs: arch.architectures)
                : try planner.plan(arch.architectures.flatMap { arch in variant.map { .init(arch: arch, treeVariant: $0) } })
            var seen = Set<Problem>()
            Console.warn(planned.flatMap(\.plan.warnings).filter { seen.insert($0).inserted })
            let index = try planned.first?.index ?? Cache.open(cache)
            var (results, signal) = try await options.build(planned, index: index, configuration: configuration, remote: remote)
            if let signal {
                options.printSummary(results)
                throw Interrupted(signal: signal)
            }
            guard results.allSatisfy({ $0.summary.failed.isEmpty }) else {
                options.printSummary(results)
                Console.error("pkgtree: no release was made: some packages failed to build")
                throw ExitCode(ExitStatus.failure)
            }
            let bootstrapper = Bootstrapper(index: index, output: output.url, jobs: options.jobs)
            for position in results.indices {
                results[position].bootstrap = try output.writing("the bootstrap") { try bootstrapper.make(results[position].plan, publishing: false) }
            }
            options.printSummary(results)
            let inputs = try results.map { result in
                let bootstrap = result.bootstrap!
                let digests = try bootstrap.packageIDs.reduce(into: [String: String]()) { digests, id in digests[id] = try index.artifact(id: id)?.sha256 }
                return ReleaseWriter.Input(plan: result.plan, bootstrap: bootstrap, artifactDigests: digests)
            }
            let release = try output.writing("the release") {
                let release = try ReleaseWriter(output: output.url).write(inputs, signingKey: signingKey)
                for input in inputs { try bootstrapper.publish(input.bootstrap, plan: input.plan) }  // the mutable pointers, last
                return release
            }
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

/// What `release` prints.
enum ReleaseReport {
    static func created(_ release: ReleaseWriter.Result) -> String {
        var lines = ["release \(release.index.releaseID) \(release.reused ? "exists (same bootstraps)" : "written"): \(DisplayPath.of(release.directory))"]
        for manifest in release.index.manifests {
            let platform = [manifest.platform.os, manifest.platform.architecture, manifest.platform.variant].compactMap { $0 }.joined(separator: "/")
            let variant = manifest.treeVariant.map { " (\($0))" } ?? ""
            lines.append("  \(platform)\(variant): \(manifest.bootstrap.path) \(size(manifest.bootstrap.size)), \(manifest.packages.count) packages")
        }
        switch (release.signed, release.signedNow && release.reused) {
        case (true, true): lines.append("signed now: \(ReleaseSignature.fileName) was missing")
        case (true, false): break
        case (false, _): lines.append("not signed: pass --sign-key FILE (pkgtree key generate) to sign \(ReleaseWriter.checksumsName)")
        }
        let directory = DisplayPath.of(release.directory)
        lines.append(release.signed ? "check it with: pkgtree release verify \(directory) --trusted-key KEY.pub"
                                    : "check it with: (cd \(directory) && sha256sum -c \(ReleaseWriter.checksumsName))")
        return lines.joined(separator: "\n") + "\n"
    }

    static func table(_ entries: [ReleaseList.Entry]) -> String {
        guard !entries.isEmpty else { return "no releases\n" }
        let formatter = ISO8601DateFormatter()
        return entries.map { entry in
            let platforms = entry.index.manifests.map { $0.arch + ($0.treeVariant.map { "(\($0))" } ?? "") }
            return "\(entry.index.releaseID.prefix(16))  \(formatter.string(from: entry.modified))  \(size(entry.size))  \(platforms.joined(separator: ", "))"
        }.joined(separator: "\n") + "\n"
    }

    static func size(_ bytes: Int64) -> String {
        ByteCountFormatter.string(fromByteCount: bytes, countStyle: .binary)
    }
}
