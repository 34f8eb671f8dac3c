import ArgumentParser
import Foundation
import PkgTreeKit

struct Cache: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Inspect and maintain the artifact cache (cache/index.sqlite and cache/packages/).",
        subcommands: [List.self, Verify.self, Repair.self, Collect.self, Statistics.self, Import.self, Push.self, Pull.self]
    )

    /// Opens the cache and repairs what a killed process left behind, saying what it did.
    static func open(_ options: CacheOptions) async throws -> CacheIndex {
        try await open(options.layout)
    }

    /// `open(_:)` for a cache named by its layout (the planner opens the cache this way).
    @Sendable static func open(_ layout: CacheLayout) async throws -> CacheIndex {
        try await CacheIndex.openRepairing(layout, recovered: { CacheReport.lines($0).forEach(Console.error) },
                                     repaired: { CacheReport.lines($0, layout: layout).forEach(Console.error) })
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "List cached artifacts.")
        @OptionGroup var cache: CacheOptions
        @Option(help: ArgumentHelp("Only this architecture.", valueName: "arch"), completion: Architecture.completion,
                transform: Architecture.init(parsingOne:)) var arch: Architecture?
        @Flag(help: "Print JSON lines, one artifact each.") var json = false

        func run() async throws {
            let records = try await Cache.open(cache).artifacts(arch: arch)
            Console.output(json ? CacheReport.jsonLines(records) : CacheReport.table(records))
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the index file and re-hash every artifact against it; exit 1 listing each problem.",
            discussion: "Reports only; `pkgtree cache repair` fixes what it reports.")
        @OptionGroup var cache: CacheOptions
        @Option(help: ArgumentHelp("Only this architecture.", valueName: "arch"), completion: Architecture.completion,
                transform: Architecture.init(parsingOne:)) var arch: Architecture?

        func run() async throws {
            let index = try await Cache.open(cache)
            let findings = try CacheVerifier.run(index, arch: arch)
            let fragmentFindings = try CacheVerifier.fragments(index, arch: arch)
            let checked = try CacheVerifier.indexedCount(index, arch: arch)
            let fragments = try index.fragments(arch: arch).count
            Console.output(CacheReport.verified(artifacts: checked, findings, fragments: fragments, fragmentFindings))
            if !findings.isEmpty || !fragmentFindings.isEmpty { throw ExitCode(ExitStatus.failure) }
        }
    }

    struct Repair: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fix what `cache verify` reports: rebuild a damaged index from the artifacts, remove corrupt artifacts.",
            discussion: """
                A damaged index is moved aside (index.sqlite.corrupt-<UTC time>), never deleted, and a new one \
                is filled from cache/packages/: each artifact is read whole and adopted only when its metadata \
                matches its name and hashes to its id. Artifacts that differ from their rows are removed; the \
                next build makes them again. Bootstrap fragments are not adopted: those without a row, or that \
                differ from theirs, are removed, and the next bootstrap makes them again.
                """)
        @OptionGroup var cache: CacheOptions

        func run() async throws {
            let (index, report) = try await CacheRepair.onRequest(cache.layout)
            report.recovery.flatMap(CacheReport.lines).forEach(Console.error)
            CacheReport.lines(report.leftovers, layout: cache.layout).forEach(Console.error)
            if report.leftovers.copiesInUse { Console.error(CacheReport.copiesKeptInUse(cache.layout)) }
            for discarded in report.discarded { Console.error("repair: removed \(discarded); the next build rebuilds it") }
            for discarded in report.discardedFragments { Console.error("repair: removed \(discarded)") }
            let count = try index.artifacts().count
            Console.output("repaired the cache: \(count) intact artifact(s) indexed\n")
        }
    }

    struct Collect: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "gc",
            abstract: "Remove old artifacts: keep the newest N per package, or only what current plans use.",
            discussion: "Without --keep-last, removes every artifact that no plan of the tree (any tree variant, any architecture in the cache) references, and bootstrap fragments made with another SOURCE_DATE_EPOCH than now. A bootstrap fragment goes with its artifact.")
        @OptionGroup var cache: CacheOptions
        @Option(name: .long, help: ArgumentHelp("The tree whose plans are kept.", valueName: "dir"))
        var packages: String = "packages"
        @Option(help: ArgumentHelp("Keep the newest N artifacts of each package, architecture and variant.", valueName: "n"))
        var keepLast: Int?

        private func planner(_ index: CacheIndex) -> Planner {
            Planner(packages: URL(fileURLWithPath: packages), cache: index.layout, openIndex: Cache.open)
        }

        func validate() throws {
            if let keepLast, keepLast < 0 { throw ValidationError("--keep-last must be 0 or more") }
        }

        func run() async throws {
            let index = try await Cache.open(cache)
            let collected: CacheCollector.Collected
            if let keepLast {
                collected = try await CacheCollector.keepLast(keepLast, in: index)
            } else {
                collected = try await CacheCollector.removeUnreferenced(keeping: try await planner(index).referencedIDs(index), in: index)
            }
            Console.output(CacheReport.collected(collected.removed))
            if !collected.keptForRunningBuilds.isEmpty {
                Console.error(CacheReport.keptForRunningBuilds(collected.keptForRunningBuilds))
            }
            // Copies of what went, and any left by an earlier run, unless a build uses them now.
            if try !CacheCollector.collectCopies(in: index) {
                Console.error(CacheReport.copiesKeptInUse(cache.layout))
            }
            // A fragment goes with its artifact; without --keep-last, also one of another form
            // than bootstraps are made in now (another SOURCE_DATE_EPOCH).
            let fragments = try CacheCollector.collectFragments(in: index, keepingOnly: keepLast == nil ? Bootstrapper.fragmentForm() : nil)
            if !fragments.isEmpty { Console.output(CacheReport.collected(fragments)) }
        }
    }

    struct Statistics: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "stats", abstract: "Count and bytes per architecture.")
        @OptionGroup var cache: CacheOptions

        func run() async throws {
            let index = try await Cache.open(cache)
            Console.output(CacheReport.statistics(try CacheCollector.statistics(index)))
            Console.output(CacheReport.fragmentTotal(try index.fragments()))
        }
    }
}

extension Cache {
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy artifacts (<id>.tar.xz, e.g. from another machine's cache) into this cache.",
            discussion: "Each id must be a package of the tree's current plan for --arch (any tree variant); its inputs are recorded as if it had been built here. Its content must pass the checks a local build's output passes (symlinks, setuid bits, special files, reserved units). Nothing is stored when any file is wrong.")
        @OptionGroup var tree: TreeOptions
        @Argument(help: ArgumentHelp("Artifact files named <package id>.tar.xz.", valueName: "file"))
        var files: [String]

        func run() async throws {
            let layout = tree.cache.layout
            let plans = try await tree.planner.planEveryVariant(archs: [tree.arch]).map(\.plan)
            let items = try ArtifactImport.match(files.map { URL(fileURLWithPath: $0) }, plans: plans)
            try OutputCheck.requireImportable(items)
            let store = ArtifactStore(index: try await Cache.open(tree.cache))
            for item in items {
                do {
                    switch try await store.importArchive(item.file, as: item.artifact) {
                    case .stored(let record): Console.output("imported \(record.id) -> \(layout.url(ofRelativePath: record.path).path)\n")
                    case .alreadyCached(let record): Console.output("already cached \(record.id)\n")
                    }
                } catch let error as CacheError {
                    throw Problems([Problem(file: item.file.path, "\(error)")])
                }
            }
        }
    }
}
