import ArgumentParser
import Foundation
import PkgTreeKit

/// Which tree a command reads and which cache it plans against: `--packages`, `--cache`,
/// `--variant`. The architecture options come on top of it (`TreeOptions`,
/// `MultiArchTreeOptions`).
struct TreeSourceOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The package tree.", valueName: "dir"))
    var packages: String = "packages"

    @OptionGroup var cache: CacheOptions

    @Option(name: .long, help: ArgumentHelp("Tree variant (<variant>.treeinfo.json). Default: treeinfo.json.",
                                            valueName: "variant"))
    var variant: String?

    var planner: Planner {
        Planner(packages: URL(fileURLWithPath: packages), cache: cache.layout, openIndex: Cache.open)
    }

    /// Resolves the tree once for each architecture, against the cache. A warning that every
    /// architecture's plan carries (a mutable image tag) is printed once.
    func plan(_ archs: [Architecture], only names: [String]) async throws -> [Planner.Result] {
        let results = try await planner.plan(archs.map { .init(arch: $0, treeVariant: variant, packages: names) })
        Console.warn(results.uniqueWarnings)
        return results
    }
}

/// The options of every command that reads a tree for one architecture.
struct TreeOptions: ParsableArguments {
    @OptionGroup var source: TreeSourceOptions

    @Option(name: .long, help: ArgumentHelp("Target architecture: \(Architecture.acceptedNames). Default: this machine's.",
                                            valueName: "arch"),
            completion: Architecture.completion, transform: Architecture.init(parsingOne:))
    var arch: Architecture = .host

    var packages: String { source.packages }
    var cache: CacheOptions { source.cache }
    var planner: Planner { source.planner }

    /// Resolves the tree for the chosen architecture and variant, against the cache.
    func plan(only names: [String]) async throws -> Planner.Result {
        try await source.plan([arch], only: names)[0]
    }
}

/// The options of a command that works on several architectures in one run (`--arch x86_64,aarch64`).
struct MultiArchTreeOptions: ParsableArguments {
    @OptionGroup var source: TreeSourceOptions

    @Option(name: .long, help: ArgumentHelp(ArchitectureList.help, valueName: "arch[,arch…]"),
            completion: Architecture.completion, transform: ArchitectureList.init(parsing:))
    var arch: ArchitectureList = .host

    var packages: String { source.packages }
    var cache: CacheOptions { source.cache }

    /// One plan per architecture, in the order given, from one load of the tree.
    func plan(only names: [String]) async throws -> [Planner.Result] {
        try await source.plan(arch.architectures, only: names)
    }
}

/// `--cache DIR`, accepted by every command that reads or writes the cache.
struct CacheOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The cache directory. Default: $PKGTREE_CACHE, else ./cache.",
                                            valueName: "dir"))
    var cache: String?

    var layout: CacheLayout { CacheLayout.resolve(cache) }
}
