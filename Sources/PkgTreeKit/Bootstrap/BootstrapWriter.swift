import Foundation

/// Writes a bootstrap tarball: every package's `tar.xz` streamed entry by entry into
/// `packages/<id>/` of one output archive (nothing is unpacked to disk), then the activation
/// entries of `BootstrapRootEntries`. Paths are relative to the install root, as pkgpanda's
/// are: `tar -xf <bootstrap> -C <install_root>` installs it. `BootstrapCheck` holds it to
/// what `pkgtree install` accepts as it goes.
///
/// The output depends only on the packages' tarballs and the options: packages go in id
/// order, the rest sorted by path, and `ArchiveWriter` fixes owners, mtimes and the xz stream.
struct BootstrapWriter {
    var installRoot: String
    var options: PackOptions

    func write(_ packages: [BootstrapPackage], to destination: URL) throws -> PackResult {
        let writer = try ArchiveWriter(writingTo: destination, options: options)
        try writer.add(directory: "packages")
        var check = BootstrapCheck(installRoot: installRoot, bootstrap: destination)
        var streamed: [StreamedPackage] = []
        for package in packages.sorted(by: { $0.id < $1.id }) {
            let prefix = "packages/\(package.id)"
            try writer.add(directory: prefix)
            let copied = try writer.copyEntries(from: package.artifact, prefix: prefix, keeping: StreamedPackage.metadataFiles) {
                try check.admit($0, $1, of: package)
            }
            streamed.append(StreamedPackage(package: package, copied: copied))
        }
        let rootEntries = try BootstrapRootEntries.entries(for: streamed, installRoot: installRoot)
        try check.requireActivatable(streamed, rootEntries: rootEntries)
        for entry in rootEntries {
            try entry.write(to: writer)
        }
        return try writer.finish()
    }
}
