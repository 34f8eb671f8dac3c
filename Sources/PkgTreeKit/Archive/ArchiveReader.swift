import CArchive
import Foundation

/// Reads the entries of a `.tar`, `.tar.gz`/`.tgz`, `.tar.xz`, `.tar.bz2` or `.zip` one at a
/// time, without writing anything to disk. The format is detected from the content, not the
/// file name. Use it to list archives (`cache verify`, tests); `ArchiveExtractor` writes them.
public final class ArchiveReader {
    let handle: OpaquePointer
    /// The archive's path, for error messages.
    let name: String
    /// The header libarchive returned last; it owns the memory and reuses it on `next()`.
    private(set) var current: OpaquePointer?
    /// Bytes of the current entry's data read so far.
    private var dataRead: Int64 = 0

    /// Opens `archive`; throws when it is missing or not an archive in a known format.
    public init(_ archive: URL) throws {
        name = archive.path
        handle = try Self.open(archive.path)
    }

    deinit { archive_read_free(handle) }

    /// The next entry's header, or nil at the end of the archive. Any data of the previous
    /// entry that was not read is skipped.
    public func next() throws -> ArchiveEntryInfo? {
        try nextHeader().map(ArchiveEntryInfo.init)
    }

    /// The current entry's data, holes of sparse files as zeros (what extraction writes),
    /// refused beyond `maxBytes` so a listing tool cannot be made to allocate without bound.
    public func readData(maxBytes: Int = 64 << 20) throws -> Data {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while case let count = try buffer.withUnsafeMutableBytes({ try read(into: $0) }), count > 0 {
            guard data.count + count <= maxBytes else {
                throw ArchiveError(.limitExceeded, "entry data exceeds \(maxBytes) bytes", archive: name, entry: currentPath)
            }
            data.append(contentsOf: buffer[..<count])
        }
        return data
    }

    /// Every header of `archive`, in archive order.
    public static func entries(of archive: URL) throws -> [ArchiveEntryInfo] {
        let reader = try ArchiveReader(archive)
        var entries: [ArchiveEntryInfo] = []
        while let entry = try reader.next() { entries.append(entry) }
        return entries
    }

    /// Advances to the next header; nil at the end.
    func nextHeader() throws -> OpaquePointer? {
        var entry: OpaquePointer?
        let status = archive_read_next_header(handle, &entry)
        if status == ARCHIVE_EOF { current = nil; return nil }
        try ArchiveError.check(status, handle, "cannot read the next entry", archive: name, entry: currentPath)
        current = entry
        dataRead = 0
        return entry
    }

    /// Calls `body` with each block of the current entry's data and its offset in the file
    /// (blocks of sparse files can skip ahead). The buffer is valid only during the call.
    func forEachBlock(_ body: (UnsafeRawBufferPointer, Int64) throws -> Void) throws {
        var buffer: UnsafeRawPointer?
        var size = 0
        var offset: la_int64_t = 0
        while true {
            let status = archive_read_data_block(handle, &buffer, &size, &offset)
            if status == ARCHIVE_EOF { return try checkDataComplete() }
            guard status == ARCHIVE_OK else { throw dataError(Int(status)) }
            dataRead += Int64(size)
            try body(UnsafeRawBufferPointer(start: buffer, count: size), offset)
        }
    }

    /// Reads the current entry's data into `buffer`, holes of sparse files as zeros; returns
    /// the byte count, 0 at the end of the entry.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let count = archive_read_data(handle, buffer.baseAddress, buffer.count)
        guard count >= 0 else { throw dataError(count) }
        dataRead += Int64(count)
        if count == 0 { try checkDataComplete() }
        return count
    }

    /// At the end of a regular file's data: unless the file is sparse, it must have held the
    /// size its header declares. libarchive does not always check (a stored zip entry with
    /// no data reads as empty whatever size it declares), and the disk writer pads a short
    /// file with zeros up to that size.
    private func checkDataComplete() throws {
        guard let entry = current, archive_entry_sparse_count(entry) == 0 else { return }
        let info = ArchiveEntryInfo(entry)
        guard info.kind == .file, let declared = info.size, dataRead != declared else { return }
        throw ArchiveError(.unsafeEntry, "holds \(dataRead) bytes, not the \(declared) its header declares",
                           archive: name, entry: info.path)
    }

    /// The error for a data read that returned `status`. Warnings count: while reading data,
    /// libarchive warns of an entry whose size or checksum contradicts its header (a zip
    /// entry shorter or longer than declared, a bad CRC), data that must not be used.
    private func dataError(_ status: Int) -> ArchiveError {
        guard status == Int(ARCHIVE_WARN) else {
            return ArchiveError.library(Int32(clamping: status), handle, "cannot read entry data", archive: name, entry: currentPath)
        }
        let detail = archive_error_string(handle).map { String(cString: $0) } ?? "libarchive gave no detail"
        return ArchiveError(.unsafeEntry, "holds data that contradicts its header: \(detail)", archive: name, entry: currentPath)
    }

    /// The current entry's stored path, for error messages.
    var currentPath: String? {
        current.map { ArchiveEntryInfo($0).path }
    }

    /// A read handle on `path` that understands every compression and the tar and zip formats.
    private static func open(_ path: String) throws -> OpaquePointer {
        guard let handle = archive_read_new() else {
            throw ArchiveError(.library(status: ARCHIVE_FATAL), "cannot allocate a reader", archive: path)
        }
        var opened = false
        defer { if !opened { archive_read_free(handle) } }
        archive_read_support_filter_all(handle)
        archive_read_support_format_tar(handle)
        archive_read_support_format_zip(handle)
        try ArchiveError.check(archive_read_open_filename(handle, path, 1 << 16), handle,
                               "cannot open archive", archive: path)
        opened = true
        return handle
    }
}
