import Foundation

/// Puts artifacts into the cache so that a file under `packages/` is valid only once it is
/// complete: written to `tmp/`, fsynced, renamed into place (and the directory fsynced), and
/// then its index row committed in one transaction. A process killed at any moment leaves
/// either nothing, a `tmp/` leftover, or a file without a row — all of which `CacheRepair`
/// removes — never a row pointing at half a file. A lock per id keeps two processes from
/// storing one id at once: the second waits, then finds it stored.
public struct ArtifactStore: Sendable {
    public let index: CacheIndex
    var layout: CacheLayout { index.layout }

    public init(index: CacheIndex) {
        self.index = index
    }

    public enum Outcome: Sendable {
        case stored(ArtifactRecord)
        case alreadyCached(ArtifactRecord)

        public var record: ArtifactRecord {
            switch self {
            case .stored(let record), .alreadyCached(let record): record
            }
        }
    }

    /// What a stored artifact is: the package it was built as and how.
    public struct Description: Sendable {
        public var id: String
        public var name: String
        public var variant: String?
        public var arch: Architecture
        public var builder: JSONValue
        public var inputs: JSONValue
        public var buildDuration: Double

        public init(plan: BuildPlan, index: Int, buildDuration: Double = 0) {
            self.init(plan: plan, index: index, inputs: plan.fullInputs(of: index), buildDuration: buildDuration)
        }

        /// `inputs`: `plan.fullInputs(of: index)`, when the caller has it already.
        init(plan: BuildPlan, index: Int, inputs: JSONValue, buildDuration: Double) {
            let package = plan.packages[index]
            self.init(id: package.id, name: package.name, variant: package.variant, arch: plan.arch,
                      builder: package.builder.json, inputs: inputs, buildDuration: buildDuration)
        }

        public init(id: String, name: String, variant: String?, arch: Architecture, builder: JSONValue,
                    inputs: JSONValue, buildDuration: Double) {
            self.id = id
            self.name = name
            self.variant = variant
            self.arch = arch
            self.builder = builder
            self.inputs = inputs
            self.buildDuration = buildDuration
        }
    }

    /// Stores the file that `write` produces at the URL it is given, under the id's lock
    /// (awaited here unless the caller already holds it, as a build does for its whole run).
    /// `write` must leave a complete file (or throw); it is fsynced before it is moved into
    /// place. A full disk, wherever it strikes (the file, its directory, the index), is
    /// `CacheError.noSpace`, with nothing stored.
    func place(_ artifact: Description, lockHeld: Bool = false, write: (URL) throws -> Void) async throws -> Outcome {
        let lock = lockHeld ? nil : try await lock(artifact.id)
        defer { lock?.unlock() }
        if case .intact(let existing) = try lookUp(artifact.id) {
            return .alreadyCached(existing)
        }
        do {
            return .stored(try stage(artifact, write: write))
        } catch where SystemError.isNoSpace(error) {
            throw CacheError.noSpace(layout.root.path)
        }
    }

    /// Writes, moves into place and indexes one artifact; the caller holds its lock.
    private func stage(_ artifact: Description, write: (URL) throws -> Void) throws -> ArtifactRecord {
        let relativePath = CacheLayout.artifactPath(arch: artifact.arch, name: artifact.name, id: artifact.id)
        return try StagedFile.place(layout, id: artifact.id, what: "artifact", at: relativePath, write: write) { placed in
            let record = ArtifactRecord(
                id: artifact.id, name: artifact.name, variant: artifact.variant, arch: artifact.arch.rawValue,
                path: relativePath, size: placed.size, sha256: placed.sha256, buildDuration: artifact.buildDuration,
                createdAt: Date().timeIntervalSince1970, builder: CanonicalJSON.string(artifact.builder),
                inputs: CanonicalJSON.string(artifact.inputs))
            try index.insert(record, stamp: ArtifactRow.Stamp(placed.status))
            return record
        }
    }
}
