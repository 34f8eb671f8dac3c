import Foundation
import Glibc

/// Extracts a `url_extract` archive for a build. pkgpanda ran `tar --strip-components=1`
/// (and, for zips, moved the single top-level directory's content up), because source
/// tarballs hold one `name-version/` directory and build scripts expect its content at
/// `/pkg/src/<name>`. pkgtree strips that directory when the archive has exactly one
/// top-level entry and it is a directory; any other archive is kept as it is, rather than
/// silently dropping top-level files (pkgpanda's tar) or refusing it (pkgpanda's zip).
enum SourceExtraction {
    /// Extracts `archive` (safely, see `ArchiveExtractor`) to `destination`, which must not
    /// exist. The work happens in a scratch directory beside it, renamed into place on
    /// success, so a failed or hostile archive leaves nothing at `destination`.
    static func extract(_ archive: URL, to destination: URL) throws {
        let parent = destination.deletingLastPathComponent()
        let scratch = parent.child(".\(destination.lastPathComponent).extracting-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        try ArchiveExtractor.extract(archive, into: scratch)
        let entries = try FileManager.default.contentsOfDirectory(atPath: scratch.path)
        var root = scratch
        if entries.count == 1, FileStatus.of(scratch.child(entries[0]).path)?.kind == .directory {
            root = scratch.child(entries[0])
        }
        guard rename(root.path, destination.path) == 0 else {
            throw UserFacingError("moving the extracted source into place", path: destination, code: errno)
        }
    }
}
