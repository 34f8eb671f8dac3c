import ArgumentParser
import Foundation
import PkgTreeKit

struct Log: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the latest build log of a package (also of a failed build).")

    @OptionGroup var tree: TreeOptions

    @Argument(help: ArgumentHelp("The package.", valueName: "package"))
    var packageName: String

    func run() throws {
        let plan = try tree.plan(only: [packageName]).plan
        let layout = tree.cache.layout
        let directory = layout.logDirectory(arch: plan.arch, name: packageName)
        let current = plan.package(named: packageName).map { layout.log(arch: plan.arch, name: packageName, id: $0.id) }
        let logs = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
            .filter { $0.hasSuffix(".log") }
            .map { directory.appendingPathComponent($0) }
        let newest = logs.max { modified($0) < modified($1) }
        guard let log = current.flatMap({ FileManager.default.fileExists(atPath: $0.path) ? $0 : nil }) ?? newest else {
            throw Problems([Problem(package: packageName, field: "--arch", "no build log yet for \(packageName) on \(plan.arch)",
                                    hint: "run `pkgtree build \(packageName) --arch \(plan.arch)`")])
        }
        if log != current { Console.error("note: \(packageName)'s current id has no log; showing the newest: \(log.path)") }
        Console.output(try String(contentsOf: log, encoding: .utf8))
    }

    private func modified(_ url: URL) -> Date {
        (try? FileManager.default.attributesOfItem(atPath: url.path)[.modificationDate] as? Date) ?? .distantPast
    }
}
