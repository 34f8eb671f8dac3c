import Crypto
import Foundation

/// Everything local that goes into one package's id, except the ids of its requirements:
/// the effective buildinfo, the content digests of its build script, `extra/`, `docker/` and
/// other files, its sources' ids, the builder identity, architecture and install root.
/// Computed for every package at once, in parallel; reads files, never the network.
struct PackageInputs: Sendable {
    static let formatVersion = "pkgtree-package-id/1"

    var json: JSONValue
    var builder: BuilderIdentity
    /// The architecture whose builder runs the build (`build_arch` in `json`).
    var buildArch: Architecture

    struct Context: Sendable {
        var arch: Architecture
        var hostArch: Architecture
        var installRoot: String
        var defaultBuilder: BuilderSpec?
        var digestCache: (any FileDigestCache)?
    }

    static func compute(_ member: TreeSelection.Member, _ context: Context) -> Result<PackageInputs, Problems> {
        let definition = member.definition, info = member.buildInfo
        var problems: [Problem] = []
        func digest(_ field: String, _ body: () throws -> String?) -> JSONValue {
            do {
                return try body().map(JSONValue.string) ?? .null
            } catch let error as ContentDigest.Failure {
                problems.append(Problem(file: definition.file, package: definition.name, field: field,
                                        "\(DisplayPath.of(URL(fileURLWithPath: error.path))) \(error.reason)", hint: error.hint))
            } catch {
                problems.append(Problem(file: definition.file, package: definition.name, field: field, SystemError.reason(error)))
            }
            return .null
        }
        let directory = definition.directory
        let script = buildScript(definition, info)
        let scriptDigest = digest("build_script") {
            guard FileStatus.of(directory.child(script).path, followingSymlinks: true) != nil else {
                throw ContentDigest.Failure(path: directory.child(script).path,
                                            reason: "does not exist; add the build script or set 'build_script'")
            }
            try LocalInput.requireInside(directory.child(script), package: directory)
            return try ContentDigest.file(directory.child(script), cache: context.digestCache)
        }
        let entries = Set(definition.entries)
        let extra = digest("extra") {
            entries.contains("extra") ? try LocalInput.directoryDigest("extra", of: directory, context.digestCache) : nil
        }
        let docker = digest("docker") {
            entries.contains("docker") ? try LocalInput.directoryDigest("docker", of: directory, context.digestCache) : nil
        }
        let otherFiles = digest("(package directory)") {
            entries.allSatisfy(isHashedElsewhere) ? nil
                : try ContentDigest.directory(directory, cache: context.digestCache, excluding: isHashedElsewhere)
        }
        var sources: [String: JSONValue] = [:]
        for (name, source) in info.sources {
            sources[name] = sourceID(source) { relativePath in
                digest("sources.\(name).rel_path") {
                    let url = directory.child(relativePath).standardizedFileURL
                    guard let status = FileStatus.of(url.path, followingSymlinks: true) else {
                        throw ContentDigest.Failure(path: url.path, reason: "does not exist (git_local 'rel_path' is relative to the package directory)")
                    }
                    return status.kind == .directory ? try ContentDigest.directory(url, cache: context.digestCache)
                        : try ContentDigest.file(url, status: status, cache: context.digestCache)
                }
            }
        }
        let buildArch = info.cross ? context.hostArch : context.arch
        let builder = builderIdentity(info, dockerDigest: docker.stringValue, arch: buildArch, context.defaultBuilder)
        guard problems.isEmpty else { return .failure(Problems(problems)) }
        let json = JSONValue.object([
            "format": .string(formatVersion),
            "name": .string(definition.name),
            "variant": definition.variant.map(JSONValue.string) ?? .null,
            "arch": .string(context.arch.rawValue),
            "build_arch": .string(buildArch.rawValue),
            "install_root": .string(context.installRoot),
            "buildinfo": info.identityJSON,
            "build_script": scriptDigest,
            "extra": extra,
            "docker": docker,
            "package_files": otherFiles,
            "sources": .object(sources),
            "builder": builder.json,
        ])
        return .success(PackageInputs(json: json, builder: builder, buildArch: buildArch))
    }

    /// Top-level entries of a package directory that have their own digest (or none, as the
    /// scripts of other variants), and so stay out of `package_files`.
    static func isHashedElsewhere(_ name: String) -> Bool {
        name == "extra" || name == "docker" || name == "build" || name.hasSuffix(".build")
            || name.hasSuffix(TreeLoader.buildInfoSuffix)
    }

    /// `build_script`, else `<variant>.build` when the variant has one, else `build`.
    static func buildScript(_ definition: PackageDefinition, _ info: BuildInfo) -> String {
        if let script = info.buildScript { return script }
        if let variant = definition.variant, definition.entries.contains("\(variant).build") {
            return "\(variant).build"
        }
        return "build"
    }

    /// A source's id: what pins its content (checksum, commit, or tree digest).
    private static func sourceID(_ source: Source, localDigest: (String) -> JSONValue) -> JSONValue {
        switch source {
        case .url(_, let checksum, _):
            return .object(["kind": .string(source.kind), checksum.algorithm: .string(checksum.hex)])
        case .git(_, let ref, _):
            return .object(["kind": "git", "commit": .string(ref)])
        case .gitLocal(let path):
            return .object(["kind": "git_local", "digest": localDigest(path)])
        }
    }

    /// The package's `docker/` directory wins, then `docker` in the buildinfo, then the tree's
    /// default builder, then the built-in recipe.
    private static func builderIdentity(_ info: BuildInfo, dockerDigest: String?, arch: Architecture,
                                        _ treeDefault: BuilderSpec?) -> BuilderIdentity {
        if let dockerDigest {
            // Its FROM ${PKGTREE_BUILDER} is the default builder: a new one is a new image.
            let base = defaultBuilderIdentity(treeDefault, arch: arch).digest
            return .dockerDirectory(digest: SHA256.hash(data: Array("\(dockerDigest)\n\(base)".utf8)).hexString, arch: arch)
        }
        if let reference = info.docker { return .reference(reference, arch: arch) }
        return defaultBuilderIdentity(treeDefault, arch: arch)
    }

    static func defaultBuilderIdentity(_ treeDefault: BuilderSpec?, arch: Architecture) -> BuilderIdentity {
        switch treeDefault {
        case .reference(let reference)?: return .reference(reference, arch: arch)
        case .recipe(let recipe)?: return .recipe(recipe, arch: arch)
        case .dockerfile(let dockerfile)?: return .dockerfile(dockerfile, arch: arch)
        case nil: return .recipe(.builtInDefault(for: arch), arch: arch)
        }
    }
}
