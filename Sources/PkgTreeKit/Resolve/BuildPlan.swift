import Foundation

/// What one tree variant builds for one architecture: the packages in build order (each
/// after everything it requires), with their content-hashed ids.
public struct BuildPlan: Sendable {
    public var arch: Architecture
    public var treeVariant: String?
    public var installRoot: String
    /// The tree variant's default builder (nil: the built-in recipe).
    public var defaultBuilder: BuilderSpec?
    /// Dependencies first; deterministic for a given tree.
    public var packages: [PlannedPackage]
    /// Packages whose `architectures` leave out `arch`.
    public var unsupported: [Unbuildable]
    /// Packages that require an unsupported package, directly or not.
    public var skipped: [Unbuildable]
    /// Names of the packages that go into the bootstrap tarball.
    public var bootstrapPackages: [String]
    /// Things worth fixing that do not stop a build (mutable image tags, …).
    public var warnings: [Problem]

    /// The default builder's identity for `arch`: what a package's `docker/` directory may
    /// build `FROM` (passed as the build argument `PKGTREE_BUILDER`).
    public func defaultBuilderIdentity(for arch: Architecture) -> BuilderIdentity {
        PackageInputs.defaultBuilderIdentity(defaultBuilder, arch: arch)
    }

    public func package(named name: String) -> PlannedPackage? {
        packages.first { $0.name == name }
    }
}

/// One package of a plan.
public struct PlannedPackage: Sendable {
    public var name: String
    public var variant: String?
    /// `<name>--[<version_extra>-]<hash>`.
    public var id: String
    public var buildInfo: BuildInfo
    public var builder: BuilderIdentity
    /// The package directory (mounted at /pkg/build).
    public var directory: URL
    /// The buildinfo file, as shown in messages.
    public var file: String
    /// The build script, relative to `directory`.
    public var buildScript: String
    /// Indices into `BuildPlan.packages` of the direct requirements.
    public var requires: [Int]
    /// Every input hashed into the id except the transitive requirement ids, which
    /// `BuildPlan.transitiveRequirementIDs(of:)` lists.
    public var inputs: JSONValue
    /// The architecture it is built for: its plan's.
    public var arch: Architecture
    /// The architecture whose builder runs the build: the host's for cross builds
    /// (`build_arch` among the inputs).
    public var buildArch: Architecture

    /// Whether a cross toolchain builds this package on another architecture's builder.
    public var isCrossBuild: Bool {
        buildArch != arch
    }

    /// The id's parts.
    public var packageID: PackageID {
        PackageID(id)!  // made by `PackageIDs`, so it always parses
    }

    /// The hash part of the id, without `version_extra`.
    public var hash: String {
        packageID.hash
    }
}

/// A package that is in the tree variant but cannot be built for this architecture.
public struct Unbuildable: Sendable, Hashable {
    public var name: String
    public var variant: String?
    /// Names of the packages it requires, for graphs.
    public var requires: [String]
    public var reason: String
}

extension BuildPlan {
    /// The ids of everything `package` requires, directly or not, sorted.
    public func transitiveRequirementIDs(of index: Int) -> [String] {
        transitiveRequirements(of: index).map { packages[$0].id }.sorted()
    }

    /// The indices of everything `package` requires, directly or not, in plan order.
    public func transitiveRequirements(of index: Int) -> [Int] {
        var seen = Set<Int>()
        var pending = packages[index].requires
        while let next = pending.popLast() {
            if seen.insert(next).inserted { pending.append(contentsOf: packages[next].requires) }
        }
        return seen.sorted()
    }
}

extension BuildPlan {
    /// Everything that went into the id of `packages[index]`, transitive requirement ids
    /// included: the content of `buildinfo.full.json` and what `pkgtree why` compares.
    public func fullInputs(of index: Int) -> JSONValue {
        guard case .object(var fields) = packages[index].inputs else { return packages[index].inputs }
        fields["requires"] = .array(transitiveRequirementIDs(of: index).map(JSONValue.string))
        return .object(fields)
    }
}
