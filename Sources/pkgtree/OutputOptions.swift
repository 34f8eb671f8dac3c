import ArgumentParser
import Foundation

/// `--output DIR`: where bootstraps and releases are written.
struct OutputOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Where bootstraps (bootstrap/<arch>/) and releases go. Default: ./release.",
                                            valueName: "dir"))
    var output: String = "release"

    var url: URL { URL(fileURLWithPath: output) }
}
