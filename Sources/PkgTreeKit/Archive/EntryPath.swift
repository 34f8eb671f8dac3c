/// Entry paths as pkgtree writes and accepts them: relative, `/`-separated, with no empty,
/// `.` or `..` components. Pure string work, so the rules can be tested without any archive.
enum EntryPath {
    /// The canonical form of `raw`: `./` prefixes, `.` components and repeated or trailing
    /// slashes dropped. The archive root (`.`, `./`) becomes "". Absolute paths and `..`
    /// components throw: no amount of normalising makes them mean "inside the destination".
    static func normalize(_ raw: String, archive: String) throws -> String {
        guard !raw.hasPrefix("/") else {
            throw ArchiveError(.unsafeEntry, "absolute path", archive: archive, entry: raw)
        }
        let parts = components(raw)
        guard !parts.contains("..") else {
            throw ArchiveError(.unsafeEntry, "path contains a '..' component", archive: archive, entry: raw)
        }
        return parts.joined(separator: "/")
    }

    /// `path` under `prefix` (itself normalised the same way); `prefix` "" leaves it as is.
    static func join(_ prefix: String, _ path: String) -> String {
        prefix.isEmpty ? path : path.isEmpty ? prefix : prefix + "/" + path
    }

    /// Throws unless the symlink at `path` (normalised) with `target` can only ever resolve
    /// inside the root. Absolute targets are refused. Relative targets may climb with leading
    /// `..` no higher than the root, then only descend: a `..` after a name is refused because
    /// the name may itself be a symlink (`s -> .` makes `s/..` the root's parent), and which
    /// names are symlinks can change after this entry is written. Descending through names
    /// stays inside because every symlink in the tree passed this same check.
    static func checkSymlinkTarget(_ target: String, of path: String, archive: String) throws {
        func refuse(_ why: String) -> ArchiveError {
            ArchiveError(.unsafeEntry, "symlink target '\(target)' \(why)", archive: archive, entry: path)
        }
        guard !target.isEmpty else { throw refuse("is empty") }
        guard !target.hasPrefix("/") else { throw refuse("is absolute") }
        let parts = components(target)
        let climbs = parts.prefix { $0 == ".." }.count
        guard !parts.dropFirst(climbs).contains("..") else { throw refuse("has '..' after a name") }
        let depth = components(path).count - 1
        guard climbs <= depth else { throw refuse("points outside the destination") }
    }

    /// The parent paths of `path`, shortest first: "a/b/c" gives ["a", "a/b"].
    static func parents(_ path: String) -> [String] {
        let parts = components(path)
        guard parts.count > 1 else { return [] }
        return (1..<parts.count).map { parts[0..<$0].joined(separator: "/") }
    }

    private static func components(_ path: String) -> [String] {
        path.split(separator: "/", omittingEmptySubsequences: true)
            .map(String.init)
            .filter { $0 != "." }
    }
}
