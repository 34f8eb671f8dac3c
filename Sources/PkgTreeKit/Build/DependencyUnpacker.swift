import Foundation

/// A build's install root links its dependencies from unpacked copies of their cached
/// artifacts, kept in `cache/unpacked/<arch>/<id>/` and made once (extract into `tmp/`, then
/// rename), so the next build that needs the same dependency links it at once. A copy is made under the
/// dependency's lock, from a file whose sha256 was checked against its row.
struct DependencyUnpacker: Sendable {
    let layout: CacheLayout
    let index: CacheIndex

    func unpacked(_ id: String) throws -> URL {
        guard let record = try index.artifact(id: id) else {
            throw CacheError.io(id, "is required but not in the cache; build it first")
        }
        let destination = layout.unpackedCopy(arch: record.arch, id: id)
        if FileStatus.isDirectory(destination.path) { return destination }
        let store = ArtifactStore(index: index)
        let lock = try store.lock(id)
        defer { lock.unlock() }
        if FileStatus.isDirectory(destination.path) { return destination }  // unpacked while we waited
        // The file is about to be read whole, so hashing it first costs little, and bits that
        // rotted under an unchanged stamp never reach a build.
        let artifact: URL
        switch try store.lookUp(id, rehash: true) {
        case .intact(let record): artifact = layout.url(ofRelativePath: record.path)
        case .absent: throw CacheError.io(id, "is required but not in the cache; build it first")
        case .discarded(let path, let reason): throw CacheError.corruptDependency(layout.url(ofRelativePath: path).path, id, reason)
        }
        // Named for the id, whose lock is held: another process's repair pass leaves it alone.
        let staging = layout.tmp.child(TemporaryName.make(for: id))
        defer { try? FileManager.default.removeItem(at: staging) }
        _ = try ArchiveExtractor.extract(artifact, into: staging)
        try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.moveItem(at: staging, to: destination)
        return destination
    }
}
