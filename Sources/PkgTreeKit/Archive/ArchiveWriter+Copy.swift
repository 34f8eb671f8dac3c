import Foundation

/// What `ArchiveWriter.copyEntries` saw of one source archive: enough to activate a package
/// (which files it has in `bin/`, `lib/`, …) and read its metadata, without a second pass.
public struct CopiedEntries: Sendable {
    /// Every entry copied, relative to the source's root (no prefix), in the source's order.
    public var paths: [(path: String, isDirectory: Bool)] = []
    /// The data of the regular files that were asked for, by relative path.
    public var kept: [String: Data] = [:]
    /// The target written for every symlink, by relative path.
    public var links: [String: String] = [:]
    /// The size of every regular file (not hard links), by relative path.
    public var fileSizes: [String: Int64] = [:]

    public var count: Int { paths.count }
}

extension ArchiveWriter {
    /// Streams every entry of `archive` (any format `ArchiveReader` reads) into this archive
    /// under `prefix`, without unpacking anything to disk: this is how a bootstrap tarball is
    /// assembled from package tarballs. Headers are rewritten as `ArchiveWriter` writes its
    /// own (owner 0:0 root:root, the options' mtime, permission bits kept); hard-link targets
    /// get the prefix too, symlink targets are kept verbatim. Data is copied in 1 MiB blocks.
    /// `admit` sees every entry first (its relative path and header): it may refuse it by
    /// throwing, and returns the target to write for a symlink (nil: the one it has).
    ///
    /// The archive's root entry (`./`) is skipped: the directories of `prefix` itself are the
    /// caller's to add. Entries keep the source's order, which stays sorted under a prefix
    /// when the source was. The data of the regular files named in `keeping` (relative
    /// paths, at most `maxKeptBytes` each) is also returned, read in the same pass.
    @discardableResult
    public func copyEntries(from archive: URL, prefix: String, keeping: Set<String> = [], maxKeptBytes: Int64 = 1 << 20,
                            admit: (_ path: String, _ info: ArchiveEntryInfo) throws -> String? = { _, _ in nil }) throws -> CopiedEntries {
        let prefix = try EntryPath.normalize(prefix, archive: name)
        let reader = try ArchiveReader(archive)
        var copied = CopiedEntries()
        while let entry = try reader.nextHeader() {
            var info = ArchiveEntryInfo(entry)
            let relative = try EntryPath.normalize(info.path, archive: reader.name)
            guard !relative.isEmpty else { continue }
            var kept: Data?
            if keeping.contains(relative) {
                guard info.kind == .file, let size = info.size, size <= maxKeptBytes else {
                    throw ArchiveError(.unsupportedEntry, "must be a regular file of at most \(maxKeptBytes) bytes",
                                       archive: reader.name, entry: info.path)
                }
                kept = Data(capacity: Int(size))
            }
            let target = try admit(relative, info)
            if info.kind == .symlink {
                info.linkTarget = target ?? info.linkTarget
                copied.links[relative] = info.linkTarget ?? ""
            }
            try copy(info, relative: relative, from: reader, prefix: prefix, keeping: &kept)
            copied.paths.append((relative, info.kind == .directory))
            if info.kind == .file { copied.fileSizes[relative] = info.size }
            if let kept { copied.kept[relative] = kept }
        }
        return copied
    }

    private func copy(_ info: ArchiveEntryInfo, relative: String, from reader: ArchiveReader, prefix: String,
                      keeping kept: inout Data?) throws {
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
            try copyData(size, from: reader, entry: path, keeping: &kept)
        case .characterDevice, .blockDevice, .fifo, .socket, .unknown:
            throw ArchiveError(.unsupportedEntry, "\(info.kind) entries are never copied", archive: reader.name, entry: info.path)
        }
    }

    /// Copies exactly `size` bytes of the reader's current entry; a source that holds more
    /// than its header says would otherwise be cut silently (the reader refuses one that
    /// holds less when its data ends).
    private func copyData(_ size: Int64, from reader: ArchiveReader, entry: String, keeping kept: inout Data?) throws {
        var copied: Int64 = 0
        while case let count = try reader.read(into: buffer), count > 0 {
            copied += Int64(count)
            guard copied <= size else { throw mismatch("more than the \(size) bytes its header declares", reader, entry) }
            let block = UnsafeRawBufferPointer(rebasing: buffer[0..<count])
            try writeData(block, entry: entry)
            kept?.append(contentsOf: block)
        }
    }

    private func mismatch(_ what: String, _ reader: ArchiveReader, _ entry: String) -> ArchiveError {
        ArchiveError(.unsafeEntry, "holds \(what)", archive: reader.name, entry: reader.currentPath ?? entry)
    }
}
