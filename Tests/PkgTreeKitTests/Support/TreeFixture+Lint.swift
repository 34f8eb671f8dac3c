@testable import PkgTreeKit

extension TreeFixture {
    /// What `pkgtree lint --arch arch` reports on this tree, planned on an x86_64 host.
    func lint(_ arch: Architecture, variant: String? = nil, packages: [String] = []) throws -> Linter.Report {
        let tree = try load()
        return Linter.lint(tree: tree, plan: try TreeResolver.plan(tree, .init(arch: arch, treeVariant: variant,
                                                                               packages: packages, hostArch: .x86_64)))
    }

    /// The findings of one package's files, by rule, file name, line and text: what assertions compare.
    func findings(_ arch: Architecture, variant: String? = nil) throws -> [LintFinding] {
        try lint(arch, variant: variant).findings
    }
}

extension Array where Element == LintFinding {
    /// `rule file:line text` per finding, file names relative to the packages directory, so
    /// an assertion shows the whole picture when it fails.
    var summary: [String] {
        map { finding in
            let file = finding.file.components(separatedBy: "/packages/").last ?? finding.file
            return "\(finding.rule.id) \(file):\(finding.line) \(finding.text)"
        }
    }
}
