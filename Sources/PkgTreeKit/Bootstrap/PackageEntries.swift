import Foundation

/// A package's part of a bootstrap: the directory `packages/<id>` and every entry of its
/// artifact under it, headers as `ArchiveWriter` writes them (owner 0:0, the options' mtime,
/// permission bits kept), an absolute link under the install root written as the relative
/// link that reaches the same place. Written into a fragment of its own, or into a whole
/// bootstrap compressed as one stream (`--no-fragments`): the same entries either way.
enum PackageEntries {
    static func write(_ package: BootstrapPackage, installRoot: String, into writer: ArchiveWriter) throws -> CopiedEntries {
        let prefix = "packages/\(package.id)"
        try writer.add(directory: prefix)
        return try writer.copyEntries(from: package.artifact, prefix: prefix, keeping: PackageMetadataFile.all) { path, info in
            guard info.kind == .symlink, let target = info.linkTarget else { return nil }
            return try BootstrapCheck.installedTarget(target, at: path, of: package, installRoot: installRoot)
        }
    }
}
