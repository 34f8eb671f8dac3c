import ArgumentParser
import Foundation
import PkgTreeKit

struct Lint: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Find what breaks a package's build for an architecture, before a long build does.",
        discussion: """
            Reads the build script, the buildinfo after its arch overlay, docker/Dockerfile and \
            docker/.dockerignore of each package the plan builds, and the treeinfo's default_builder.
            Rules (see docs/lint.md):
            \(LintRule.allCases.map { "  \($0.id): \($0.summary)" }.joined(separator: "\n"))
            Silence a finding on purpose with a comment `# pkgtree-lint: ignore[rule]` on its line or \
            the line above, or in a buildinfo with "pkgtree_lint": {"ignore": ["rule"]}.
            Exit codes: 0 no findings, 1 findings, 2 bad input or usage.
            """
    )

    @OptionGroup var tree: TreeOptions

    @Flag(name: .long, help: "Print one JSON document instead of diagnostics.")
    var json = false

    @Argument(help: ArgumentHelp("Only these packages and what they require.", valueName: "package"))
    var packageNames: [String] = []

    func run() throws {
        let report = try Linter.lint(packages: URL(fileURLWithPath: tree.packages),
                                     .init(arch: tree.arch, treeVariant: tree.source.variant, packages: packageNames))
        Console.warn(report.warnings)
        Console.output(json ? LintReport.json(report) : LintReport.text(report))
        if !report.findings.isEmpty { throw ExitCode(ExitStatus.failure) }
    }
}
