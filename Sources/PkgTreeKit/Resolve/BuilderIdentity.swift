import Crypto

/// What defines the image a package builds in, as it enters the package id. Never a local
/// image id: pkgpanda hashed `docker inspect` ids, which differ per machine, so shared caches
/// missed. Everything here is computed offline, without an engine or a registry.
///
/// The container-builds work makes these images (mmdebstrap recipes, `docker/` directories);
/// it must keep these identities, so that ids computed by `plan` match what gets built.
public enum BuilderIdentity: Sendable, Hashable {
    /// A recipe-built Debian image: the hash of suite + packages + architecture (+ the
    /// environment and setup commands, when it has them).
    case recipe(BuilderRecipe, arch: Architecture)
    /// The tree's Dockerfile directory, built for the platform on a recipe's image: the hash of
    /// its content digest and the base's identity.
    case dockerfile(BuilderDockerfile, arch: Architecture)
    /// A package's own `docker/` directory, built for the platform: the hash of its content
    /// digest and of the identity of the default builder its `FROM ${PKGTREE_BUILDER}` names.
    case dockerDirectory(digest: String, arch: Architecture)
    /// A registry image pinned by digest (`name@sha256:…`).
    case pinned(reference: String, arch: Architecture)
    /// A registry image by tag: mutable, so `plan` warns about it.
    case tagged(reference: String, arch: Architecture)

    /// Interprets an image reference string.
    static func reference(_ reference: String, arch: Architecture) -> BuilderIdentity {
        reference.contains("@sha256:") ? .pinned(reference: reference, arch: arch) : .tagged(reference: reference, arch: arch)
    }

    /// The identity as it is hashed into package ids and shown by `why`.
    public var json: JSONValue {
        switch self {
        case .recipe(let recipe, let arch):
            return .object(["kind": "recipe", "digest": .string(recipe.digest(arch: arch, of: .image)),
                            "suite": .string(recipe.suite), "platform": .string(arch.ociPlatform)])
        case .dockerfile(let dockerfile, let arch):
            let base = BuilderIdentity.recipe(dockerfile.baseRecipe(for: arch), arch: arch).digest
            let definition = JSONValue.object(["dockerfile": .string(dockerfile.digest), "base": .string(base), "arch": .string(arch.rawValue)])
            return .object(["kind": "dockerfile", "digest": .string(SHA256.hash(data: CanonicalJSON.bytes(definition)).hexString),
                            "base": .string(base), "platform": .string(arch.ociPlatform)])
        case .dockerDirectory(let digest, let arch):
            return .object(["kind": "docker_directory", "digest": .string(digest), "platform": .string(arch.ociPlatform)])
        case .pinned(let reference, let arch):
            let digest = reference.components(separatedBy: "@").last ?? reference
            return .object(["kind": "pinned", "digest": .string(digest), "platform": .string(arch.ociPlatform)])
        case .tagged(let reference, let arch):
            return .object(["kind": "tagged", "reference": .string(reference), "platform": .string(arch.ociPlatform)])
        }
    }

    /// The digest that names the image (`json`'s `digest`, else the hash of `json`).
    public var digest: String {
        json.objectValue?["digest"]?.stringValue ?? SHA256.hash(data: CanonicalJSON.bytes(json)).hexString
    }

    /// A short text for plans and logs.
    public var summary: String {
        switch self {
        case .recipe(let recipe, let arch): "debian \(recipe.suite) recipe (\(arch.ociPlatform))"
        case .dockerfile(let dockerfile, let arch): "\(dockerfile.path)/Dockerfile on the \(dockerfile.baseRecipe(for: arch).suite) recipe (\(arch.ociPlatform))"
        case .dockerDirectory(_, let arch): "docker/ directory (\(arch.ociPlatform))"
        case .pinned(let reference, let arch), .tagged(let reference, let arch): "\(reference) (\(arch.ociPlatform))"
        }
    }
}

extension JSONValue: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
}

extension BuilderRecipe {
    /// What a digest of the recipe covers: the whole `image` (what package ids hash), or only its
    /// `rootfs` (what mmdebstrap and the setup commands make). The environment changes the root
    /// filesystem only through setup commands, so a recipe that differs from another only in
    /// its environment shares its root filesystem. Fields a recipe leaves empty are left out,
    /// so that the digests of recipes without them stay what they were.
    enum Coverage { case image, rootfs }

    func digest(arch: Architecture, of coverage: Coverage) -> String {
        var definition: [String: JSONValue] = [
            "suite": .string(suite),
            "packages": .array(packages.sorted().map(JSONValue.string)),
            "arch": .string(arch.rawValue),
        ]
        if !setup.isEmpty { definition["setup"] = .array(setup.map(JSONValue.string)) }
        if !environment.isEmpty, coverage == .image || !setup.isEmpty {
            definition["environment"] = .object(environment.mapValues(JSONValue.string))
        }
        return SHA256.hash(data: CanonicalJSON.bytes(.object(definition))).hexString
    }
}
