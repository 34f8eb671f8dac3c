import ArgumentParser
import Foundation
import PkgTreeKit

/// `--output DIR`: where bootstraps and releases are written.
struct OutputOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Where bootstraps (bootstrap/<arch>/) and releases go. Default: $PKGTREE_OUTPUT, else ./release.",
                                            valueName: "dir"))
    var output: String?

    var url: URL {
        URL(fileURLWithPath: output ?? ProcessInfo.processInfo.environment["PKGTREE_OUTPUT"] ?? "release")
    }

    static let alternative = "choose another output directory with --output DIR (or $PKGTREE_OUTPUT)"

    /// Throws, before a build that ends writing there, when the output directory cannot be one.
    func requireWritable() throws {
        try UserFacingError.requireWritableDirectory(url, action: "checking the output directory", alternative: Self.alternative)
    }

    /// Runs `body`, which writes into the output directory; a system error it throws is said
    /// as such (an output path that is a file, a dangling link, no permission, no space).
    func writing<Value>(_ what: String, _ body: () throws -> Value) throws -> Value {
        try UserFacingError.during("writing \(what)", at: url, alternative: Self.alternative, body)
    }
}
