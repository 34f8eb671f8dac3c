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
        let store = ArtifactStore(index: index)
        let files = try index.artifactFiles(arch: arch)
        let findings = ParallelMap.map(files) { file -> Finding? in
            switch store.condition(of: file, rehash: true) {
            case .intact: nil
            case .missing: Finding(id: file.id, path: file.path, problem: "the file is missing")
            case .corrupt(let reason): Finding(id: file.id, path: file.path, problem: "\(reason); the file is corrupt")
            }
        }
        var result = findings.compactMap { $0 }
        let indexed = Set(files.map(\.path))
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
