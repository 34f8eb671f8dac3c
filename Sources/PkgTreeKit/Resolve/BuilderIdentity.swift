import Crypto

/// What defines the image a package builds in, as it enters the package id. Never a local
/// image id: pkgpanda hashed `docker inspect` ids, which differ per machine, so shared caches
/// missed. Everything here is computed offline, without an engine or a registry.
///
/// The container-builds work makes these images (mmdebstrap recipes, `docker/` directories);
/// it must keep these identities, so that ids computed by `plan` match what gets built.
public enum BuilderIdentity: Sendable, Hashable {
    /// A recipe-built Debian image: the hash of suite + packages + architecture.
    case recipe(BuilderRecipe, arch: Architecture)
    /// A package's own `docker/` directory, built for the platform: its content digest.
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
            let definition = JSONValue.object([
                "suite": .string(recipe.suite),
                "packages": .array(recipe.packages.sorted().map(JSONValue.string)),
                "arch": .string(arch.rawValue),
            ])
            return .object(["kind": "recipe", "digest": .string(SHA256.hash(data: CanonicalJSON.bytes(definition)).hexString),
                            "suite": .string(recipe.suite), "platform": .string(arch.ociPlatform)])
        case .dockerDirectory(let digest, let arch):
            return .object(["kind": "docker_directory", "digest": .string(digest), "platform": .string(arch.ociPlatform)])
        case .pinned(let reference, let arch):
            let digest = reference.components(separatedBy: "@").last ?? reference
            return .object(["kind": "pinned", "digest": .string(digest), "platform": .string(arch.ociPlatform)])
        case .tagged(let reference, let arch):
            return .object(["kind": "tagged", "reference": .string(reference), "platform": .string(arch.ociPlatform)])
        }
    }

    /// A short text for plans and logs.
    public var summary: String {
        switch self {
        case .recipe(let recipe, let arch): "debian \(recipe.suite) recipe (\(arch.ociPlatform))"
        case .dockerDirectory(_, let arch): "docker/ directory (\(arch.ociPlatform))"
        case .pinned(let reference, let arch), .tagged(let reference, let arch): "\(reference) (\(arch.ociPlatform))"
        }
    }
}

extension JSONValue: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
}
