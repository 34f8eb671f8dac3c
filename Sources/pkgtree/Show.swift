import ArgumentParser
import Foundation
import PkgTreeKit

struct Show: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print what will build for one package on one architecture.",
        discussion: """
            The effective buildinfo after the arch overlay, the build script and its digest, the sources \
            with their ids, the builder (image, platform; native, emulated or cross), the requirements \
            with their ids, and the package id. Works offline, like plan.
            """
    )

    @OptionGroup var tree: TreeOptions

    @Flag(name: .long, help: "Print one JSON document instead of text.")
    var json = false

    @Flag(name: .long, help: "Print the build script that runs for the architecture (with --json: add its text).")
    var script = false

    @Flag(name: .long, help: "With --script: write the PKG_* architecture variables (and pkgtree port's names) as their values for the architecture, as a forked tree spells them.")
    var expand = false

    @Argument(help: ArgumentHelp("The package.", valueName: "package"))
    var packageName: String

    func validate() throws {
        if expand && !script { throw ValidationError("--expand applies to --script; add --script") }
    }

    func run() async throws {
        let selection = try await tree.planner.select(packageName, .init(arch: tree.arch, treeVariant: tree.source.variant))
        Console.warn(selection.plan.warnings.filter { $0.package == packageName })
        let text = try script ? scriptText(selection) : nil
        if json {
            Console.output(ShowReport.json(selection, script: text))
        } else {
            Console.output(text ?? ShowReport.text(selection))
        }
    }

    private func scriptText(_ selection: PackageSelection) throws -> String {
        guard let data = try? Data(contentsOf: selection.buildScriptURL) else {
            throw Problem(file: selection.definition.file, package: packageName, field: "build_script",
                          "\(DisplayPath.of(selection.buildScriptURL)) cannot be read",
                          hint: "add the build script, or set 'build_script' to the script's path in the package directory")
        }
        let text = String(decoding: data, as: UTF8.self)
        return expand ? ArchVariables.expand(text, for: selection.plan.arch) : text
    }
}
