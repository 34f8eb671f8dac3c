import Foundation

/// A build's own copy of a source it may change (`./configure` writes `config.log` into
/// `/pkg/src/<name>`, as it did under pkgpanda): copy-on-write where the file system can
/// (`cp --reflink=auto` on btrfs and XFS), a plain copy elsewhere. The cached download or
/// the package's `git_local` directory is never what the build sees.
enum SourceCopy {
    /// Copies `source` (a file or a directory, with modes, links and times) to `destination`,
    /// which must not exist.
    static func copy(_ source: URL, to destination: URL) async throws {
        let result = try await ToolRunner.capture(ToolCommand("cp", ["-a", "--reflink=auto", "--no-target-directory", "--",
                                                                     source.path, destination.path]))
        guard result.status == 0 else {
            throw IOError(destination.path, "cannot copy \(source.path) here: \(result.output.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
    }
}
