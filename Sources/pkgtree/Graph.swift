import ArgumentParser
import PkgTreeKit

struct Graph: AsyncParsableCommand {
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

    func run() async throws {
        let plan = try await tree.plan(only: packageNames).plan
        Console.output(format == .dot ? GraphReport.dot(plan) : GraphReport.json(plan))
    }
}
