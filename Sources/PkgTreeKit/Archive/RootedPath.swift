import Foundation

/// A path inside a root filesystem directory resolved as a process `chroot`ed there would
/// resolve it: each symlink is followed, an absolute target from the root, and `..` never
/// climbs above it. The result names real directories only (or ones still to be made), so a
/// write there stays inside the root whatever links the image holds (merged `/usr`'s
/// `bin -> usr/bin`, or a hostile `etc -> /etc`).
enum RootedPath {
    /// Links followed before a path is taken for a loop, as the kernel's `MAXSYMLINKS`.
    static let maximumLinks = 40

    /// `path` (relative to `root`, normalised) resolved below `root`, relative to it.
    static func resolve(_ path: String, in root: String, archive: String, entry: String) throws -> String {
        var resolved: [String] = []
        var pending = Array(EntryPath.components(path).reversed())
        var links = 0
        var missing = false  // below a missing directory nothing is a link: the rest is made as named
        while let component = pending.popLast() {
            if component == ".." {
                _ = resolved.popLast()
                continue
            }
            let candidate = resolved + [component]
            guard !missing, let status = FileStatus.of(root + "/" + candidate.joined(separator: "/")) else {
                missing = true
                resolved = candidate
                continue
            }
            switch status.kind {
            case .directory:
                resolved = candidate
            case .symlink:
                links += 1
                let link = root + "/" + candidate.joined(separator: "/")
                guard links <= maximumLinks, let target = try? FileManager.default.destinationOfSymbolicLink(atPath: link) else {
                    throw ArchiveError(.unsafeEntry, "its parent '\(candidate.joined(separator: "/"))' is a loop of symlinks", archive: archive, entry: entry)
                }
                if target.hasPrefix("/") { resolved = [] }
                pending += EntryPath.components(target).reversed()
            default:
                throw ArchiveError(.unsafeEntry, "has '\(candidate.joined(separator: "/"))' as a parent, which is not a directory", archive: archive, entry: entry)
            }
        }
        return resolved.joined(separator: "/")
    }
}
