#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What `lstat(2)` says of a path. FileManager's attribute dictionaries also look up owner
/// names (a trip through NSS for every file); hashing a 5,000-package tree needs only this.
struct FileStatus: Sendable, Hashable {
    enum Kind: Sendable { case regular, directory, symlink, other }

    var kind: Kind
    var permissions: UInt32
    var size: Int64
    var device: UInt64
    var inode: UInt64
    /// The owner's user id.
    var owner: UInt32
    var modificationNanoseconds: Int64
    /// The inode's last change (contents, rename, chmod, link), which no one can set back.
    var changeNanoseconds: Int64

    /// The status of `path` itself (a symlink is not followed), or nil when it does not exist.
    static func of(_ path: String, followingSymlinks: Bool = false) -> FileStatus? {
        var info = stat()
        let result = followingSymlinks ? stat(path, &info) : lstat(path, &info)
        guard result == 0 else { return nil }
        let kind: Kind = switch info.st_mode & S_IFMT {
        case S_IFREG: .regular
        case S_IFDIR: .directory
        case S_IFLNK: .symlink
        default: .other
        }
        return FileStatus(kind: kind, permissions: UInt32(info.st_mode & 0o7777), size: Int64(info.st_size),
                          device: UInt64(info.st_dev), inode: UInt64(info.st_ino), owner: UInt32(info.st_uid),
                          modificationNanoseconds: nanoseconds(info.st_mtim), changeNanoseconds: nanoseconds(info.st_ctim))
    }

    private static func nanoseconds(_ time: timespec) -> Int64 {
        Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
    }

    static func isDirectory(_ path: String) -> Bool {
        of(path, followingSymlinks: true)?.kind == .directory
    }

    /// Whether a name FileManager listed stands for bytes that are not UTF-8: it decodes them
    /// with U+FFFD, so the name it returns no longer finds the file. Callers ask once `lstat`
    /// of the listed name failed.
    static func isUndecodable(_ name: String) -> Bool {
        name.contains("\u{FFFD}")
    }
}

extension FileStatus.Kind: CustomStringConvertible {
    /// "a directory", for messages such as "is a directory, not a file".
    var description: String {
        switch self {
        case .regular: "a file"
        case .directory: "a directory"
        case .symlink: "a symbolic link"
        case .other: "a FIFO, socket or device"
        }
    }
}
