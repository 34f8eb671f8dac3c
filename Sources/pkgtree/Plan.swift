import ArgumentParser
import PkgTreeKit

struct Plan: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the build order of a tree, dependencies first, with each package's id.",
        discussion: "Works offline on any tree: ids need neither the network nor a container engine."
    )

    @OptionGroup var tree: TreeOptions

    @Flag(name: .long, help: "Print JSON instead of text.")
    var json = false

    @Argument(help: ArgumentHelp("Only these packages and what they require.", valueName: "package"))
    var packageNames: [String] = []

    func run() async throws {
        let result = try await tree.plan(only: packageNames)
        Console.output(json ? PlanReport.json(result.plan, cached: result.cached)
                            : PlanReport.text(result.plan, cached: result.cached))
    }
}
