import Foundation

/// `pkgtree cache verify`: re-hashes every artifact against its index row.
public enum CacheVerifier {
    public struct Finding: Sendable, Hashable, CustomStringConvertible {
        public var id: String
        public var path: String
        public var problem: String

        public var description: String { "\(id): \(path): \(problem)" }
    }

    public static func run(_ index: CacheIndex, arch: Architecture? = nil) throws -> [Finding] {
        let layout = index.layout
        let records = try index.artifacts(arch: arch)
        let findings = ParallelMap.map(records) { record -> Finding? in
            let url = layout.url(ofRelativePath: record.path)
            guard let status = FileStatus.of(url.path) else {
                return Finding(id: record.id, path: record.path, problem: "the file is missing")
            }
            if status.size != record.size {
                return Finding(id: record.id, path: record.path, problem: "size is \(status.size) bytes, the index says \(record.size)")
            }
            guard let digest = try? FileHasher.sha256(url) else {
                return Finding(id: record.id, path: record.path, problem: "cannot be read")
            }
            if digest != record.sha256 {
                return Finding(id: record.id, path: record.path, problem: "sha256 is \(digest), the index says \(record.sha256); the file is corrupt")
            }
            return nil
        }
        var result = findings.compactMap { $0 }
        let indexed = Set(records.map(\.path))
        if arch == nil {
            for file in CacheRepair.artifactFiles(layout) {
                let relativePath = layout.relativePath(of: file)
                if !indexed.contains(relativePath) {
                    result.append(Finding(id: CacheLayout.artifactID(fileName: file.lastPathComponent) ?? file.lastPathComponent, path: relativePath,
                                          problem: "the file has no index row (a leftover; `pkgtree cache gc` removes it)"))
                }
            }
        }
        return result
    }
}
