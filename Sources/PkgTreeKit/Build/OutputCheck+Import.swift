import Foundation

extension OutputCheck {
    /// `pkgtree cache import` holds an artifact made elsewhere to the rules a local build's
    /// output passes (the ELF check aside, which would read every file): every finding of
    /// every file, before anything is stored.
    public static func requireImportable(_ items: [ArtifactImport.Item]) throws(Problems) {
        var problems: [Problem] = []
        for item in items {
            let shown = DisplayPath.of(item.file)
            do {
                for finding in try findings(inArchive: item.file, package: item.package, installRoot: item.installRoot) {
                    problems.append(Problem(file: shown, package: item.package.name, "\(finding.check) check: \(finding)", hint: finding.hint))
                }
            } catch {
                problems.append(Problem(file: shown, package: item.package.name, "is not a readable package archive: \(error)"))
            }
        }
        if !problems.isEmpty { throw Problems(problems) }
    }
}
