import Foundation

/// `pkgtree cache verify`: checks the index file with SQLite's full check and re-hashes every
/// artifact against its index row. It reports; `pkgtree cache repair` fixes what it reports.
public enum CacheVerifier {
    public struct Finding: Sendable, Hashable, CustomStringConvertible {
        public var id: String
        public var path: String
        public var problem: String

        public var description: String { "\(id): \(path): \(problem)" }
    }

    /// How many artifacts the index lists, read as `run` reads them (by path, not through
    /// the index a damaged page may have broken).
    public static func indexedCount(_ index: CacheIndex, arch: Architecture? = nil) throws -> Int {
        try index.artifactRows(arch: arch).count
    }

    public static func run(_ index: CacheIndex, arch: Architecture? = nil) throws -> [Finding] {
        let layout = index.layout
        let store = ArtifactStore(index: index)
        let damage = try index.integrityProblems().map {
            Finding(id: "index", path: layout.relativePath(of: layout.index),
                    problem: "\($0); `pkgtree cache repair` moves the index aside and rebuilds it from the artifacts")
        }
        let files = try index.artifactRows(arch: arch)
        let findings = ParallelMap.map(files) { file -> Finding? in
            switch store.condition(of: file, rehash: true) {
            case .intact: nil
            case .missing: Finding(id: file.id, path: file.path, problem: "the file is missing")
            case .corrupt(let reason):
                Finding(id: file.id, path: file.path, problem: "\(reason); the file is corrupt (`pkgtree cache repair` removes it, the next build rebuilds it)")
            }
        }
        var result = damage + findings.compactMap { $0 }
        let indexed = Set(files.map(\.path))
        if arch == nil {
            for file in CacheRepair.artifactFiles(layout) {
                let relativePath = layout.relativePath(of: file)
                if !indexed.contains(relativePath) {
                    result.append(Finding(id: CacheLayout.artifactID(fileName: file.lastPathComponent) ?? file.lastPathComponent, path: relativePath,
                                          problem: "the file has no index row (a store in progress, or a leftover that the next command adopts if intact)"))
                }
            }
        }
        return result
    }
}
