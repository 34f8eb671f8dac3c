/// Bounds on what `ArchiveExtractor` accepts, so a hostile or broken archive cannot fill the
/// disk or the inode table. Checked against the sizes headers declare and, because headers
/// can lie, against the bytes actually streamed.
public struct ExtractLimits: Sendable, Equatable {
    /// Most entries of any type.
    public var maxEntries: Int
    /// Most bytes of all regular files together.
    public var maxTotalBytes: Int64
    /// Most bytes of one regular file.
    public var maxEntryBytes: Int64

    /// Limits with these bounds; `.default` suits real packages.
    public init(maxEntries: Int, maxTotalBytes: Int64, maxEntryBytes: Int64) {
        self.maxEntries = maxEntries
        self.maxTotalBytes = maxTotalBytes
        self.maxEntryBytes = maxEntryBytes
    }

    /// Generous for any real package or source tarball, finite for a bomb: 1,000,000 entries,
    /// 64 GiB in all, 16 GiB per file.
    public static let `default` = ExtractLimits(maxEntries: 1_000_000,
                                                maxTotalBytes: 64 << 30, maxEntryBytes: 16 << 30)
}

/// What `ArchiveExtractor` wrote.
public struct ExtractResult: Sendable, Equatable {
    /// Entries read from the archive, including the ones (like `./`) that need no write.
    public var entryCount: Int
    /// Bytes of regular-file data written.
    public var fileBytes: Int64

    /// A result with these counts.
    public init(entryCount: Int, fileBytes: Int64) {
        self.entryCount = entryCount
        self.fileBytes = fileBytes
    }
}
