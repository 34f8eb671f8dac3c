import CArchive
import Foundation

/// libarchive's `archive_write_disk`, writing entries that `ArchiveExtractor` has already
/// checked below `root`. It is the second line of defence, not the first: its secure flags
/// refuse `..` and writes through symlinks even if a check upstream were wrong.
final class DiskWriter {
    /// The destination, resolved by `realpath`: libarchive's symlink check walks every
    /// component of the absolute paths given to it, so the destination's own ancestors must
    /// not be symlinks (`/tmp` is one on some systems).
    let root: String
    private let handle: OpaquePointer
    private let header: OpaquePointer
    private let archive: String

    /// Restore permission bits exactly (callers pass them with setuid/setgid/sticky already
    /// cleared) rather than through the umask, so an install looks the same for every user;
    /// restore mtimes; never restore ACLs, xattrs or file flags, nor owners unless asked.
    ///
    /// `ARCHIVE_EXTRACT_SECURE_NOABSOLUTEPATHS` is not set because the paths handed to
    /// libarchive are absolute by construction (`root` + a checked relative path): libarchive
    /// 3.6 has no "extract below this directory" call, and `chdir` is process-wide, which a
    /// multi-threaded build cannot afford. Absolute entry paths are refused before this point.
    private static let flags = ARCHIVE_EXTRACT_PERM | ARCHIVE_EXTRACT_TIME
        | ARCHIVE_EXTRACT_SECURE_NODOTDOT | ARCHIVE_EXTRACT_SECURE_SYMLINKS

    /// `restoringOwners`: also give each entry the owner `create` names (an image layer
    /// unpacked by root, whose files belong to root and to the image's system users).
    init(root: String, archive: String, restoringOwners: Bool = false) throws {
        self.root = root
        self.archive = archive
        guard let handle = Self.newWriter() else {
            throw ArchiveError(.library(status: ARCHIVE_FATAL), "cannot allocate a disk writer", archive: archive)
        }
        guard let header = archive_entry_new() else {
            archive_write_free(handle)
            throw ArchiveError(.library(status: ARCHIVE_FATAL), "cannot allocate an entry", archive: archive)
        }
        self.handle = handle
        self.header = header
        let flags = Self.flags | (restoringOwners ? ARCHIVE_EXTRACT_OWNER : 0)
        try ArchiveError.check(archive_write_disk_set_options(handle, flags), handle,
                               "cannot set extraction options", archive: archive)
    }

    /// `archive_write_disk_new` reads the umask by setting it to 0 and back. Two threads doing
    /// that at once can leave the process's umask at 0 for good (the second reads the first's
    /// 0 and restores it), after which every file pkgtree creates is world-writable; one at a
    /// time, the umask always comes back. (Any file another thread creates inside that
    /// instant still misses the umask: libarchive 3.6 offers no other way to read it.)
    private static let creation = NSLock()

    private static func newWriter() -> OpaquePointer? {
        creation.withLock { archive_write_disk_new() }
    }

    deinit {
        // Also on failure: freeing closes the writer, which applies the deferred modes and
        // mtimes of directories created so far (all below `root`).
        archive_write_free(handle)
        archive_entry_free(header)
    }

    enum Link {
        case symbolic(String)
        /// Relative to `root`.
        case hard(String)
    }

    /// Creates the parents of `path` (relative to `root`) that do not exist, as directories of
    /// mode 0755 exactly: libarchive would make them `0777 & ~umask`, so an archive without
    /// directory entries would unpack differently for another user, in CI, or — since
    /// libarchive reads the umask by briefly setting it to 0 — in a race with another writer
    /// being created. Engines make an image layer's implicit parents 0755 too.
    func createMissingParents(of path: String, modificationTime: Int64, owner: (user: Int64, group: Int64)? = nil) throws {
        // Below the first parent that is missing, none can exist.
        let missing = EntryPath.parents(path).drop { FileStatus.of(root + "/" + $0) != nil }
        try createDirectories(Array(missing), modificationTime: modificationTime, owner: owner)
    }

    /// Creates `paths` (relative to `root`, parents first, none there yet) as directories of
    /// mode 0755 exactly, for a caller that has found them missing.
    func createDirectories(_ paths: [String], modificationTime: Int64, owner: (user: Int64, group: Int64)? = nil) throws {
        for path in paths {
            try create(path, type: FileType.directory, permissions: 0o755, modificationTime: modificationTime, owner: owner)
            try finishEntry(path)
        }
    }

    /// Creates `path` (relative to `root`). Regular files then take data via `write(_:at:)`;
    /// `size` nil (a streamed zip entry) lets libarchive accept data of any length.
    func create(_ path: String, type: mode_t, permissions: UInt32, size: Int64? = 0,
                modificationTime: Int64, link: Link? = nil, owner: (user: Int64, group: Int64)? = nil) throws {
        archive_entry_clear(header)
        if let owner {
            archive_entry_set_uid(header, owner.user)
            archive_entry_set_gid(header, owner.group)
        }
        archive_entry_copy_pathname(header, root + "/" + path)
        archive_entry_set_filetype(header, UInt32(type))
        archive_entry_set_perm(header, mode_t(permissions))
        if let size { archive_entry_set_size(header, size) } else { archive_entry_unset_size(header) }
        archive_entry_set_mtime(header, time_t(modificationTime), 0)
        switch link {
        case .symbolic(let target): archive_entry_copy_symlink(header, target)
        case .hard(let target): archive_entry_copy_hardlink(header, root + "/" + target)
        case nil: break
        }
        try ArchiveError.check(archive_write_header(handle, header), handle, "cannot create", archive: archive, entry: path)
    }

    /// Writes one block of the current file's data at `offset`. libarchive reports a failed
    /// write(2) (a full disk) and data past the size the header declared only as warnings,
    /// with the block not or partly written: here every status below OK is an error.
    func write(_ block: UnsafeRawBufferPointer, at offset: Int64, entry: String) throws {
        let status = archive_write_data_block(handle, block.baseAddress, block.count, offset)
        guard status < ARCHIVE_OK else { return }
        let code = archive_errno(handle)
        if code > 0 {
            throw ArchiveError(.system(errno: code), "cannot write data: \(String(cString: strerror(code)))",
                               archive: archive, entry: entry)
        }
        throw ArchiveError.library(Int32(clamping: status), handle, "cannot write data", archive: archive, entry: entry)
    }

    /// Completes the current entry (sets its mode and mtime).
    func finishEntry(_ entry: String) throws {
        try ArchiveError.check(archive_write_finish_entry(handle), handle, "cannot finish", archive: archive, entry: entry)
    }

    /// Applies the deferred directory modes and mtimes.
    func close() throws {
        try ArchiveError.check(archive_write_close(handle), handle, "cannot finish extraction", archive: archive)
    }
}
