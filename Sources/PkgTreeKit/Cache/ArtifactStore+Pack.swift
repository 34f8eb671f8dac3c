import Foundation

extension ArtifactStore {
    /// Packs a build's output directory (the contents of `$PKG_PATH`) as the artifact.
    /// `lockHeld`: the caller holds the id's lock already (see `lock(_:)`).
    public func store(directory: URL, as artifact: Description, options: PackOptions = PackOptions(),
                      lockHeld: Bool = false) async throws -> Outcome {
        try await place(artifact, lockHeld: lockHeld) { staging in
            _ = try ArchivePacker.pack(directory: directory, to: staging, options: options)
        }
    }

    /// Takes the id's lock for as long as the caller needs it: a build holds it from the cache
    /// lookup to the store, so two processes never build one id at the same time. Waits
    /// without holding a thread (see `FileLock.acquire`).
    func lock(_ id: String) async throws -> FileLock {
        try await FileLock.acquire(layout.lockFile(for: id))
    }

    /// Copies an artifact made elsewhere (another machine's cache, a colleague's build) into
    /// this cache, after checking that it reads as a package archive: every entry relative and
    /// inside the package.
    public func importArchive(_ file: URL, as artifact: Description) async throws -> Outcome {
        try Self.checkImportable(file)
        return try await place(artifact) { staging in
            try FileManager.default.copyItem(at: file, to: staging)
        }
    }

    /// Reads every header of `file`; throws when it is not a readable tar archive of relative paths.
    static func checkImportable(_ file: URL) throws {
        let entries: [ArchiveEntryInfo]
        do {
            entries = try ArchiveReader.entries(of: file)
        } catch {
            throw CacheError.notAnArtifact(file.path, "is not a readable package archive: \(error)")
        }
        if let bad = entries.first(where: { $0.path.hasPrefix("/") || $0.path.split(separator: "/").contains("..") }) {
            throw CacheError.notAnArtifact(file.path, "entry '\(bad.path)' is not inside the package")
        }
    }
}
