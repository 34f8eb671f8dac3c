import CArchive
import Foundation

/// One complete `.xz` stream written to a file descriptor from bytes handed to it: libarchive's
/// "raw" format (one entry whose data passes through unchanged) under its xz filter, with the
/// options' level and the multi-threaded encoder, as `ArchiveWriter` compresses a whole archive.
///
/// `ArchiveWriter` puts a fragment's tar stream through one, so the tar bytes can be cut
/// before the end-of-archive blocks that libarchive's tar writer appends on close; an xz
/// stream may be followed by another, so fragments concatenate into one `tar.xz`.
final class XZStreamSink {
    private let handle: OpaquePointer
    private let name: String
    /// Once set, what is written is the tar trailer: checked and dropped, not compressed.
    var discarding = false
    private(set) var forwardedBytes: Int64 = 0
    private(set) var discardedBytes: Int64 = 0
    private(set) var discardedNonZero = false
    /// Why the last write failed, with the system's error when the file could not be written.
    private(set) var failure: ArchiveError?
    private var closed = false

    init(descriptor: Int32, options: PackOptions, name: String) throws {
        self.name = name
        guard let handle = archive_write_new() else {
            throw ArchiveError(.library(status: ARCHIVE_FATAL), "cannot allocate a writer", archive: name)
        }
        self.handle = handle
        try require(archive_write_set_format_raw(handle), "cannot select the raw format")
        try require(archive_write_add_filter_xz(handle), "cannot add the xz filter")
        try require(archive_write_set_filter_option(handle, "xz", "compression-level", "\(options.compressionLevel)"),
                    "cannot set xz level \(options.compressionLevel)")
        try require(archive_write_set_filter_option(handle, "xz", "threads", "\(options.encoderThreads)"),
                    "cannot use \(options.encoderThreads) xz threads")
        try require(archive_write_open_fd(handle, descriptor), "cannot open the stream for writing")
        let entry = archive_entry_new()
        defer { archive_entry_free(entry) }
        archive_entry_set_filetype(entry, UInt32(FileType.regular))
        archive_entry_copy_pathname(entry, "stream")
        try require(archive_write_header(handle, entry), "cannot start the stream")
    }

    deinit {
        if !closed { archive_write_fail(handle) }
        archive_write_free(handle)
    }

    /// Takes `count` bytes at `bytes`; returns how many it took, or -1 (see `failure`).
    func accept(_ bytes: UnsafeRawPointer, _ count: Int) -> Int {
        if discarding {
            let block = UnsafeRawBufferPointer(start: bytes, count: count)
            if block.contains(where: { $0 != 0 }) { discardedNonZero = true }
            discardedBytes += Int64(count)
            return count
        }
        let written = archive_write_data(handle, bytes, count)
        guard written >= 0 else {
            failure = ArchiveError.library(Int32(written), handle, "cannot compress", archive: name)
            return -1
        }
        forwardedBytes += Int64(written)
        return written
    }

    /// Flushes the encoder and ends the stream (its index and footer).
    func close() throws {
        try ArchiveError.check(archive_write_close(handle), handle, "cannot finish the xz stream", archive: name)
        closed = true
    }

    /// What libarchive's write callback does (`archive_write_open2` with the sink as client data).
    static func write(clientData: UnsafeMutableRawPointer?, _ buffer: UnsafeRawPointer?, _ length: Int) -> la_ssize_t {
        guard let clientData, let buffer else { return -1 }
        let sink = Unmanaged<XZStreamSink>.fromOpaque(clientData).takeUnretainedValue()
        return la_ssize_t(sink.accept(buffer, length))
    }

    private func require(_ status: Int32, _ what: String) throws {
        guard status == ARCHIVE_OK else { throw ArchiveError.library(status, handle, what, archive: name) }
    }
}
