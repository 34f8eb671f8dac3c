import Foundation

/// Dependencies are mounted from unpacked copies of their cached artifacts, kept in
/// `cache/unpacked/<arch>/<id>/` and made once (extract into `tmp/`, then rename), so the
/// next build that needs the same dependency mounts it at once.
struct DependencyUnpacker: Sendable {
    let layout: CacheLayout
    let index: CacheIndex

    func unpacked(_ id: String) throws -> URL {
        guard let record = try index.artifact(id: id) else {
            throw CacheError.io(id, "is required but not in the cache; build it first")
        }
        let destination = layout.root.child("unpacked/\(record.arch)/\(id)")
        if FileStatus.isDirectory(destination.path) { return destination }
        let staging = layout.tmp.child("\(UUID().uuidString).unpacked")
        defer { try? FileManager.default.removeItem(at: staging) }
        _ = try ArchiveExtractor.extract(layout.url(ofRelativePath: record.path), into: staging)
        try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
        do {
            try FileManager.default.moveItem(at: staging, to: destination)
        } catch where FileStatus.isDirectory(destination.path) {
            // Another build unpacked it meanwhile; theirs is as good as ours.
        }
        return destination
    }
}
