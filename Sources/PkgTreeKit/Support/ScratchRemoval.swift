import Foundation
import Glibc

/// Removes a build's scratch directory, whatever its builds left in it. As root anything
/// goes; an ordinary user's overlay leaves directories they own but cannot enter (the kernel
/// makes overlayfs's `work/work` mode 000) or cannot change (a build's `chmod 555`), which
/// `FileManager` gives up on: their permissions are widened first, then everything removed.
enum ScratchRemoval {
    static func remove(_ directory: URL) {
        if (try? FileManager.default.removeItem(at: directory)) != nil || FileStatus.of(directory.path) == nil { return }
        openUp(directory.path)
        try? FileManager.default.removeItem(at: directory)
    }

    /// Gives `path` and every directory under it u+rwx, so that their entries can be removed.
    private static func openUp(_ path: String) {
        guard let status = FileStatus.of(path), status.kind == .directory else { return }
        if status.permissions & 0o700 != 0o700 { _ = chmod(path, mode_t(status.permissions | 0o700)) }
        for name in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] {
            openUp("\(path)/\(name)")
        }
    }
}
