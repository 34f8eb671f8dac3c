import Foundation
import Glibc

/// A directory tree recreated from another without copying data: directories are made anew,
/// files and symlinks are hard-linked (a link per file, whatever its size), and copied only
/// where a link cannot be made (another file system). The copy shares the originals' inodes,
/// so whoever uses it must not be able to write to it: a build sees it through a read-only mount.
enum LinkFarm {
    /// One path of the tree, relative to its root.
    struct Entry: Sendable {
        var path: String
        var isDirectory: Bool
        /// Permission bits of a directory (files keep theirs: they are the same inodes).
        var permissions: UInt32
    }

    /// Recreates `entries` (parents before children) of `source` under `destination`, which
    /// must exist.
    static func mirror(_ entries: [Entry], from source: URL, to destination: URL) throws {
        var copying = false
        var restrictive: [(path: String, permissions: UInt32)] = []
        for entry in entries {
            let target = destination.child(entry.path).path
            if entry.isDirectory {
                // Writable while it is filled; a directory without u+rwx gets its mode at the end.
                try check(mkdir(target, mode_t(entry.permissions | 0o700)), target)
                if entry.permissions & 0o700 != 0o700 { restrictive.append((target, entry.permissions)) }
                continue
            }
            let original = source.child(entry.path).path
            if !copying {
                if link(original, target) == 0 { continue }
                let code = errno
                guard code == EXDEV || code == EPERM else { throw failure(code, target) }
                copying = true  // once refused, every other link of the tree would be too
            }
            try copy(original, to: target)
        }
        for (path, permissions) in restrictive.reversed() {
            try check(chmod(path, mode_t(permissions)), path)
        }
    }

    private static func copy(_ original: String, to target: String) throws {
        do {
            try FileManager.default.copyItem(atPath: original, toPath: target)
        } catch {
            throw IOError(target, "cannot copy \(original) here: \(error.localizedDescription)")
        }
    }

    /// Throws for a failed system call (`result` -1), naming `path` and the error.
    static func check(_ result: Int32, _ path: String) throws {
        if result == -1 { throw failure(errno, path) }
    }

    /// A full disk stays recognisable (`SystemError.isNoSpace`); anything else names the path.
    static func failure(_ code: Int32, _ path: String) -> Error {
        code == ENOSPC ? POSIXError(.ENOSPC) : IOError(path, SystemError.describe(code))
    }
}
