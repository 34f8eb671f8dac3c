import Foundation

/// Whether a cached artifact's file still is what its row says, checked as git checks its
/// index: the file's stamp (size, inode, mtime and ctime in ns) is recorded when it is stored,
/// and a lookup that finds the same stamp trusts the file without reading it. Only a changed
/// stamp costs a re-hash against the recorded sha256, so a no-op build of thousands of
/// packages stays one `lstat` per package.
extension ArtifactStore {
    public enum Condition: Sendable, Equatable {
        case intact
        case missing
        /// What differs from the row: the size, the sha256, or the file cannot be read.
        case corrupt(String)
    }

    /// The condition of `file`. A changed stamp, or none (a row stored before stamps, a cache
    /// copied or restored from a backup), means a re-hash; a file found right gets its new
    /// stamp, so the next lookup is cheap again. `rehash` reads the file whatever its stamp.
    func condition(of file: ArtifactRow, rehash: Bool = false) -> Condition {
        let url = layout.url(ofRelativePath: file.path)
        guard let status = FileStatus.of(url.path), status.kind == .regular else { return .missing }
        guard status.size == file.size else { return .corrupt("size is \(status.size) bytes, the index says \(file.size)") }
        let stamp = ArtifactRow.Stamp(status)
        if stamp == file.stamp && !rehash { return .intact }
        let digest: String
        do {
            digest = try FileHasher.sha256(url)
        } catch {
            return .corrupt("cannot be read: \(SystemError.reason(error))")
        }
        guard digest == file.sha256 else { return .corrupt("sha256 is \(digest), the index says \(file.sha256)") }
        // Recorded only if it held while the file was read: a stamp taken before a write would
        // vouch for content nobody hashed. Failing to record it costs a re-hash next time.
        if stamp != file.stamp, FileStatus.of(url.path).map(ArtifactRow.Stamp.init) == stamp {
            try? index.restamp(file, stamp)
        }
        return .intact
    }

    /// The files of those of `ids` that are cached intact, by id, from one query. One that
    /// fails the check counts as not cached; the build that takes its lock then discards it
    /// (`lookUp`) and builds it again.
    public func intactFiles(among ids: [String]) throws -> [String: URL] {
        let files = try index.artifactRows(ids: ids)
        let intact = ParallelMap.map(files) { condition(of: $0) == .intact ? $0 : nil }.compactMap { $0 }
        return Dictionary(intact.map { ($0.id, layout.url(ofRelativePath: $0.path)) }) { first, _ in first }
    }

    public func intactIDs(among ids: [String]) throws -> Set<String> {
        Set(try intactFiles(among: ids).keys)
    }

    public enum Lookup: Sendable {
        case intact(ArtifactRecord)
        case absent
        /// The file did not match its row; both are gone now.
        case discarded(path: String, reason: String)
    }

    /// `id`'s artifact if its file is intact, for a caller that holds the id's lock. A row whose
    /// file is missing is dropped; a corrupt artifact loses its row, then its file (were the
    /// file to stay, it is a row-less leftover that `CacheRepair` removes). Either way the
    /// artifact's unpacked copy goes too: the id is built again, and its copy is made anew.
    func lookUp(_ id: String, rehash: Bool = false) throws -> Lookup {
        guard let file = try index.artifactRow(id: id) else { return .absent }
        switch condition(of: file, rehash: rehash) {
        case .intact:
            return try index.artifact(id: id).map(Lookup.intact) ?? .absent
        case .missing:
            try index.deleteArtifacts(ids: [id])
            try UnpackedCopies.remove(id, layout)
            return .absent
        case .corrupt(let reason):
            try index.deleteArtifacts(ids: [id])
            try? FileManager.default.removeItem(at: layout.url(ofRelativePath: file.path))
            try UnpackedCopies.remove(id, layout)
            return .discarded(path: file.path, reason: reason)
        }
    }
}
