/// The build script the plan runs (`build`, `<variant>.build` or `build_script`): every line
/// naming another architecture, except in branches on the architecture.
enum BuildScriptScan {
    static func findings(_ file: LintedFile, target: Architecture, cross: Bool) -> [LintFinding] {
        var branches = ArchBranchTracker()
        var findings: [LintFinding] = []
        for (index, text) in file.lines.enumerated() {
            if branches.isArchBranch(text) { continue }
            findings += file.mentionFindings(line: index + 1, target: target, place: .buildScript(cross: cross))
        }
        return file.applyingSuppressions(findings)
    }
}
