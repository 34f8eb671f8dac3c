import Foundation

/// What `pkgtree install` prints: every package activated, then the counts.
public enum InstallReport {
    public static func installed(_ report: BootstrapInstaller.Report, from source: InstallSource) -> String {
        var lines = ["installed \(DisplayPath.of(source.tarball)) into \(DisplayPath.of(report.root))"
                     + (source.expectedSHA256 == nil ? "" : " (SHA-256 checked against release.json)")]
        let width = report.packages.map(\.name.count).max() ?? 0
        lines += report.packages.map { "  active  \($0.name.padding(toLength: width, withPad: " ", startingAt: 0))  \($0.id)" }
        lines.append("\(report.packages.count) packages activated, \(report.links) links checked, \(report.entries) entries extracted")
        return lines.joined(separator: "\n") + "\n"
    }
}
