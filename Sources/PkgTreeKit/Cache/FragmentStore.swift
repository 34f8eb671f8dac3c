import Foundation

/// Puts bootstrap fragments (see `FragmentRecord`) into the cache the way `ArtifactStore` puts
/// artifacts (`StagedFile`), under the package id's lock, so two processes never make one
/// fragment at once and a killed one leaves none that counts.
public struct FragmentStore: Sendable {
    public let index: CacheIndex
    var layout: CacheLayout { index.layout }

    public init(index: CacheIndex) {
        self.index = index
    }

    /// The fragment wanted: of which artifact, in which form.
    struct Wanted: Sendable {
        var id: String
        var name: String
        var arch: String
        var form: String
        var artifactSHA256: String
    }

    /// What the writer of a fragment knows besides the file it wrote.
    struct Contents {
        var tarBytes: Int64
        var listing: Data
    }

    /// The recorded fragments among `wanted`, by id, that are worth copying: made from the
    /// artifact as it is now, and with a file of the recorded size. Their bytes are checked
    /// against the sha256 as a bootstrap copies them.
    func usable(_ wanted: [Wanted]) throws -> [String: FragmentRecord] {
        var usable: [String: FragmentRecord] = [:]
        for (form, items) in Dictionary(grouping: wanted, by: \.form) {
            let records = try index.fragments(ids: items.map(\.id), form: form)
            for item in items {
                guard let record = records[item.id], isUsable(record, for: item) else { continue }
                usable[item.id] = record
            }
        }
        return usable
    }

    /// Makes the fragment with `write` unless a usable one appears once the id's lock is held
    /// (another process made it meanwhile). The lock is awaited, not waited for in `flock`, and
    /// `write` (xz: long, synchronous, using its share of the cores) runs on a dispatch thread.
    /// `made`: what `write` returned besides the contents, nil when the fragment was there.
    func make<Extra: Sendable>(_ wanted: Wanted, write: @escaping @Sendable (URL) throws -> (Contents, Extra))
        async throws -> (record: FragmentRecord, made: Extra?) {
        let lock = try await FileLock.acquire(layout.lockFile(for: wanted.id))
        defer { lock.unlock() }
        if let existing = try index.fragment(id: wanted.id, form: wanted.form), isUsable(existing, for: wanted) {
            return (existing, nil)
        }
        let (layout, index) = (layout, index)
        return try await DispatchedWork.run {
            let relativePath = FragmentRecord.path(arch: wanted.arch, name: wanted.name, id: wanted.id, form: wanted.form)
            var written: (contents: Contents, extra: Extra)?
            do {
                let record = try StagedFile.place(layout, id: wanted.id, what: "bootstrap fragment", at: relativePath,
                                                  write: { written = try write($0) }) { placed in
                    let record = FragmentRecord(
                        id: wanted.id, form: wanted.form, name: wanted.name, arch: wanted.arch, path: relativePath,
                        size: placed.size, sha256: placed.sha256, artifactSHA256: wanted.artifactSHA256,
                        tarBytes: written?.contents.tarBytes ?? 0, listing: written?.contents.listing ?? Data(),
                        createdAt: Date().timeIntervalSince1970)
                    try index.insert(record)
                    return record
                }
                return (record, written?.extra)
            } catch where SystemError.isNoSpace(error) {
                throw CacheError.noSpace(layout.root.path)
            }
        }
    }

    /// Removes a fragment whose file turned out missing or corrupt: the row first, then the
    /// file, under the id's lock, unless it was made again meanwhile (another sha256).
    func discard(_ record: FragmentRecord) async throws {
        let lock = try await FileLock.acquire(layout.lockFile(for: record.id))
        defer { lock.unlock() }
        guard let current = try index.fragment(id: record.id, form: record.form), current.sha256 == record.sha256 else { return }
        try index.deleteFragment(record)
        try? FileManager.default.removeItem(at: layout.url(ofRelativePath: record.path))
    }

    private func isUsable(_ record: FragmentRecord, for wanted: Wanted) -> Bool {
        record.artifactSHA256 == wanted.artifactSHA256
            && FileStatus.of(layout.url(ofRelativePath: record.path).path).map { $0.kind == .regular && $0.size == record.size } == true
    }
}
