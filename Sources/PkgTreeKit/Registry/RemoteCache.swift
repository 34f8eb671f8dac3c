import Foundation

/// The shared artifact cache in an OCI registry (docs/registry.md): one connected client, and how
/// artifacts are pushed to and fetched from it. Mapping in `RemoteCacheMapping`, manifest in
/// `PackageArtifactManifest`; what the local cache does with a fetched file is in
/// `RemoteCache+Pull`.
public final class RemoteCache: AsyncClosable {
    public let settings: RemoteCacheSettings
    let client: RegistryClient

    private init(settings: RemoteCacheSettings, client: RegistryClient) {
        self.settings = settings
        self.client = client
    }

    /// Connects with the credentials the login files hold for the registry.
    public static func connect(_ settings: RemoteCacheSettings,
                               environment: [String: String] = ProcessInfo.processInfo.environment) async throws -> RemoteCache {
        RemoteCache(settings: settings, client: try await RegistryClient.connect(settings.location, tls: settings.tls, environment: environment))
    }

    public func close() async {
        await client.close()
    }

    /// Connects, runs `body`, and closes the connection however `body` ends.
    public static func with<T>(_ settings: RemoteCacheSettings,
                               environment: [String: String] = ProcessInfo.processInfo.environment,
                               _ body: (RemoteCache) async throws -> T) async throws -> T {
        try await closing(try await connect(settings, environment: environment), body)
    }

    public var location: RemoteCacheLocation { settings.location }

    func repository(_ arch: Architecture) -> String {
        RemoteCacheMapping.repository(location, arch: arch)
    }

    public enum PushOutcome: Sendable, Equatable {
        /// Pushed; `bytes` of the blob were uploaded (0 when the registry had the blob already).
        case pushed(bytes: Int64)
        /// The registry already holds this exact manifest under the id's tag.
        case present
    }

    /// Pushes `file` as `content`, signed with `key`: the blob (unless the registry has it),
    /// the config, the manifest by its digest, and only then the tag, so that a push broken off
    /// at any point leaves no tag pointing at missing content.
    public func push(_ content: PackageArtifactManifest.Content, file: URL, key: SigningKey) async throws -> PushOutcome {
        let repository = repository(content.arch)
        let tag = RemoteCacheMapping.tag(forID: content.id)
        let manifest = PackageArtifactManifest.make(content, signature: try key.sign(content.statement)).encoded()
        let accept = [OCIManifest.mediaType]
        let digest = "sha256:" + FileHasher.sha256(manifest)
        if try await client.manifestDigest(repository, reference: tag, accepting: accept) == digest { return .present }
        var uploaded = try await pushMissingBlobs(content, file: file, to: repository)
        // Another client pushing the same blob at that moment can make the registry answer
        // MANIFEST_BLOB_UNKNOWN (with DIGEST_INVALID) for a blob both saw, while the other push
        // commits it (seen with distribution 2.8 on loopback). Then the blobs are checked
        // again, pushed if still missing, and the manifest sent again, a few times; the tag's
        // PUT checks the blobs as well, so it is retried the same way.
        for reference in [digest, tag] {
            for attempt in 1...Self.manifestAttempts {
                do {
                    try await client.putManifest(repository, reference: reference, data: manifest, mediaType: OCIManifest.mediaType)
                    break
                } catch let error as RegistryError where error.isUnknownBlob && attempt < Self.manifestAttempts {
                    try await Task.sleep(for: .milliseconds(300 * attempt))
                    uploaded += try await pushMissingBlobs(content, file: file, to: repository)
                }
            }
        }
        return .pushed(bytes: uploaded)
    }

    /// Pushes the config and the artifact's blob where the registry lacks them; returns the
    /// artifact bytes uploaded.
    private func pushMissingBlobs(_ content: PackageArtifactManifest.Content, file: URL, to repository: String) async throws -> Int64 {
        _ = try await client.pushBlobIfMissing(repository, data: OCIManifest.emptyConfigData)
        guard try await client.blobSize(repository, digest: content.digest) == nil else { return 0 }
        try await client.pushBlob(repository, file: file, digest: content.digest, size: content.size)
        return content.size
    }

    static let manifestAttempts = 5

    public enum FetchOutcome: Sendable {
        case fetched(bytes: Int64)
        case missing
        case refused(PackageArtifactManifest.Refusal)
    }

    /// Fetches package `id` for `arch` into `file`: its manifest by tag, checked (id, arch,
    /// signature by a trusted key) before a byte of the blob is read, then the blob, whose
    /// size and digest are checked as it streams. A refused artifact leaves no file.
    public func fetch(id: String, arch: Architecture, to file: URL) async throws -> FetchOutcome {
        let repository = repository(arch)
        guard let manifest = try await client.manifest(repository, reference: RemoteCacheMapping.tag(forID: id),
                                                       accepting: [OCIManifest.mediaType]) else { return .missing }
        let layer: OCIDescriptor
        switch PackageArtifactManifest.acceptedLayer(manifest.data, id: id, arch: arch, trusted: settings.trustedKeys) {
        case .success(let accepted): layer = accepted
        case .failure(let refusal): return .refused(refusal)
        }
        do {
            try await client.pullBlob(repository, digest: layer.digest, size: layer.size, to: file)
        } catch RegistryError.invalidContent(_, let message) {
            return .refused(.init(message))
        }
        return .fetched(bytes: layer.size)
    }
}
