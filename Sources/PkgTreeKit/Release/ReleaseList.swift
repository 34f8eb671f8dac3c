import Foundation

/// The releases under an output directory: every `<release-id>/release.json`.
public enum ReleaseList {
    public struct Entry: Sendable {
        public var directory: URL
        public var index: ReleaseIndex
        public var modified: Date
        /// Bytes of the bootstrap tarballs.
        public var size: Int64
    }

    /// Newest first. Directories that are not releases (like `bootstrap/`) are left out.
    public static func scan(_ output: URL) throws -> [Entry] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: output.path)) ?? []
        var entries: [Entry] = []
        for name in names where !name.hasPrefix(".") {
            let file = output.child(name).child(ReleaseWriter.indexName)
            guard FileStatus.of(file.path) != nil else { continue }
            let index = try ReleaseIndex.read(file)
            let modified = (try? FileManager.default.attributesOfItem(atPath: file.path)[.modificationDate] as? Date) ?? .distantPast
            entries.append(Entry(directory: output.child(name), index: index, modified: modified,
                                 size: index.manifests.reduce(0) { $0 + $1.bootstrap.size }))
        }
        return entries.sorted { $0.modified > $1.modified }
    }

    /// A release given on the command line: its directory or its `release.json`.
    public static func locate(_ url: URL) -> URL? {
        if url.lastPathComponent == ReleaseWriter.indexName, FileStatus.of(url.path) != nil { return url }
        let file = url.child(ReleaseWriter.indexName)
        return FileStatus.of(file.path) != nil ? file : nil
    }
}
