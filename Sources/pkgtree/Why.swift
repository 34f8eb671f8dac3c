import ArgumentParser
import PkgTreeKit

struct Why: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Explain why a package would be rebuilt: which inputs differ from its last cached build.")

    @OptionGroup var tree: TreeOptions

    @Argument(help: ArgumentHelp("The package.", valueName: "package"))
    var packageName: String

    func run() async throws {
        let planned = try await tree.plan(only: [packageName])
        let index = planned.index
        let lines = try RebuildExplanation.explain(packageName, plan: planned.plan, index: index)
        Console.output(lines.joined(separator: "\n") + "\n")
    }
}
