import ArgumentParser
import Foundation
import PkgTreeKit

struct Log: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the latest build log of a package (also of a failed build).")

    @OptionGroup var tree: TreeOptions

    @Argument(help: ArgumentHelp("The package.", valueName: "package"))
    var packageName: String

    func run() async throws {
        let plan = try await tree.plan(only: [packageName]).plan
        guard let found = BuildLog.latest(tree.cache.layout, arch: plan.arch, name: packageName,
                                           currentID: plan.package(named: packageName)?.id) else {
            throw Problems([Problem(package: packageName, field: "--arch", "no build log yet for \(packageName) on \(plan.arch)",
                                    hint: "run `pkgtree build \(packageName) --arch \(plan.arch)`")])
        }
        if !found.isCurrent { Console.error("note: \(packageName)'s current id has no log; showing the newest: \(found.log.path)") }
        Console.output(try String(contentsOf: found.log, encoding: .utf8))
    }
}
