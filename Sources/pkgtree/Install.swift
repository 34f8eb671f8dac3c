import ArgumentParser
import Foundation
import PkgTreeKit

struct Install: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Install a bootstrap into an empty install root and check its activation.",
        discussion: """
            BOOTSTRAP is a <id>.bootstrap.tar.xz, or a release (its directory or release.json): then the \
            bootstrap of --arch and --variant is taken from it and its SHA-256 checked against release.json \
            before anything is written. Extraction refuses entries that would land outside the root; every \
            active/ link and every link in bin lib include etc must resolve inside it.
            """
    )

    @Argument(help: ArgumentHelp("A bootstrap tarball or a release.", valueName: "bootstrap"))
    var bootstrap: String

    @Option(help: ArgumentHelp("The install root to create (new or empty).", valueName: "dir"))
    var root: String

    @Option(help: ArgumentHelp("With a release: which architecture's bootstrap. Default: this machine's.", valueName: "arch"),
            completion: Architecture.completion, transform: Architecture.init(parsingOne:))
    var arch: Architecture = .host

    @Option(help: ArgumentHelp("With a release: which tree variant's bootstrap. Default: treeinfo.json's.", valueName: "variant"))
    var variant: String?

    func run() throws {
        let (tarball, digest) = try resolve(URL(fileURLWithPath: bootstrap))
        let report = try BootstrapInstaller.install(tarball, root: URL(fileURLWithPath: root), expectedSHA256: digest)
        var lines = ["installed \(DisplayPath.of(tarball)) into \(DisplayPath.of(report.root))"
                     + (digest == nil ? "" : " (SHA-256 checked against release.json)")]
        let width = report.packages.map(\.name.count).max() ?? 0
        lines += report.packages.map { "  active  \($0.name.padding(toLength: width, withPad: " ", startingAt: 0))  \($0.id)" }
        lines.append("\(report.packages.count) packages activated, \(report.links) links checked, \(report.entries) entries extracted")
        Console.output(lines.joined(separator: "\n") + "\n")
    }

    /// The tarball to install and, for a release, the digest it must have.
    private func resolve(_ url: URL) throws -> (URL, String?) {
        guard let indexFile = ReleaseList.locate(url) else {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue else {
                throw Problems([Problem(file: bootstrap, "is neither a bootstrap tarball nor a release directory",
                                        hint: "name a <id>.bootstrap.tar.xz, or a release made by `pkgtree release create`")])
            }
            return (url, nil)
        }
        let index = try ReleaseIndex.read(indexFile)
        guard let manifest = index.manifest(arch: arch, variant: variant) else {
            let available = index.manifests.map { "\($0.arch)" + ($0.treeVariant.map { " (\($0))" } ?? "") }
            throw Problems([Problem(file: DisplayPath.of(indexFile), field: "--arch",
                                    "has no \(arch) bootstrap\(variant.map { " for variant \($0)" } ?? "")",
                                    hint: "the release holds: \(available.joined(separator: ", "))")])
        }
        return (indexFile.deletingLastPathComponent().appendingPathComponent(manifest.bootstrap.path), manifest.bootstrap.sha256)
    }
}
