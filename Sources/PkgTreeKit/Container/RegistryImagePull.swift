import Foundation

/// A builder image named by a registry reference, downloaded for one platform into a scratch
/// directory: the platform's manifest (an index's entry, or the manifest named) and config,
/// checked against the digests that lead to them, and each layer, hashed as it streams. What
/// bwrap unpacks and what an engine loads both start here, so every runner reaches the
/// registry with the same credentials (the podman/docker login files) and TLS
/// (`builder_registries`, else the registry's certs.d directory), and sees the same image.
struct RegistryImagePull {
    var image: RegistryImage
    /// The layer blobs, in order, in the scratch directory.
    var layers: [URL]

    /// Pulls `reference` for `arch` into `scratch` (a new directory); `announce` hears what
    /// takes long. Registry failures are thrown as they are; `problem(_:)` words them.
    static func pull(_ reference: ImageReference, arch: Architecture, registries: BuilderRegistries, into scratch: URL,
                     announce: (String) -> Void) async throws -> RegistryImagePull {
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let credentials = RegistryCredentials.find(registry: reference.registry, repository: reference.repository)
        let options = RegistryClient.Options(tls: registries.tls(for: reference.registry), credentials: credentials)
        return try await closing(try await RegistryClient.connect(reference.apiHost, options: options)) { client in
            let started = ContinuousClock.now
            let image = try await client.image(reference.repository, reference: reference.manifestReference, platform: arch.imagePlatform)
            let bytes = image.layers.reduce(Int64(0)) { $0 + $1.size }
            announce("pulling builder image \(reference) for \(arch.ociPlatform): manifest \(image.manifestDigest), \(image.layers.count) layer(s), \(ByteCount.text(bytes))")
            var layers: [URL] = []
            for (position, layer) in image.layers.enumerated() {
                let file = scratch.child("layer-\(position)")
                try await client.pullBlob(reference.repository, digest: layer.digest, size: layer.size, to: file)
                layers.append(file)
            }
            announce("pulled \(reference) for \(arch.ociPlatform) in \((ContinuousClock.now - started).secondsText)")
            return RegistryImagePull(image: image, layers: layers)
        }
    }

    /// What the image's config gives a container: its `config` object's `Env`, `Entrypoint`
    /// and `WorkingDir` (`Cmd` is what the build script replaces).
    var config: ImageConfig {
        get throws {
            let document = try JSONFile.parse(image.config, displayPath: "the config of \(image.manifestDigest)")
            return ImageConfig.parse(document.objectValue?["config"] ?? .object([:]))
        }
    }

    /// What `pull` threw, as a problem of the field that names the image, with what to do; nil
    /// for what is no registry's failure (the cache's, the disk's).
    static func problem(_ error: Error, reference: String, arch: Architecture, origin: BuilderOrigin) -> Problem? {
        let what = "builder image '\(reference)' cannot be pulled for \(arch.ociPlatform)"
        switch error {
        case let refused as RegistryImageError:
            return origin.problem("\(what): \(refused)", hint: hint(for: refused, arch: arch))
        case let failed as RegistryError:
            return origin.problem("\(what): \(failed)", hint: hint(for: failed))
        case let broken as ArchiveError:
            return origin.problem("\(what): a layer cannot be unpacked: \(broken)",
                                  hint: "pkgtree unpacks tar layers (plain, gzip or zstd) with OCI whiteouts; check the image with `skopeo inspect docker://\(reference)`")
        default:
            return nil
        }
    }

    private static func hint(for refusal: RegistryImageError, arch: Architecture) -> String {
        switch refusal {
        case .unknown:
            "check the name and the tag or digest (`skopeo inspect --raw docker://REFERENCE` lists what the registry has); a pin is the digest of the image index or of the platform's image manifest"
        case .noPlatform, .wrongPlatform:
            "pin the image index (manifest list) that has \(arch.ociPlatform), or name another image for \(arch) in an overlay: \"arch\": {\"\(arch)\": {\"docker\": \"…\"}}"
        case .unsupported:
            "use an image pushed by a current podman, docker or buildah"
        }
    }

    private static func hint(for failure: RegistryError) -> String {
        switch failure {
        case .tls:
            "for builder images, trust the registry's CA in pkgtree.json: {\"builder_registries\": {\"HOST[:PORT]\": {\"cert_dir\": \"DIR\"}}} (\"tls_verify\": false skips the check); see docs/build.md"
        case .unauthorized, .denied:
            "pkgtree reads the login files podman and docker write ($REGISTRY_AUTH_FILE first); a pull needs read access to the repository"
        case .invalidContent:
            "what the registry sent does not match the digests that name it: nothing of it was kept; check the pin, and that this registry is the one you trust"
        case .unreachable, .serverError, .unexpected:
            "check that the registry is up and reachable from here; an image pulled once is kept in the cache and needs no registry again"
        }
    }
}
