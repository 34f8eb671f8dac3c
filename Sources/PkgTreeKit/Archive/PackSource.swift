import Foundation

/// The entries below a directory that `ArchivePacker` writes, in archive order.
struct PackSource {
    struct Item {
        /// Relative to the root, `/`-separated, no trailing slash.
        var path: String
        var status: FileStatus
        /// Symlink target as `readlink` returns it.
        var linkTarget: String?

        /// The path as the archive stores it.
        var storedName: String { status.kind == .directory ? path + "/" : path }
    }

    /// Every file, directory and symlink below `root` (not `root` itself), sorted by the bytes
    /// of their names as stored, directories with their trailing `/` ("a-b" < "a/" < "a/b"),
    /// so `tar -t | LC_ALL=C sort -c` holds and every directory precedes its contents.
    /// Bytes, not Swift's `<`, which follows Unicode rules: the order must be the same on
    /// every machine and in every locale.
    static func scan(_ root: URL) throws -> [Item] {
        guard FileStatus.isDirectory(root.path) else {
            throw ArchiveError(.system(errno: ENOTDIR), "not a directory", archive: root.path)
        }
        var items: [Item] = []
        var pending = [""]
        while let directory = pending.popLast() {
            for name in try names(in: root, directory) {
                let path = directory.isEmpty ? name : directory + "/" + name
                let item = try inspect(root, path)
                if item.status.kind == .directory { pending.append(path) }
                items.append(item)
            }
        }
        return items.sorted { $0.storedName.utf8.lexicographicallyPrecedes($1.storedName.utf8) }
    }

    private static func names(in root: URL, _ directory: String) throws -> [String] {
        let path = directory.isEmpty ? root.path : root.path + "/" + directory
        do {
            return try FileManager.default.contentsOfDirectory(atPath: path)
        } catch {
            throw ArchiveError(.system(errno: SystemError.code(of: error) ?? EIO), "cannot list \(path): \(SystemError.reason(error))", archive: root.path)
        }
    }

    private static func inspect(_ root: URL, _ path: String) throws -> Item {
        let full = root.path + "/" + path
        guard let status = FileStatus.of(full) else {
            throw ArchiveError.system("cannot stat \(full)", archive: root.path, entry: path)
        }
        switch status.kind {
        case .regular, .directory:
            return Item(path: path, status: status)
        case .symlink:
            return Item(path: path, status: status, linkTarget: try readLink(full, root: root, entry: path))
        case .other:
            throw ArchiveError(.unsupportedEntry, "devices, FIFOs and sockets cannot be packed", archive: root.path, entry: path)
        }
    }

    private static func readLink(_ path: String, root: URL, entry: String) throws -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count >= 0 else { throw ArchiveError.system("cannot read symlink", archive: root.path, entry: entry) }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
