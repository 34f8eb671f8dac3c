import Foundation
import Glibc

/// fsync for files, directories and whole trees, so a rename survives a crash as well as a kill.
enum Durability {
    /// Opens the file for reading only: a staged download is read-only by then.
    static func syncFile(_ url: URL) throws {
        let descriptor = open(url.path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw UserFacingError("opening a file to sync it", path: url, code: errno) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw UserFacingError("syncing a file to disk", path: url, code: errno) }
    }

    static func syncDirectory(_ url: URL) throws {
        try withDirectory(url) { descriptor in
            guard fsync(descriptor) == 0 else { throw UserFacingError("syncing a directory to disk", path: url, code: errno) }
        }
    }

    /// Every file and directory under `url` (a directory). On a journalling file system the
    /// first fsync commits the writes of the whole tree; the rest find little left to do. What
    /// cannot be opened (a build's mode-000 file, seen by an ordinary user) is skipped.
    static func syncTree(_ url: URL) throws {
        try syncDirectory(url)
        for name in try FileManager.default.contentsOfDirectory(atPath: url.path) {
            let path = url.child(name)
            switch FileStatus.of(path.path)?.kind {
            case .directory:
                if access(path.path, R_OK | X_OK) == 0 { try syncTree(path) }
            case .regular:
                if access(path.path, R_OK) == 0 { try syncFile(path) }
            default: break
            }
        }
    }

    private static func withDirectory(_ url: URL, _ body: (Int32) throws -> Void) throws {
        let descriptor = open(url.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw UserFacingError("opening a directory to sync it", path: url, code: errno) }
        defer { close(descriptor) }
        try body(descriptor)
    }
}
