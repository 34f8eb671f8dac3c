import Foundation

/// A loaded package tree: every package with its variants, and every tree variant.
/// Loading checks each file on its own; resolving (per architecture and tree variant) checks
/// how they fit together.
public struct PackageTree: Sendable {
    /// The `packages/` directory.
    public var root: URL
    /// Package name -> variant (nil: default) -> definition.
    public var packages: [String: [String?: PackageDefinition]]
    /// Tree variant (nil: default) -> treeinfo. The default exists even without a file.
    public var treeVariants: [String?: TreeInfo]
    /// Things worth knowing that do not stop a build (ignored pkgpanda features, …).
    public var warnings: [Problem]
    /// What was wrong in single files. Resolving goes on past them (leaving out the broken
    /// packages) so that one run reports every problem of the tree, then fails with all.
    public var problems: [Problem] = []
    /// Packages whose files had problems: they exist, but cannot be resolved.
    public var brokenPackages: Set<String> = []
    /// Tree variants whose treeinfo file had problems.
    public var brokenTreeVariants: Set<String?> = []

    public func definition(_ name: String, variant: String?) -> PackageDefinition? {
        packages[name]?[variant]
    }
}

/// One variant of one package, as written in its buildinfo file.
public struct PackageDefinition: Sendable {
    public var name: String
    public var variant: String?
    public var directory: URL
    /// The names in `directory` when the tree was loaded, so hashing need not list it again.
    public var entries: [String]
    /// The buildinfo file's path as shown in messages (relative to the working directory when possible).
    public var file: String
    /// The top-level fields, without `arch`.
    var base: [String: JSONValue]
    /// Architecture -> the partial buildinfo merged over `base` for it.
    var overlays: [Architecture: [String: JSONValue]]

    /// The effective buildinfo for `arch`: `base` with that architecture's overlay merged in.
    func buildInfo(for arch: Architecture) -> Result<BuildInfo, Problems> {
        var reader = BuildInfoReader(file: file, package: name, complete: true,
                                     context: overlays[arch] == nil ? "" : " (for \(arch), after its 'arch' overlay)")
        let info = reader.read(effectiveJSON(for: arch))
        return reader.problems.isEmpty ? .success(info) : .failure(Problems(reader.problems))
    }

    /// `base` with `arch`'s overlay merged in, still as JSON (what `lint` reads field by field).
    func effectiveJSON(for arch: Architecture) -> [String: JSONValue] {
        guard let overlay = overlays[arch] else { return base }
        return JSONValue.object(base).merging(.object(overlay)).objectValue ?? [:]
    }

    /// The buildinfo file itself (`file` is its path as shown in messages).
    var buildInfoURL: URL {
        directory.child((variant.map { "\($0)." } ?? "") + TreeLoader.buildInfoSuffix)
    }

    /// The name shown to people: `name` or `name (variant v)`.
    public var displayName: String {
        variant.map { "\(name) (variant \($0))" } ?? name
    }
}
