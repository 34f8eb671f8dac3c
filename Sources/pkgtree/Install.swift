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
        let source = try InstallSource(bootstrap, arch: arch, variant: variant)
        let report = try BootstrapInstaller.install(source.tarball, root: URL(fileURLWithPath: root), expectedSHA256: source.expectedSHA256)
        Console.output(InstallReport.installed(report, from: source))
    }
}
