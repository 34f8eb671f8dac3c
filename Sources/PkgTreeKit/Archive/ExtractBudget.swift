/// Counts what an extraction has used against its `ExtractLimits`: sizes as headers declare
/// them, checked before any data is written, and bytes as they stream, because a header can
/// understate what follows it (zip entries streamed with no size, crafted archives).
struct ExtractBudget {
    let limits: ExtractLimits
    let archive: String
    private(set) var entries = 0
    private(set) var declaredBytes: Int64 = 0
    private(set) var streamedBytes: Int64 = 0
    private var entryBytes: Int64 = 0
    private var entryDeclared: Int64?

    init(_ limits: ExtractLimits, archive: String) {
        self.limits = limits
        self.archive = archive
    }

    /// Accounts for one more entry of any type.
    mutating func enter(_ path: String) throws {
        entries += 1
        guard entries <= limits.maxEntries else {
            throw exceeded("more than \(limits.maxEntries) entries", path)
        }
        entryBytes = 0
        entryDeclared = nil
    }

    /// Accounts for a regular file whose header declares `size` bytes (nil: unknown).
    mutating func declare(_ size: Int64?, _ path: String) throws {
        entryDeclared = size
        guard let size else { return }
        guard size >= 0 else { throw ArchiveError(.unsafeEntry, "negative size", archive: archive, entry: path) }
        guard size <= limits.maxEntryBytes else {
            throw exceeded("declares \(size) bytes, more than the \(limits.maxEntryBytes) allowed per file", path)
        }
        declaredBytes += size
        guard declaredBytes <= limits.maxTotalBytes else {
            throw exceeded("files declare more than the \(limits.maxTotalBytes) bytes allowed in all", path)
        }
    }

    /// Accounts for `count` bytes of the current file about to be written at `offset`. A
    /// sparse file's blocks skip ahead, so the end of a block is checked as well as the sum:
    /// libarchive's disk writer turns a block past the declared size into a bogus write(2).
    mutating func stream(_ count: Int, at offset: Int64, _ path: String) throws {
        entryBytes += Int64(count)
        streamedBytes += Int64(count)
        if let declared = entryDeclared, entryBytes > declared || offset > declared - Int64(count) {
            throw ArchiveError(.unsafeEntry, "holds more data than the \(declared) bytes its header declares",
                               archive: archive, entry: path)
        }
        guard entryBytes <= limits.maxEntryBytes else {
            throw exceeded("holds more than the \(limits.maxEntryBytes) bytes allowed per file", path)
        }
        guard streamedBytes <= limits.maxTotalBytes else {
            throw exceeded("files hold more than the \(limits.maxTotalBytes) bytes allowed in all", path)
        }
    }

    private func exceeded(_ message: String, _ path: String) -> ArchiveError {
        ArchiveError(.limitExceeded, message, archive: archive, entry: path)
    }
}
