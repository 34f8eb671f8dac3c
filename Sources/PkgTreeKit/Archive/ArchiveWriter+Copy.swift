import Foundation

extension ArchiveWriter {
    /// Streams every entry of `archive` (any format `ArchiveReader` reads) into this archive
    /// under `prefix`, without unpacking anything to disk: this is how a bootstrap tarball is
    /// assembled from package tarballs. Headers are rewritten as `ArchiveWriter` writes its
    /// own (owner 0:0 root:root, the options' mtime, permission bits kept); hard-link targets
    /// get the prefix too, symlink targets are kept verbatim. Data is copied in 1 MiB blocks.
    ///
    /// The archive's root entry (`./`) is skipped: the directories of `prefix` itself are the
    /// caller's to add. Entries keep the source's order, which stays sorted under a prefix
    /// when the source was. Returns the number of entries written.
    @discardableResult
    public func copyEntries(from archive: URL, prefix: String) throws -> Int {
        let prefix = try EntryPath.normalize(prefix, archive: name)
        let reader = try ArchiveReader(archive)
        let before = entryCount
        while let entry = try reader.nextHeader() {
            try copy(ArchiveEntryInfo(entry), from: reader, prefix: prefix)
        }
        return entryCount - before
    }

    private func copy(_ info: ArchiveEntryInfo, from reader: ArchiveReader, prefix: String) throws {
        let relative = try EntryPath.normalize(info.path, archive: reader.name)
        guard !relative.isEmpty else { return }
        let path = EntryPath.join(prefix, relative)
        switch info.kind {
        case .directory:
            try writeHeader(path: path, type: FileType.directory, permissions: info.permissions)
        case .symlink:
            try writeHeader(path: path, type: FileType.symlink, permissions: 0o777, link: .symbolic(info.linkTarget ?? ""))
        case .hardlink:
            let target = try EntryPath.normalize(info.linkTarget ?? "", archive: reader.name)
            try writeHeader(path: path, type: FileType.regular, permissions: info.permissions,
                            link: .hard(EntryPath.join(prefix, target)))
        case .file:
            guard let size = info.size else {
                throw ArchiveError(.unsupportedEntry, "size unknown until read; cannot stream it", archive: reader.name, entry: info.path)
            }
            try writeHeader(path: path, type: FileType.regular, permissions: info.permissions, size: size)
            try copyData(size, from: reader, entry: path)
        case .characterDevice, .blockDevice, .fifo, .socket, .unknown:
            throw ArchiveError(.unsupportedEntry, "\(info.kind) entries are never copied", archive: reader.name, entry: info.path)
        }
    }

    /// Copies exactly `size` bytes of the reader's current entry; a source that holds more or
    /// less than its header says would otherwise be padded or cut silently.
    private func copyData(_ size: Int64, from reader: ArchiveReader, entry: String) throws {
        var copied: Int64 = 0
        while case let count = try reader.read(into: buffer), count > 0 {
            copied += Int64(count)
            guard copied <= size else { throw mismatch("more than the \(size) bytes its header declares", reader, entry) }
            try writeData(UnsafeRawBufferPointer(rebasing: buffer[0..<count]), entry: entry)
        }
        guard copied == size else { throw mismatch("\(copied) bytes, not the \(size) its header declares", reader, entry) }
    }

    private func mismatch(_ what: String, _ reader: ArchiveReader, _ entry: String) -> ArchiveError {
        ArchiveError(.unsafeEntry, "holds \(what)", archive: reader.name, entry: reader.currentPath ?? entry)
    }
}
