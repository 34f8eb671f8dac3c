import ArgumentParser
import Foundation
import PkgTreeKit

/// The options of every command that reads a tree for one architecture.
struct TreeOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The package tree.", valueName: "dir"))
    var packages: String = "packages"

    @Option(name: .long, help: ArgumentHelp(
        "Target architecture: \(Architecture.acceptedNames). Default: this machine's.", valueName: "arch"))
    var arch: Architecture = .host

    @Option(name: .long, help: ArgumentHelp("Tree variant (<variant>.treeinfo.json). Default: treeinfo.json.",
                                            valueName: "variant"))
    var variant: String?

    /// Loads the tree and resolves it for the chosen architecture and variant.
    func plan(only names: [String]) throws -> BuildPlan {
        let tree = try TreeLoader.load(URL(fileURLWithPath: packages))
        let plan = try TreeResolver.plan(tree, .init(arch: arch, treeVariant: variant, packages: names))
        Console.warn(plan.warnings)
        return plan
    }
}

extension Architecture: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(name: argument)
    }

    public static var defaultCompletionKind: CompletionKind {
        .list(allCases.map(\.rawValue))
    }
}
