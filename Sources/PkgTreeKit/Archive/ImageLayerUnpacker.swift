import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Applies an image's layers, in order, to a root filesystem directory, as an engine does: the
/// OCI image spec's changeset rules. A `.wh.NAME` entry deletes `NAME` of the layers below; a
/// `.wh..wh..opq` entry makes its directory opaque (what the layers below put there is gone);
/// an entry replaces whatever is at its path, except that a directory over a directory merges.
///
/// The layer is the image's, not pkgtree's: absolute symlinks are normal there (they resolve
/// inside the rootfs once it is `/`), and so are setuid programs. Paths are resolved as a
/// `chroot` would (a symlink among an entry's parents is followed, an absolute one from the
/// rootfs, `..` never above it), so nothing is ever written outside the directory, and
/// libarchive's secure flags stand behind that. Owners are restored when root unpacks; for
/// anyone else the files are theirs. Devices, sockets and anything under `dev/` are left out:
/// the sandbox mounts its own `/dev`.
public enum ImageLayerUnpacker {
    public struct Result: Sendable {
        public var entries = 0
        public var whiteouts = 0
    }

    static let whiteoutPrefix = ".wh."
    static let opaqueMarker = ".wh..wh..opq"

    /// Applies `layer` (a tar, compressed or not: libarchive detects the filter) to `root`.
    @discardableResult
    public static func apply(_ layer: URL, to root: URL, restoringOwners: Bool = geteuid() == 0) throws -> Result {
        let resolvedRoot = try realRoot(root, archive: layer.path)
        let reader = try ArchiveReader(layer)
        var unpacking = Unpacking(root: resolvedRoot, archive: layer.path,
                                  disk: try DiskWriter(root: resolvedRoot, archive: layer.path, restoringOwners: restoringOwners),
                                  owners: restoringOwners)
        while let entry = try reader.nextHeader() {
            try unpacking.apply(ArchiveEntryInfo(entry), from: reader)
        }
        try unpacking.disk.close()
        return unpacking.result
    }

    private static func realRoot(_ root: URL, archive: String) throws -> String {
        guard let resolved = realpath(root.path, nil) else {
            throw ArchiveError.system("cannot resolve \(root.path)", archive: archive)
        }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}

/// One layer being applied: what it wrote so far (which its own whiteouts and opaque markers
/// leave alone, whatever order the entries come in).
private struct Unpacking {
    let root: String
    let archive: String
    let disk: DiskWriter
    let owners: Bool
    var written: Set<String> = []
    var result = ImageLayerUnpacker.Result()

    init(root: String, archive: String, disk: DiskWriter, owners: Bool) {
        (self.root, self.archive, self.disk, self.owners) = (root, archive, disk, owners)
    }

    mutating func apply(_ info: ArchiveEntryInfo, from reader: ArchiveReader) throws {
        let path = try EntryPath.normalize(info.path, archive: archive)
        guard !path.isEmpty else { return }  // the root itself keeps its own mode
        result.entries += 1
        let components = EntryPath.components(path)
        let name = components.last!
        let parent = try RootedPath.resolve(components.dropLast().joined(separator: "/"), in: root, archive: archive, entry: info.path)
        if name == ImageLayerUnpacker.opaqueMarker {
            result.whiteouts += 1
            return try clear(parent, keeping: written)
        }
        if name.hasPrefix(ImageLayerUnpacker.whiteoutPrefix) {
            // `.wh..wh.*` other than the opaque marker is aufs's own bookkeeping.
            guard !name.hasPrefix(ImageLayerUnpacker.whiteoutPrefix + ImageLayerUnpacker.whiteoutPrefix) else { return }
            result.whiteouts += 1
            let hidden = EntryPath.join(parent, String(name.dropFirst(ImageLayerUnpacker.whiteoutPrefix.count)))
            if !written.contains(hidden) { try remove(hidden) }
            return
        }
        let target = EntryPath.join(parent, name)
        if target.hasPrefix("dev/") { return }
        try create(info, at: target, from: reader)
        // Its parents are this layer's too, written or not: an opaque marker keeps them.
        written.formUnion(EntryPath.parents(target) + [target])
    }

    private mutating func create(_ info: ArchiveEntryInfo, at target: String, from reader: ArchiveReader) throws {
        let type: mode_t
        var link: DiskWriter.Link?
        switch info.kind {
        case .directory: type = FileType.directory
        case .file: type = FileType.regular
        case .symlink:
            type = FileType.symlink
            link = .symbolic(info.linkTarget ?? "")
        case .hardlink:
            type = FileType.regular
            link = .hard(try hardLinkTarget(info))
        case .fifo: type = FileType.fifo
        case .characterDevice, .blockDevice, .socket, .unknown: return
        }
        // Whatever is there goes, unless a directory meets a directory (their contents merge).
        if let existing = FileStatus.of(root + "/" + target), !(existing.kind == .directory && type == FileType.directory) {
            try remove(target)
        }
        // Parents the layer names no entry for are made as engines make them: 0755, root's.
        try disk.createMissingParents(of: target, modificationTime: info.modificationTime, owner: owners ? (user: 0, group: 0) : nil)
        let owner = owners ? (user: info.userID, group: info.groupID) : nil
        try disk.create(target, type: type, permissions: info.kind == .symlink ? 0o777 : info.permissions,
                        size: info.kind == .file ? info.size : 0, modificationTime: info.modificationTime, link: link, owner: owner)
        if info.kind == .file {
            try reader.forEachBlock { block, offset in try disk.write(block, at: offset, entry: target) }
        }
        try disk.finishEntry(target)
    }

    /// A hard link's target: a file of this layer or one below, its parents resolved alike.
    private func hardLinkTarget(_ info: ArchiveEntryInfo) throws -> String {
        let raw = try EntryPath.normalize(info.linkTarget ?? "", archive: archive)
        let parts = EntryPath.components(raw)
        let target = EntryPath.join(try RootedPath.resolve(parts.dropLast().joined(separator: "/"), in: root, archive: archive, entry: info.path),
                                    parts.last ?? "")
        guard FileStatus.of(root + "/" + target)?.kind == .regular else {
            throw ArchiveError(.unsafeEntry, "hard link to '\(info.linkTarget ?? "")', which is no file of this layer or one below", archive: archive, entry: info.path)
        }
        return target
    }

    /// Deletes what `directory` holds from the layers below: everything this layer did not
    /// write, at any depth.
    private func clear(_ directory: String, keeping kept: Set<String>) throws {
        let path = directory.isEmpty ? root : root + "/" + directory
        guard FileStatus.of(path)?.kind == .directory else { return }
        for name in try FileManager.default.contentsOfDirectory(atPath: path) {
            let child = EntryPath.join(directory, name)
            if !kept.contains(child) {
                try remove(child)
            } else if FileStatus.of(root + "/" + child)?.kind == .directory {
                try clear(child, keeping: kept)
            }
        }
    }

    private func remove(_ path: String) throws {
        let full = root + "/" + path
        guard FileStatus.of(full) != nil else { return }
        do {
            try FileManager.default.removeItem(atPath: full)
        } catch {
            throw ArchiveError(.system(errno: SystemError.code(of: error) ?? EIO), "cannot remove \(path) of a lower layer: \(SystemError.reason(error))",
                               archive: archive, entry: path)
        }
    }
}
