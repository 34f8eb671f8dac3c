import ArgumentParser
import Foundation
import PkgTreeKit

/// The options of every command that reads a tree for one architecture.
struct TreeOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The package tree.", valueName: "dir"))
    var packages: String = "packages"

    @OptionGroup var cache: CacheOptions

    @Option(name: .long, help: ArgumentHelp(
        "Target architecture: \(Architecture.acceptedNames). Default: this machine's.", valueName: "arch"))
    var arch: Architecture = .host

    @Option(name: .long, help: ArgumentHelp("Tree variant (<variant>.treeinfo.json). Default: treeinfo.json.",
                                            valueName: "variant"))
    var variant: String?

    var planner: Planner {
        Planner(packages: URL(fileURLWithPath: packages), cache: cache.layout)
    }

    /// Resolves the tree for the chosen architecture and variant, against the cache.
    func plan(only names: [String]) throws -> Planner.Result {
        let result = try planner.plan(.init(arch: arch, treeVariant: variant, packages: names))
        Console.warn(result.plan.warnings)
        return result
    }
}

/// `--cache DIR`, accepted by every command that reads or writes the cache.
struct CacheOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The cache directory. Default: $PKGTREE_CACHE, else ./cache.",
                                            valueName: "dir"))
    var cache: String?

    var layout: CacheLayout { CacheLayout.resolve(cache) }
}

extension Architecture: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(name: argument)
    }

    public static var defaultCompletionKind: CompletionKind {
        .list(allCases.map(\.rawValue))
    }
}
