import ArgumentParser
import Foundation
import PkgTreeKit

extension Cache {
    struct Push: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Push artifacts of the local cache to the remote cache (an OCI registry), signed.",
            discussion: "Each artifact goes up as its blob (skipped when the registry has it), then a manifest, then a tag named for the package id (docs/registry.md). Exit 1 if the registry fails; nothing half-pushed is ever tagged.")
        @OptionGroup var cache: CacheOptions
        @OptionGroup var remote: RemoteCacheOptions
        @Option(name: .long, help: ArgumentHelp("The tree whose pkgtree.json configures the remote cache.", valueName: "dir"))
        var packages: String = "packages"
        @Flag(help: "Every artifact of the local cache (of --arch, if given).") var all = false
        @Option(help: ArgumentHelp("With --all: only this architecture.", valueName: "arch"), completion: Architecture.completion,
                transform: Architecture.init(parsingOne:)) var arch: Architecture?
        @Argument(help: ArgumentHelp("Package ids to push.", valueName: "id")) var ids: [String] = []

        func validate() throws {
            if all == !ids.isEmpty { throw ValidationError("name package ids, or pass --all") }
        }

        func run() async throws {
            let settings = try remote.required(packages: packages)
            let index = try await Cache.open(cache)
            let records = try RemoteCacheCommand.records(all ? nil : ids, arch: arch, index: index)
            let report: RemoteCache.PushReport
            do {
                report = try await RemoteCache.push(records, settings: settings, store: ArtifactStore(index: index)) { record, outcome in
                    switch outcome {
                    case .pushed(let bytes)?:
                        Console.output("pushed \(record.id) (\(bytes == 0 ? "blob already there" : ByteCount.text(bytes)))\n")
                    case .present?: Console.output("present \(record.id)\n")
                    case nil: Console.error("warning: \(record.id) was not pushed: its file no longer matches the cache index (pkgtree cache verify)")
                    }
                }
            } catch let error as RegistryError {
                Console.error("pkgtree: \(error)")
                throw ExitCode(ExitStatus.failure)
            }
            Console.output("pushed \(report.pushed) of \(records.count) artifact(s) to \(settings.location) (\(report.present) already there), \(ByteCount.text(report.uploaded)) uploaded\n")
        }
    }

    struct Pull: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Pull artifacts from the remote cache into the local cache, verified.",
            discussion: "Each id must be a package of the tree's current plan for --arch. A pulled artifact is accepted only when it is signed by a trusted key, its digest matches while it streams, and it passes the checks `cache import` applies. An unreachable or failing registry (connection, timeouts, 5xx) is a warning and exit 0, as in a build: the remote cache is an optimisation. Exit 1 when an artifact was refused or the registry refused access.")
        @OptionGroup var tree: TreeOptions
        @OptionGroup var remote: RemoteCacheOptions
        @Flag(help: "Every package of the tree's plan that the local cache lacks.") var all = false
        @Argument(help: ArgumentHelp("Package ids to pull.", valueName: "id")) var ids: [String] = []

        func validate() throws {
            if all == !ids.isEmpty { throw ValidationError("name package ids, or pass --all") }
        }

        func run() async throws {
            let settings = try remote.required(packages: tree.packages)
            let plans = try await tree.planner.planEveryVariant(archs: [tree.arch]).map(\.plan)
            let wanted = try RemoteCacheCommand.planned(all ? nil : ids, plans: plans, arch: tree.arch)
            let index = try await Cache.open(tree.cache)
            let store = ArtifactStore(index: index)
            let missingLocally = all ? try RemoteCacheCommand.notCached(wanted, store: store) : wanted
            let report = await RemoteCache.pull(missingLocally, settings: settings, store: store,
                                                for: .command(say: { Console.output($0 + "\n") }, warn: { Console.error($0) }))
            Console.output("pulled \(report.pulled) of \(missingLocally.count) artifact(s) from \(settings.location), \(ByteCount.text(report.bytes))\n")
            if report.failed { throw ExitCode(ExitStatus.failure) }
        }
    }
}
