import Foundation

/// Writes a bootstrap tarball: `packages/`, each package's entries under `packages/<id>/` in
/// id order (`PackageEntries`), then the activation entries of `BootstrapRootEntries` sorted by
/// path. Paths are relative to the install root, as pkgpanda's are: `tar -xf <bootstrap> -C
/// <install_root>` installs it. Nothing is unpacked to disk.
///
/// Two ways to the same entries (the same tar stream, byte for byte, once decompressed):
/// - concatenated (`write(_:fragments:…)`): one small xz stream holding `packages/`, each
///   package's cached fragment copied as it is, and one last stream with the activation
///   entries and the end-of-archive blocks. Every entry is checked (`BootstrapCheck`, on the
///   fragments' listings) before a byte is written.
/// - compressed anew as one stream (`writeSingleStream`), each package's `tar.xz` streamed
///   entry by entry into the output, checked as it goes.
///
/// The output depends only on the packages' tarballs and the options.
struct BootstrapWriter {
    var installRoot: String
    var options: PackOptions

    /// Concatenates `fragments` (by package id; one for each package) with the streams around them.
    func write(_ packages: [BootstrapPackage], fragments: [String: BootstrapFragments.Fragment], cache: CacheLayout,
               to destination: URL) throws {
        let sorted = packages.sorted { $0.id < $1.id }
        let streamed = sorted.map { StreamedPackage(package: $0, copied: fragments[$0.id]!.copied) }
        var check = BootstrapCheck(installRoot: installRoot, bootstrap: destination)
        for package in streamed { try check.admit(package.copied, of: package.package) }
        let rootEntries = try checkedRootEntries(streamed, &check)

        let head = try ArchiveWriter(writingTo: destination, options: options, form: .fragment)
        try head.add(directory: "packages")
        try head.finish()
        try FragmentCopy.append(sorted.map { fragments[$0.id]!.record }, cache: cache, to: destination)
        let last = try ArchiveWriter(writingTo: destination, options: options, appending: true)
        for entry in rootEntries { try entry.write(to: last) }
        try last.finish()
    }

    /// Compresses every package's entries anew into one xz stream.
    @discardableResult
    func writeSingleStream(_ packages: [BootstrapPackage], to destination: URL) throws -> PackResult {
        let writer = try ArchiveWriter(writingTo: destination, options: options)
        try writer.add(directory: "packages")
        var check = BootstrapCheck(installRoot: installRoot, bootstrap: destination)
        var streamed: [StreamedPackage] = []
        for package in packages.sorted(by: { $0.id < $1.id }) {
            let copied = try PackageEntries.write(package, installRoot: installRoot, into: writer)
            try check.admit(copied, of: package)
            streamed.append(StreamedPackage(package: package, copied: copied))
        }
        for entry in try checkedRootEntries(streamed, &check) { try entry.write(to: writer) }
        return try writer.finish()
    }

    /// The activation entries, once the whole root they make passes `install`'s check.
    private func checkedRootEntries(_ streamed: [StreamedPackage], _ check: inout BootstrapCheck) throws -> [Activation.Entry] {
        let rootEntries = try BootstrapRootEntries.entries(for: streamed, installRoot: installRoot)
        try check.requireActivatable(streamed, rootEntries: rootEntries)
        return rootEntries
    }
}
