/// Remembers the digests of files by their status, so that a file that did not change is not
/// read again. `ContentDigest` asks one; the cache's stat cache (`StatCache`, kept in the
/// cache index) is the one pkgtree uses, so resolving a tree needs no part of the cache.
protocol FileDigestCache: AnyObject, Sendable {
    /// The digest of the file at `path`: the remembered one when `status` is unchanged, else
    /// `compute()`'s.
    func digest(of path: String, status: FileStatus, compute: () throws -> String) rethrows -> String
}
