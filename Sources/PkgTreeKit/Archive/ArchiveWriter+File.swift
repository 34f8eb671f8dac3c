import CArchive
import Foundation

extension ArchiveWriter {
    /// Adds a regular file whose data is streamed from `source` in 1 MiB blocks. `mode` nil
    /// keeps the source's permission bits. A symlink at `source` is refused, not followed.
    /// The size is taken when the file is opened; a file that grows or shrinks while it is
    /// read fails the pack rather than giving an archive that matches no state of the tree.
    /// `observe`, if given, sees every block as it is written (to hash the data in the same pass).
    public func add(file path: String, from source: URL, mode: UInt32? = nil,
                    observe: ((UnsafeRawBufferPointer) -> Void)? = nil) throws {
        let file = open(source.path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard file >= 0 else { throw ArchiveError.system("cannot open \(source.path)", archive: name, entry: path) }
        defer { close(file) }
        var info = stat()
        guard fstat(file, &info) == 0 else { throw ArchiveError.system("cannot stat \(source.path)", archive: name, entry: path) }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw ArchiveError(.unsupportedEntry, "\(source.path) is not a regular file", archive: name, entry: path)
        }
        let size = Int64(info.st_size)
        let entry = try writeHeader(path: path, type: FileType.regular, permissions: mode ?? UInt32(info.st_mode), size: size)
        try copy(file, bytes: size, from: source, entry: entry, observe: observe)
    }

    /// Copies exactly `bytes` bytes from `file` into the current entry.
    private func copy(_ file: Int32, bytes: Int64, from source: URL, entry: String,
                      observe: ((UnsafeRawBufferPointer) -> Void)?) throws {
        var remaining = bytes
        while remaining > 0 {
            let count = read(file, buffer.baseAddress, Int(min(Int64(buffer.count), remaining)))
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { throw ArchiveError.system("cannot read \(source.path)", archive: name, entry: entry) }
            guard count > 0 else { throw changed(source, entry) }
            let block = UnsafeRawBufferPointer(rebasing: buffer[0..<count])
            try writeData(block, entry: entry)
            observe?(block)
            remaining -= Int64(count)
        }
        guard read(file, buffer.baseAddress, 1) == 0 else { throw changed(source, entry) }
    }

    private func changed(_ source: URL, _ entry: String) -> ArchiveError {
        ArchiveError(.changedWhilePacking, "\(source.path) changed size while it was packed", archive: name, entry: entry)
    }
}
