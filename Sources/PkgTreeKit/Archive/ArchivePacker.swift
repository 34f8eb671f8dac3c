import Foundation

/// Packs a directory into a reproducible `tar.xz` (see `ArchiveWriter` for what every header
/// holds). The same tree and options give the same bytes, whatever the host, the time, the
/// owner of the files or the number of cores.
public enum ArchivePacker {
    /// Packs everything below `directory` into `destination`, which is written directly and
    /// fsynced before returning. Entries are sorted bytewise by path; the directory itself is
    /// not an entry, so paths start at its children (`bin/tool`, not `./bin/tool`).
    ///
    /// Kept as on disk: permission bits (setuid included: extraction strips those), symlinks
    /// (target verbatim), empty directories, and hard links — the second and later paths of
    /// one inode become hard-link entries to the first. Devices, FIFOs and sockets throw.
    @discardableResult
    public static func pack(directory: URL, to destination: URL, options: PackOptions = PackOptions()) throws -> PackResult {
        let items = try PackSource.scan(directory)
        let writer = try ArchiveWriter(writingTo: destination, options: options)
        var firstPath: [InodeKey: String] = [:]
        for item in items {
            try Task.checkCancellation()  // an interrupted build does not finish packing what it will not store
            try add(item, from: directory, to: writer, firstPath: &firstPath)
        }
        return try writer.finish()
    }

    private struct InodeKey: Hashable {
        var device: UInt64
        var inode: UInt64
    }

    private static func add(_ item: PackSource.Item, from root: URL, to writer: ArchiveWriter,
                            firstPath: inout [InodeKey: String]) throws {
        let status = item.status
        switch status.kind {
        case .directory:
            try writer.add(directory: item.path, mode: status.permissions)
        case .symlink:
            try writer.add(symlink: item.path, target: item.linkTarget ?? "")
        case .regular:
            let key = InodeKey(device: status.device, inode: status.inode)
            if let target = firstPath[key] {
                try writer.add(hardlink: item.path, target: target, mode: status.permissions)
            } else {
                firstPath[key] = item.path
                try writer.add(file: item.path, from: root.appendingPathComponent(item.path), mode: status.permissions)
            }
        case .other:
            throw ArchiveError(.unsupportedEntry, "cannot be packed", archive: root.path, entry: item.path)
        }
    }
}
