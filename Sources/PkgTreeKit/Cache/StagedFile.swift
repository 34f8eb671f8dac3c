import Foundation

/// The one way a file becomes visible in the cache (artifacts, bootstrap fragments): published
/// through `tmp/` (`StagedPublish`: fsynced, renamed, its directory fsynced), hashed before
/// the rename, and only then committed to the index. A process killed at any moment leaves
/// nothing, a `tmp/` leftover or a file without a row, all of which `CacheRepair` removes;
/// never a row pointing at half a file. The caller holds `id`'s lock.
enum StagedFile {
    /// What `commit` learns of the placed file.
    struct Placed {
        var size: Int64
        var sha256: String
        /// Taken after the rename, which moves the ctime on.
        var status: FileStatus
    }

    /// Runs `write` on a staging URL (it must leave a complete file or throw), moves the file
    /// to `relativePath` and calls `commit`. Were `commit` to fail, the file is removed
    /// again: without its row it is no cache file. `what` ("artifact") names the file in errors.
    static func place<Result>(_ layout: CacheLayout, id: String, what: String, at relativePath: String,
                              write: (URL) throws -> Void, commit: (Placed) throws -> Result) throws -> Result {
        let destination = layout.url(ofRelativePath: relativePath)
        let staged = try StagedPublish(destination, what: what, stagingIn: layout.tmp, owner: id).publish { staging in
            try write(staging)
            guard let size = FileStatus.of(staging.path)?.size else {
                throw CacheError.io(staging.path, "the staged \(what) disappeared")
            }
            let digest = try FileHasher.sha256(staging)
            // The last moment to back out with nothing visible: an interrupted build stores nothing.
            try Task.checkCancellation()
            return (size: size, sha256: digest)
        }
        do {
            guard let placed = FileStatus.of(destination.path) else {
                throw CacheError.io(destination.path, "the \(what) disappeared as it was moved into place")
            }
            return try commit(Placed(size: staged.size, sha256: staged.sha256, status: placed))
        } catch {
            // Without its row the file is no cache file: take it away now rather than leave it
            // for the next repair.
            try? FileManager.default.removeItem(at: destination)
            throw error
        }
    }
}
