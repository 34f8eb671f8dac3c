import Foundation
import Glibc

/// A tmpfs of a chosen size, mounted by the test itself (root only) to give the cache a
/// small filesystem that fills up.
enum Tmpfs {
    static var canMount: Bool { getuid() == 0 }
    static let needsRoot = "mounting a tmpfs for the cache needs root"

    static func mount(at directory: URL, size: String) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try call(directory, size: size, flags: 0)
    }

    /// Grows (or shrinks) the mounted filesystem; its files stay.
    static func resize(_ directory: URL, size: String) throws {
        try call(directory, size: size, flags: UInt(MS_REMOUNT))
    }

    /// Detached, so that a process still holding a file there cannot keep it mounted.
    static func unmount(_ directory: URL) {
        umount2(directory.path, Int32(MNT_DETACH))
    }

    private static func call(_ directory: URL, size: String, flags: UInt) throws {
        let status = "size=\(size)".withCString { Glibc.mount("tmpfs", directory.path, "tmpfs", flags, $0) }
        guard status == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    }
}
