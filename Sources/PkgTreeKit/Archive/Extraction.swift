import Foundation

/// The state of one `ArchiveExtractor.extract` call: the checks every entry passes before
/// `DiskWriter` sees it, and what has been written so far.
struct Extraction {
    let disk: DiskWriter
    var budget: ExtractBudget
    /// Regular files written so far: the only valid hard-link targets.
    private var files: Set<String> = []

    init(disk: DiskWriter, budget: ExtractBudget) {
        self.disk = disk
        self.budget = budget
    }

    private var archive: String { budget.archive }

    mutating func extract(_ info: ArchiveEntryInfo, from reader: ArchiveReader) throws {
        try budget.enter(info.path)
        let path = try EntryPath.normalize(info.path, archive: archive)
        if path.isEmpty {
            // "./": the destination itself, which exists and keeps its own mode.
            guard info.kind == .directory else { throw unsafe("names the destination itself", info.path) }
            return
        }
        try disk.createDirectories(try checkParents(of: path, entry: info.path), modificationTime: info.modificationTime)
        try create(info, at: path, from: reader)
        try disk.finishEntry(path)
    }

    private mutating func create(_ info: ArchiveEntryInfo, at path: String, from reader: ArchiveReader) throws {
        // Setuid, setgid and sticky bits never survive: a package is not a way to install
        // privileged binaries on the builder.
        let permissions = info.permissions & 0o777
        let mtime = info.modificationTime
        switch info.kind {
        case .directory:
            files.remove(path)
            try disk.create(path, type: FileType.directory, permissions: permissions, modificationTime: mtime)
        case .file:
            try budget.declare(info.size, path)
            try disk.create(path, type: FileType.regular, permissions: permissions, size: info.size, modificationTime: mtime)
            try copyData(of: path, from: reader)
            files.insert(path)
        case .symlink:
            let target = info.linkTarget ?? ""
            try EntryPath.checkSymlinkTarget(target, of: path, archive: archive)
            files.remove(path)
            try disk.create(path, type: FileType.symlink, permissions: 0o777, modificationTime: mtime, link: .symbolic(target))
        case .hardlink:
            let target = try hardLinkTarget(info, path)
            try disk.create(path, type: FileType.regular, permissions: permissions, modificationTime: mtime, link: .hard(target))
            files.insert(path)
        case .characterDevice, .blockDevice, .fifo, .socket, .unknown:
            throw ArchiveError(.unsupportedEntry, "\(info.kind) entries are never extracted", archive: archive, entry: info.path)
        }
    }

    /// Streams the current entry's data to disk, counting it against the budget first.
    private mutating func copyData(of path: String, from reader: ArchiveReader) throws {
        try reader.forEachBlock { block, offset in
            try budget.stream(block.count, at: offset, path)
            try disk.write(block, at: offset, entry: path)
        }
    }

    /// The hard link's target, which must be a regular file this extraction already wrote.
    private func hardLinkTarget(_ info: ArchiveEntryInfo, _ path: String) throws -> String {
        let raw = info.linkTarget ?? ""
        let target: String
        do {
            target = try EntryPath.normalize(raw, archive: archive)
        } catch {
            throw unsafe("hard link to '\(raw)' points outside the destination", info.path)
        }
        guard files.contains(target) else {
            throw unsafe("hard link to '\(raw)', which is not a file extracted before it", info.path)
        }
        try checkParents(of: target, entry: info.path)
        return target
    }

    /// Every parent of `path` that exists must be a real directory: a symlink there (even one
    /// pointing inside) would route the write somewhere no check has looked at. Returns the
    /// parents that do not exist (below the first missing one, none can), for the caller to make.
    @discardableResult
    private func checkParents(of path: String, entry: String) throws -> [String] {
        let parents = EntryPath.parents(path)
        for (position, parent) in parents.enumerated() {
            switch FileStatus.of(disk.root + "/" + parent)?.kind {
            case nil: return Array(parents[position...])
            case .directory?: continue
            case .symlink?: throw unsafe("would be written through the symlink '\(parent)'", entry)
            default: throw unsafe("has '\(parent)' as a parent, which is not a directory", entry)
            }
        }
        return []
    }

    private func unsafe(_ message: String, _ entry: String) -> ArchiveError {
        ArchiveError(.unsafeEntry, message, archive: archive, entry: entry)
    }
}
