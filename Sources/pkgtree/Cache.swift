import ArgumentParser
import Foundation
import PkgTreeKit

struct Cache: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Inspect and maintain the artifact cache (cache/index.sqlite and cache/packages/).",
        subcommands: [List.self, Verify.self, Repair.self, Collect.self, Statistics.self, Import.self, Push.self, Pull.self]
    )

    /// Opens the cache and repairs what a killed process left behind, saying what it did.
    static func open(_ options: CacheOptions) throws -> CacheIndex {
        try open(options.layout)
    }

    /// `open(_:)` for a cache named by its layout (the planner opens the cache this way).
    @Sendable static func open(_ layout: CacheLayout) throws -> CacheIndex {
        let index = try CacheIndex(layout)
        if let recovery = index.recovery { CacheReport.print(recovery) }
        CacheReport.print(try CacheRepair.run(index), layout: layout)
        return index
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "List cached artifacts.")
        @OptionGroup var cache: CacheOptions
        @Option(help: ArgumentHelp("Only this architecture.", valueName: "arch"), completion: Architecture.completion,
                transform: Architecture.init(parsingOne:)) var arch: Architecture?
        @Flag(help: "Print JSON lines, one artifact each.") var json = false

        func run() throws {
            let records = try Cache.open(cache).artifacts(arch: arch)
            Console.output(json ? CacheReport.jsonLines(records) : CacheReport.table(records))
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the index file and re-hash every artifact against it; exit 1 listing each problem.",
            discussion: "Reports only; `pkgtree cache repair` fixes what it reports.")
        @OptionGroup var cache: CacheOptions
        @Option(help: ArgumentHelp("Only this architecture.", valueName: "arch"), completion: Architecture.completion,
                transform: Architecture.init(parsingOne:)) var arch: Architecture?

        func run() throws {
            let index = try Cache.open(cache)
            let findings = try CacheVerifier.run(index, arch: arch)
            let fragmentFindings = try CacheVerifier.fragments(index, arch: arch)
            let checked = try CacheVerifier.indexedCount(index, arch: arch)
            let fragments = try index.fragments(arch: arch).count
            for finding in findings + fragmentFindings { Console.output("\(finding)\n") }
            Console.output("verified \(checked) artifact(s): \(Self.verdict(findings))\n")
            if fragments > 0 || !fragmentFindings.isEmpty {
                Console.output("verified \(fragments) bootstrap fragment(s): \(Self.verdict(fragmentFindings))\n")
            }
            if !findings.isEmpty || !fragmentFindings.isEmpty { throw ExitCode(ExitStatus.failure) }
        }

        private static func verdict(_ findings: [CacheVerifier.Finding]) -> String {
            findings.isEmpty ? "all good" : "\(findings.count) problem(s)"
        }
    }

    struct Repair: ParsableCommand {
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

        func run() throws {
            let (index, report) = try CacheRepair.onRequest(cache.layout)
            report.recovery.forEach(CacheReport.print)
            CacheReport.print(report.leftovers, layout: cache.layout)
            for discarded in report.discarded { Console.error("repair: removed \(discarded); the next build rebuilds it") }
            for discarded in report.discardedFragments { Console.error("repair: removed \(discarded)") }
            let count = try index.artifacts().count
            Console.output("repaired the cache: \(count) intact artifact(s) indexed\n")
        }
    }

    struct Collect: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "gc",
            abstract: "Remove old artifacts: keep the newest N per package, or only what current plans use.",
            discussion: "Without --keep-last, removes every artifact that no plan of the tree (any tree variant, any architecture in the cache) references, and bootstrap fragments made with another SOURCE_DATE_EPOCH than now. A bootstrap fragment goes with its artifact.")
        @OptionGroup var cache: CacheOptions
        @Option(name: .long, help: ArgumentHelp("The tree whose plans are kept.", valueName: "dir"))
        var packages: String = "packages"
        @Option(help: ArgumentHelp("Keep the newest N artifacts of each package, architecture and variant.", valueName: "n"))
        var keepLast: Int?

        func validate() throws {
            if let keepLast, keepLast < 0 { throw ValidationError("--keep-last must be 0 or more") }
        }

        func run() throws {
            let index = try Cache.open(cache)
            let removed: [ArtifactRecord]
            if let keepLast {
                removed = try CacheCollector.keepLast(keepLast, in: index)
            } else {
                removed = try CacheCollector.removeUnreferenced(keeping: try referencedIDs(index), in: index)
            }
            for record in removed { Console.output("removed \(record.path)\n") }
            let bytes = removed.reduce(Int64(0)) { $0 + $1.size }
            Console.output("removed \(removed.count) artifact(s), \(CacheReport.bytes(bytes))\n")
            // A fragment goes with its artifact; without --keep-last, also one of another form
            // than bootstraps are made in now (another SOURCE_DATE_EPOCH).
            let fragments = try CacheCollector.collectFragments(in: index, keepingOnly: keepLast == nil ? Bootstrapper.fragmentForm() : nil)
            if !fragments.isEmpty {
                Console.output("removed \(fragments.count) bootstrap fragment(s), \(CacheReport.bytes(fragments.reduce(Int64(0)) { $0 + $1.size }))\n")
            }
        }

        /// Every id of every tree variant's plan, for every architecture the cache holds.
        private func referencedIDs(_ index: CacheIndex) throws -> Set<String> {
            let archs = Set(try index.artifacts().compactMap { Architecture(name: $0.arch) }).sorted()
            let planner = Planner(packages: URL(fileURLWithPath: packages), cache: index.layout, openIndex: Cache.open)
            return Set(try planner.planEveryVariant(archs: archs).flatMap { $0.plan.packages.map(\.id) })
        }
    }

    struct Statistics: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "stats", abstract: "Count and bytes per architecture.")
        @OptionGroup var cache: CacheOptions

        func run() throws {
            let index = try Cache.open(cache)
            Console.output(CacheReport.statistics(try CacheCollector.statistics(index)))
            let fragments = try index.fragments()
            Console.output("bootstrap fragments: \(fragments.count), \(CacheReport.bytes(fragments.reduce(Int64(0)) { $0 + $1.size }))\n")
        }
    }
}

extension Cache {
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy artifacts (<id>.tar.xz, e.g. from another machine's cache) into this cache.",
            discussion: "Each id must be a package of the tree's current plan for --arch (any tree variant); its inputs are recorded as if it had been built here. Its content must pass the checks a local build's output passes (symlinks, setuid bits, special files, reserved units). Nothing is stored when any file is wrong.")
        @OptionGroup var tree: TreeOptions
        @Argument(help: ArgumentHelp("Artifact files named <package id>.tar.xz.", valueName: "file"))
        var files: [String]

        func run() throws {
            let layout = tree.cache.layout
            let plans = try tree.planner.planEveryVariant(archs: [tree.arch]).map(\.plan)
            let items = try ArtifactImport.match(files.map { URL(fileURLWithPath: $0) }, plans: plans)
            try OutputCheck.requireImportable(items)
            let store = ArtifactStore(index: try Cache.open(tree.cache))
            for item in items {
                do {
                    switch try store.importArchive(item.file, as: item.artifact) {
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
