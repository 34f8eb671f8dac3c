import CArchive

/// One entry's header as an archive declares it, before any normalising or checking.
public struct ArchiveEntryInfo: Sendable, Equatable {
    /// What the entry is. A hard link is its own kind, whatever type its header also names.
    public enum Kind: Sendable, Equatable {
        case file, directory, symlink, hardlink
        case characterDevice, blockDevice, fifo, socket, unknown
    }

    /// The path exactly as stored (it may start with `./`, or be hostile).
    public var path: String
    public var kind: Kind
    /// Declared data size; nil when the header does not say (streamed zip entries).
    public var size: Int64?
    /// Permission bits including setuid, setgid and sticky (`mode & 0o7777`).
    public var permissions: UInt32
    /// The symlink target, or the path a hard link refers to.
    public var linkTarget: String?
    /// Seconds since the epoch.
    public var modificationTime: Int64
    /// Owner as recorded; extraction never restores it.
    public var userID: Int64
    public var groupID: Int64
    public var userName: String?
    public var groupName: String?
}

extension ArchiveEntryInfo {
    /// Reads the header libarchive just parsed into `entry`.
    init(_ entry: OpaquePointer) {
        let hardlink = ArchiveEntryInfo.text(archive_entry_hardlink_utf8(entry), archive_entry_hardlink(entry))
        let symlink = ArchiveEntryInfo.text(archive_entry_symlink_utf8(entry), archive_entry_symlink(entry))
        path = ArchiveEntryInfo.text(archive_entry_pathname_utf8(entry), archive_entry_pathname(entry)) ?? ""
        kind = hardlink != nil ? .hardlink : ArchiveEntryInfo.kind(of: archive_entry_filetype(entry))
        size = archive_entry_size_is_set(entry) != 0 ? archive_entry_size(entry) : nil
        permissions = UInt32(archive_entry_perm(entry)) & 0o7777
        linkTarget = hardlink ?? (kind == .symlink ? symlink : nil)
        modificationTime = Int64(archive_entry_mtime(entry))
        userID = archive_entry_uid(entry)
        groupID = archive_entry_gid(entry)
        userName = ArchiveEntryInfo.text(archive_entry_uname_utf8(entry), archive_entry_uname(entry))
        groupName = ArchiveEntryInfo.text(archive_entry_gname_utf8(entry), archive_entry_gname(entry))
    }

    /// libarchive keeps names in several encodings; the UTF-8 view is missing when it cannot
    /// transcode from the C locale this process runs in, and then the stored bytes are
    /// decoded as UTF-8 (what every tool pkgtree deals with writes).
    private static func text(_ utf8: UnsafePointer<CChar>?, _ raw: UnsafePointer<CChar>?) -> String? {
        (utf8 ?? raw).map { String(cString: $0) }
    }

    private static func kind(of type: mode_t) -> Kind {
        switch type & FileType.mask {
        case FileType.regular: .file
        case FileType.directory: .directory
        case FileType.symlink: .symlink
        case FileType.characterDevice: .characterDevice
        case FileType.blockDevice: .blockDevice
        case FileType.fifo: .fifo
        case FileType.socket: .socket
        default: .unknown
        }
    }
}
