import ArgumentParser
import Foundation
import PkgTreeKit

struct Bootstrap: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Pack the built tree variant into one installer tarball (<output>/bootstrap/<arch>/<id>.bootstrap.tar.xz).",
        discussion: """
            Streams every bootstrap package's tar.xz from the cache into one tar.xz laid out as the install root \
            (packages/<id>/, active/<name>, bin lib include etc links, environment, active.json, bootstrap marker), \
            then writes <id>.active.json, [<variant>.]bootstrap.latest and [<variant>.]complete.latest.json beside it. \
            A bootstrap whose id exists is not written again. Every package of the tree variant must be built.
            """
    )

    @OptionGroup var tree: TreeOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try output.requireWritable()
        let planned = try tree.plan(only: [])
        let plan = planned.plan
        let index = planned.index
        let result = try output.writing("the bootstrap") { try Bootstrapper(index: index, output: output.url).make(plan) }
        Console.output(BootstrapReport.line(result, plan: plan))
    }
}

/// What `bootstrap` (and a full `build`) says about a bootstrap.
enum BootstrapReport {
    static func line(_ result: Bootstrapper.Result, plan: BuildPlan) -> String {
        let size = ByteCountFormatter.string(fromByteCount: result.size, countStyle: .binary)
        let state = result.reused ? "up to date" : "written"
        let variant = plan.treeVariant.map { " (\($0))" } ?? ""
        return "bootstrap \(plan.arch)\(variant): \(result.id) \(state), \(result.packageIDs.count) packages, \(size)\n"
            + "  \(DisplayPath.of(result.tarball))\n"
    }
}
