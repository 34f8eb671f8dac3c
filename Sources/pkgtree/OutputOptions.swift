import ArgumentParser
import Foundation
import PkgTreeKit

/// `--output DIR`: where bootstraps and releases are written.
struct OutputOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Where bootstraps (bootstrap/<arch>/) and releases go. Default: $PKGTREE_OUTPUT, else ./release.",
                                            valueName: "dir"))
    var output: String?

    var url: URL { directory.url }

    var directory: OutputDirectory {
        OutputDirectory(url: URL(fileURLWithPath: output ?? ProcessInfo.processInfo.environment["PKGTREE_OUTPUT"] ?? "release"),
                        alternative: "choose another output directory with --output DIR (or $PKGTREE_OUTPUT)")
    }

    /// Throws, before a build that ends writing there, when the output directory cannot be one.
    func requireWritable() throws {
        try directory.requireWritable()
    }

    func writing<Value>(_ what: String, _ body: () async throws -> Value) async throws -> Value {
        try await directory.writing(what, body)
    }
}
