import Foundation

/// How `ArchivePacker` and `ArchiveWriter` compress and stamp a `tar.xz` (or a plain tar).
public struct PackOptions: Sendable, Equatable {
    /// Whether the tar stream is compressed.
    public enum Filter: Sendable, Equatable {
        /// xz at `compressionLevel` with `threads`: packages and bootstraps.
        case xz
        /// gzip at `compressionLevel`, no timestamp in its header: OCI image layers, which
        /// every engine reads.
        case gzip
        /// zstd at `compressionLevel` (single-threaded, so the stream does not depend on the
        /// machine): OCI image layers for engines that read them (podman, Docker 23+).
        case zstd
        /// A plain tar, for a consumer that unpacks it at once and reads no compressed input
        /// cheaply (an image archive for `docker load`, whose layer is already a tar).
        case none
    }

    /// What the stream holds.
    public enum Format: Sendable, Equatable {
        /// A tar of the entries added (pax restricted).
        case tar
        /// The data of the one file added, with no header: a compressor for a file that is
        /// a tar already (an image layer compressed after its digest was taken).
        case raw
    }

    public var filter: Filter
    public var format: Format
    /// xz preset, 0...9. 6 is xz's own default: the usual trade of time against size.
    public var compressionLevel: Int
    /// Compression threads. Values below 2 are raised to 2: liblzma's single-threaded encoder
    /// writes a different stream than its multi-threaded one, and the output must not depend
    /// on how many cores the packing machine had.
    public var threads: Int
    /// The mtime of every entry, in seconds since the epoch.
    public var modificationTime: Int64

    /// xz level 6, every core, and `SOURCE_DATE_EPOCH` (or `SourceDate.fallback`) unless told otherwise.
    public init(filter: Filter = .xz, format: Format = .tar, compressionLevel: Int = 6,
                threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                modificationTime: Int64 = SourceDate.epoch) {
        self.filter = filter
        self.format = format
        self.compressionLevel = compressionLevel
        self.threads = threads
        self.modificationTime = modificationTime
    }

    /// The thread count handed to liblzma (see `threads`).
    var encoderThreads: Int { max(2, threads) }

    func validate(archive: String) throws {
        guard (0...9).contains(compressionLevel) else {
            throw ArchiveError(.invalidOptions, "compression level \(compressionLevel) is not in 0...9", archive: archive)
        }
        guard threads >= 1 else {
            throw ArchiveError(.invalidOptions, "thread count \(threads) must be at least 1", archive: archive)
        }
        guard modificationTime >= 0 else {
            throw ArchiveError(.invalidOptions, "modification time \(modificationTime) is before 1970", archive: archive)
        }
    }
}

/// What a finished `tar.xz` holds.
public struct PackResult: Sendable, Equatable {
    /// Entries written: directories, files, symlinks and hard links.
    public var entryCount: Int
    /// Size of the tar stream before compression (what `xz -l` calls "Uncompressed").
    public var uncompressedBytes: Int64

    /// A result with these counts.
    public init(entryCount: Int, uncompressedBytes: Int64) {
        self.entryCount = entryCount
        self.uncompressedBytes = uncompressedBytes
    }
}
