import ArgumentParser
import Foundation
import PkgTreeKit

struct Bootstrap: AsyncParsableCommand {
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

    func run() async throws {
        try output.requireWritable()
        let planned = try await tree.plan(only: [])
        let plan = planned.plan
        let index = planned.index
        let result = try await output.writing("the bootstrap") {
            try await Bootstrapper(index: index, output: output.url, jobs: jobs, fragments: !noFragments).make(plan)
        }
        Console.output(BootstrapReport.line(result, plan: plan))
    }
}
