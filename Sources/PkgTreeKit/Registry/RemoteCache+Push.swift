import Foundation

extension RemoteCache {
    /// What an artifact of the local cache is, as the manifest describes it.
    static func content(of record: ArtifactRecord) -> PackageArtifactManifest.Content? {
        guard let arch = Architecture(name: record.arch) else { return nil }
        return PackageArtifactManifest.Content(id: record.id, name: record.name, variant: record.variant, arch: arch,
                                               digest: "sha256:" + record.sha256, size: record.size)
    }

    /// Pushes one artifact of the local cache behind `store`, after checking that its file is
    /// still what its row says (a corrupt artifact is never published); nil when it is not.
    public func push(_ record: ArtifactRecord, from store: ArtifactStore, key: SigningKey) async throws -> PushOutcome? {
        guard let file = try store.intactFiles(among: [record.id])[record.id], let content = Self.content(of: record) else {
            return nil
        }
        return try await push(content, file: file, key: key)
    }
}
