import Foundation

/// Extracts archives that may be hostile (downloaded sources, caches shared between
/// machines) so that nothing is ever written outside the destination.
public enum ArchiveExtractor {
    /// Extracts `archive` (`.tar`, `.tar.gz`/`.tgz`, `.tar.xz`, `.tar.bz2`, `.zip`, detected
    /// from the content) into `destination`, created if missing.
    ///
    /// Refused with an `ArchiveError` naming the entry: absolute paths, `..` components,
    /// symlinks that are absolute or could resolve outside the destination, hard links to
    /// paths outside it or not yet extracted, entries whose parent on disk is a symlink,
    /// devices, FIFOs, sockets, and archives over `limits`. Setuid, setgid and sticky bits
    /// are cleared; owners are not restored. After an error the destination may hold part
    /// of the archive: extract into a scratch directory and rename on success.
    @discardableResult
    public static func extract(_ archive: URL, into destination: URL, limits: ExtractLimits = .default) throws -> ExtractResult {
        let root = try resolvedRoot(destination, archive: archive.path)
        let reader = try ArchiveReader(archive)
        var extraction = Extraction(disk: try DiskWriter(root: root, archive: archive.path),
                                    budget: ExtractBudget(limits, archive: archive.path))
        while let entry = try reader.nextHeader() {
            try extraction.extract(ArchiveEntryInfo(entry), from: reader)
        }
        try extraction.disk.close()
        return ExtractResult(entryCount: extraction.budget.entries, fileBytes: extraction.budget.streamedBytes)
    }

    /// `destination`, created if needed, with every symlink in its own path resolved.
    private static func resolvedRoot(_ destination: URL, archive: String) throws -> String {
        do {
            try FileManager.default.createDirectory(at: destination, withIntermediateDirectories: true)
        } catch {
            throw ArchiveError(.system(errno: SystemError.code(of: error) ?? EIO), "cannot create \(destination.path): \(SystemError.reason(error))", archive: archive)
        }
        guard let resolved = realpath(destination.path, nil) else {
            throw ArchiveError.system("cannot resolve \(destination.path)", archive: archive)
        }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
