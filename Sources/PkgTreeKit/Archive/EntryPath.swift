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
    /// inside the root: `SymlinkRefusal` says why one cannot.
    static func checkSymlinkTarget(_ target: String, of path: String, archive: String) throws {
        guard let refusal = SymlinkRefusal(target: target, at: path) else { return }
        throw ArchiveError(.unsafeEntry, "symlink target '\(target)' \(refusal)", archive: archive, entry: path)
    }

    /// The parent paths of `path`, shortest first: "a/b/c" gives ["a", "a/b"].
    static func parents(_ path: String) -> [String] {
        let parts = components(path)
        guard parts.count > 1 else { return [] }
        return (1..<parts.count).map { parts[0..<$0].joined(separator: "/") }
    }

    static func components(_ path: String) -> [String] {
        path.split(separator: "/", omittingEmptySubsequences: true)
            .map(String.init)
            .filter { $0 != "." }
    }
}
