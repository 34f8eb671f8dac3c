import ArgumentParser
import PkgTreeKit

struct Graph: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the dependency graph (edges point to what a package requires).",
        discussion: "`pkgtree graph --format dot | dot -Tsvg > tree.svg` draws it with Graphviz."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case dot, json
    }

    @OptionGroup var tree: TreeOptions

    @Option(name: .long, help: "dot (Graphviz) or json.")
    var format: Format = .dot

    @Argument(help: ArgumentHelp("Only these packages and what they require.", valueName: "package"))
    var packageNames: [String] = []

    func run() throws {
        let plan = try tree.plan(only: packageNames).plan
        Console.output(format == .dot ? GraphReport.dot(plan) : GraphReport.json(plan))
    }
}
