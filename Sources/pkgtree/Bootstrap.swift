import ArgumentParser
import Foundation
import PkgTreeKit

struct Bootstrap: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Pack the built tree variant into one installer tarball (<output>/bootstrap/<arch>/<id>.bootstrap.tar.xz).",
        discussion: """
            Writes one tar.xz laid out as the install root \
            (packages/<id>/, active/<name>, bin lib include etc links, environment, active.json, bootstrap marker), \
            then writes <id>.active.json, [<variant>.]bootstrap.latest and [<variant>.]complete.latest.json beside it. \
            A bootstrap whose id exists is not written again. Every package of the tree variant must be built. \
            Each package's part is compressed once into a bootstrap fragment kept in the cache (-j at once); \
            the tarball is those fragments copied one after another, plus the activation entries.
            """
    )

    @OptionGroup var tree: TreeOptions
    @OptionGroup var output: OutputOptions

    @Option(name: [.customShort("j"), .long], help: ArgumentHelp("Bootstrap fragments made at once. Default: the number of cores.", valueName: "n"))
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(help: "Compress the whole tarball anew as one xz stream, without making or using bootstrap fragments (slower; stores nothing in the cache).")
    var noFragments = false

    func validate() throws {
        if jobs < 1 { throw ValidationError("-j must be at least 1") }
    }

    func run() throws {
        try output.requireWritable()
        let planned = try tree.plan(only: [])
        let plan = planned.plan
        let index = planned.index
        let result = try output.writing("the bootstrap") {
            try Bootstrapper(index: index, output: output.url, jobs: jobs, fragments: !noFragments).make(plan)
        }
        Console.output(BootstrapReport.line(result, plan: plan))
    }
}

/// What `bootstrap` (and a full `build`) says about a bootstrap.
enum BootstrapReport {
    static func line(_ result: Bootstrapper.Result, plan: BuildPlan) -> String {
        let size = ByteCountFormatter.string(fromByteCount: result.size, countStyle: .binary)
        let state = result.reused ? "up to date" : "written"
        let variant = plan.treeVariant.map { " (\($0))" } ?? ""
        let fragments = result.fragmentsMade.map { " (\($0) fragment\($0 == 1 ? "" : "s") made)" } ?? ""
        return result.repairs.map { "repair: \($0); made it again\n" }.joined()
            + "bootstrap \(plan.arch)\(variant): \(result.id) \(state), \(result.packageIDs.count) packages\(fragments), \(size)\n"
            + "  \(DisplayPath.of(result.tarball))\n"
    }
}
