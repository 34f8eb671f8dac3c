import ArgumentParser
import Foundation

/// `--output DIR`: where bootstraps and releases are written.
struct OutputOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Where bootstraps (bootstrap/<arch>/) and releases go. Default: $PKGTREE_OUTPUT, else ./release.",
                                            valueName: "dir"))
    var output: String?

    var url: URL {
        URL(fileURLWithPath: output ?? ProcessInfo.processInfo.environment["PKGTREE_OUTPUT"] ?? "release")
    }
}
