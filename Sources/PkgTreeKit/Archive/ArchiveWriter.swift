import CArchive
import Foundation

/// Writes a reproducible `tar.xz` (or a plain, gzip or zstd tar: `PackOptions.Filter`) entry by entry: pax (restricted, so plain ustar headers
/// unless a long or non-ASCII name needs an extended one), owner 0:0 named root:root, every
/// mtime `PackOptions.modificationTime`, and nothing else from the host. Headers are built
/// field by field, never copied from `stat` or `archive_read_disk`, which would bring in
/// user names, atime/ctime, xattrs and ACLs.
///
/// Entries are written in the order they are added; `ArchivePacker` sorts them. Call
/// `finish()` to complete and fsync the file; a writer dropped without it marks the archive
/// failed, so no end-of-archive marker makes a partial file look whole.
///
/// `Form.fragment` writes the entries without the end-of-archive blocks, as one complete xz
/// stream: fragments written one after another into a file, and an archive after them, make
/// one `tar.xz` that every reader takes for a single archive (xz allows several streams in a
/// file; a tar reader stops at the only end-of-archive blocks, at the end).
public final class ArchiveWriter {
    /// What the file holds once finished.
    public enum Form: Sendable {
        /// A whole `tar.xz`: the entries, the end-of-archive blocks, one xz stream.
        case archive
        /// The entries only, in one xz stream, to be followed by more streams.
        case fragment
    }

    let handle: OpaquePointer
    let name: String
    let options: PackOptions
    private let descriptor: Int32
    private let header: OpaquePointer
    /// The compressor a fragment's tar stream goes through (nil for a whole archive).
    private let sink: XZStreamSink?
    /// Reused for every copy, so packing allocates nothing per file.
    let buffer: UnsafeMutableRawBufferPointer
    private(set) var entryCount = 0
    private var finished = false

    /// Creates (or truncates) `destination` and opens it for writing. The caller chooses the
    /// path; write to a temporary name and rename when the file must appear atomically.
    /// `appending` writes after what the file holds instead (how streams are concatenated).
    public init(writingTo destination: URL, options: PackOptions = PackOptions(), form: Form = .archive,
                appending: Bool = false) throws {
        name = destination.path
        self.options = options
        try options.validate(archive: name)
        (descriptor, handle, header, sink) = try Self.openArchive(name, options, form: form, appending: appending)
        buffer = .allocate(byteCount: 1 << 20, alignment: 16)
    }

    deinit {
        if !finished {
            archive_write_fail(handle)
            close(descriptor)
        }
        archive_write_free(handle)
        archive_entry_free(header)
        buffer.deallocate()
    }

    /// Adds a directory. `path` is relative; a trailing `/` is added in the archive.
    public func add(directory path: String, mode: UInt32 = 0o755) throws {
        try writeHeader(path: path, type: FileType.directory, permissions: mode)
    }

    /// Adds a regular file holding `contents`.
    public func add(file path: String, contents: Data, mode: UInt32 = 0o644) throws {
        let path = try writeHeader(path: path, type: FileType.regular, permissions: mode, size: Int64(contents.count))
        try contents.withUnsafeBytes { try writeData($0, entry: path) }
    }

    /// Adds a symlink; `target` is stored verbatim.
    public func add(symlink path: String, target: String) throws {
        try writeHeader(path: path, type: FileType.symlink, permissions: 0o777, link: .symbolic(target))
    }

    /// Adds a hard link to `target`, an entry path written earlier. It carries no data.
    public func add(hardlink path: String, target: String, mode: UInt32 = 0o644) throws {
        let target = try EntryPath.normalize(target, archive: name)
        try writeHeader(path: path, type: FileType.regular, permissions: mode, link: .hard(target))
    }

    /// Ends the archive, flushes the compressor, and fsyncs and closes the file.
    @discardableResult
    public func finish() throws -> PackResult {
        precondition(!finished, "ArchiveWriter.finish() called twice")
        let uncompressed: Int64
        if let sink {
            uncompressed = try finishFragment(sink)
        } else {
            try ArchiveError.check(archive_write_close(handle), handle, "cannot finish the archive", archive: name)
            uncompressed = archive_filter_bytes(handle, 0)
        }
        finished = true
        defer { close(descriptor) }
        // The cache renames this file into place next; without fsync a crash could leave the
        // name pointing at blocks never written.
        guard fsync(descriptor) == 0 else { throw ArchiveError.system("cannot fsync the archive", archive: name) }
        return PackResult(entryCount: entryCount, uncompressedBytes: uncompressed)
    }

    /// Pads the last entry, lets libarchive write its end-of-archive blocks into the sink,
    /// which drops them (checking that they are what they must be: zeros, at least the two
    /// 512-byte blocks), then ends the xz stream. Returns the tar bytes kept.
    private func finishFragment(_ sink: XZStreamSink) throws -> Int64 {
        try check(archive_write_finish_entry(handle), "cannot finish the last entry")
        sink.discarding = true
        try check(archive_write_close(handle), "cannot finish the fragment")
        guard sink.discardedBytes >= 1024, sink.discardedBytes % 512 == 0, !sink.discardedNonZero else {
            throw ArchiveError(.library(status: ARCHIVE_FATAL),
                               "the tar writer ended with \(sink.discardedBytes) bytes that are not end-of-archive blocks",
                               archive: name)
        }
        try sink.close()
        return sink.forwardedBytes
    }

    enum Link {
        case symbolic(String)
        case hard(String)
    }

    /// Writes one normalized header and returns the entry path it used. The only place that
    /// decides what a header holds.
    @discardableResult
    func writeHeader(path rawPath: String, type: mode_t, permissions: UInt32, size: Int64 = 0,
                     link: Link? = nil) throws -> String {
        let path = try EntryPath.normalize(rawPath, archive: name)
        guard !path.isEmpty else {
            throw ArchiveError(.unsafeEntry, "the archive root cannot be an entry", archive: name, entry: rawPath)
        }
        archive_entry_clear(header)
        // Names go in as bytes. libarchive turns them into UTF-8 pax headers through the
        // process locale; Swift programs stay in the C locale, where that fails for non-ASCII
        // names, so those are stored byte for byte under `hdrcharset=BINARY` (a warning, which
        // `check` lets pass). Either way the bytes are the UTF-8 of `path`.
        archive_entry_copy_pathname(header, path)
        archive_entry_set_filetype(header, UInt32(type))
        archive_entry_set_perm(header, mode_t(permissions & 0o7777))
        archive_entry_set_uid(header, 0)
        archive_entry_set_gid(header, 0)
        archive_entry_copy_uname(header, "root")
        archive_entry_copy_gname(header, "root")
        archive_entry_set_mtime(header, time_t(options.modificationTime), 0)
        archive_entry_set_size(header, size)
        switch link {
        case .symbolic(let target): archive_entry_copy_symlink(header, target)
        case .hard(let target): archive_entry_copy_hardlink(header, target)
        case nil: break
        }
        try check(archive_write_header(handle, header), "cannot write header", entry: path)
        entryCount += 1
        return path
    }

    /// Appends `bytes` to the data of the entry whose header was written last.
    func writeData(_ bytes: UnsafeRawBufferPointer, entry: String) throws {
        var offset = 0
        while offset < bytes.count {
            let written = archive_write_data(handle, bytes.baseAddress! + offset, bytes.count - offset)
            guard written > 0 else { throw failure(Int32(written), "cannot write data", entry: entry) }
            offset += written
        }
    }

    /// Throws unless `status` is OK or a warning (see `ArchiveError.check`).
    private func check(_ status: Int32, _ what: String, entry: String? = nil) throws {
        if status < ARCHIVE_WARN { throw failure(status, what, entry: entry) }
    }

    /// The error for a failed call: the compressor's own when a fragment's stream could not
    /// be written (it knows the system's error, `ENOSPC` for a full disk), else libarchive's.
    private func failure(_ status: Int32, _ what: String, entry: String?) -> ArchiveError {
        if var failure = sink?.failure {
            failure.entry = entry
            return failure
        }
        return ArchiveError.library(status, handle, what, archive: name, entry: entry)
    }

    /// The file, a pax writer on it (through an `XZStreamSink` for a fragment), and the
    /// header reused for every entry; all released again if any step fails.
    private static func openArchive(_ name: String, _ options: PackOptions, form: Form, appending: Bool) throws
        -> (Int32, OpaquePointer, OpaquePointer, XZStreamSink?) {
        let descriptor = open(name, O_WRONLY | O_CREAT | O_CLOEXEC | (appending ? O_APPEND : O_TRUNC), 0o644)
        guard descriptor >= 0 else { throw ArchiveError.system("cannot create the archive", archive: name) }
        let handle = archive_write_new(), header = archive_entry_new()
        var opened = false
        defer {
            if !opened {
                archive_write_free(handle)
                archive_entry_free(header)
                close(descriptor)
            }
        }
        guard let handle, let header else {
            throw ArchiveError(.library(status: ARCHIVE_FATAL), "cannot allocate a writer", archive: name)
        }
        switch form {
        case .archive:
            try configure(handle, options, name)
            try require(archive_write_open_fd(handle, descriptor), handle, "cannot open the archive for writing", name)
            opened = true
            return (descriptor, handle, header, nil)
        case .fragment:
            let sink = try XZStreamSink(descriptor: descriptor, options: options, name: name)
            try require(archive_write_set_format_pax_restricted(handle), handle, "cannot select the pax format", name)
            // Unblocked: every byte reaches the sink as it is written, and none is added
            // after the end-of-archive blocks.
            try require(archive_write_set_bytes_per_block(handle, 0), handle, "cannot unblock the writer", name)
            try require(archive_write_open2(handle, Unmanaged.passUnretained(sink).toOpaque(), nil,
                                            { _, sink, buffer, length in XZStreamSink.write(clientData: sink, buffer, length) }, nil, nil),
                        handle, "cannot open the fragment for writing", name)
            opened = true
            return (descriptor, handle, header, sink)
        }
    }

    /// The options' format and filter. xz always runs on liblzma's multi-threaded encoder:
    /// its output depends on the block size, not on the thread count, so every machine writes
    /// the same bytes; gzip leaves the time out of its header, and zstd runs on one thread.
    private static func configure(_ handle: OpaquePointer, _ options: PackOptions, _ name: String) throws {
        switch options.format {
        case .tar: try require(archive_write_set_format_pax_restricted(handle), handle, "cannot select the pax format", name)
        case .raw: try require(archive_write_set_format_raw(handle), handle, "cannot select the raw format", name)
        }
        let level = "\(options.compressionLevel)"
        switch options.filter {
        case .none:
            try require(archive_write_add_filter_none(handle), handle, "cannot write without compression", name)
        case .xz:
            try require(archive_write_add_filter_xz(handle), handle, "cannot add the xz filter", name)
            try require(archive_write_set_filter_option(handle, "xz", "compression-level", level),
                        handle, "cannot set xz level \(level)", name)
            try require(archive_write_set_filter_option(handle, "xz", "threads", "\(options.encoderThreads)"),
                        handle, "cannot use \(options.encoderThreads) xz threads", name)
        case .gzip:
            try require(archive_write_add_filter_gzip(handle), handle, "cannot add the gzip filter", name)
            try require(archive_write_set_filter_option(handle, "gzip", "compression-level", level),
                        handle, "cannot set gzip level \(level)", name)
            // An option with no value is libarchive's `!timestamp`: mtime 0 in the header.
            try require(archive_write_set_filter_option(handle, "gzip", "timestamp", nil),
                        handle, "cannot leave the time out of the gzip header", name)
        case .zstd:
            try require(archive_write_add_filter_zstd(handle), handle, "cannot add the zstd filter (libarchive built without libzstd?)", name)
            try require(archive_write_set_filter_option(handle, "zstd", "compression-level", level),
                        handle, "cannot set zstd level \(level)", name)
        }
    }

    /// Strict: a "warning" while configuring means an option was ignored, and the output
    /// would not be the stream the options promise.
    private static func require(_ status: Int32, _ handle: OpaquePointer, _ what: String, _ name: String) throws {
        guard status == ARCHIVE_OK else { throw ArchiveError.library(status, handle, what, archive: name) }
    }
}
