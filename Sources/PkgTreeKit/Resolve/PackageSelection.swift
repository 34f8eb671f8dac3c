import Foundation

/// One package of a tree resolved for one architecture and tree variant, with the plan of its
/// closure: what `pkgtree show` prints, and where a build environment for it starts from (its
/// index in `plan`, for the build's variables and mounts). Offline, like `plan`: ids come from
/// the same resolver, never from a second computation.
public struct PackageSelection: Sendable {
    public enum Status: Sendable {
        /// Buildable: `plan.packages[index]`.
        case planned(index: Int)
        /// Unsupported on the architecture, or requiring a package that is.
        case unbuildable(Unbuildable)
    }

    /// The plan of the package and everything it requires.
    public var plan: BuildPlan
    public var definition: PackageDefinition
    /// The effective buildinfo for `plan.arch`, after the `arch` overlay.
    public var buildInfo: BuildInfo
    public var status: Status

    /// The planned package, when it is buildable.
    public var package: PlannedPackage? {
        if case .planned(let index) = status { return plan.packages[index] }
        return nil
    }

    /// The build script that runs for this architecture, relative to the package directory.
    public var buildScript: String {
        PackageInputs.buildScript(definition, buildInfo)
    }

    public var buildScriptURL: URL {
        definition.directory.child(buildScript)
    }

    /// Whether the tree's `arch` overlay has an entry for this architecture.
    public var hasOverlay: Bool {
        definition.overlays[plan.arch] != nil
    }

    /// Resolves `name` and what it requires (`request.packages` is replaced by it).
    public static func select(_ name: String, in tree: PackageTree, _ request: TreeResolver.Request) throws(Problems) -> PackageSelection {
        var request = request
        request.packages = [name]
        let plan = try TreeResolver.plan(tree, request)
        let status: Status
        let variant: String?
        if let index = plan.packages.firstIndex(where: { $0.name == name }) {
            status = .planned(index: index)
            variant = plan.packages[index].variant
        } else if let unbuildable = (plan.unsupported + plan.skipped).first(where: { $0.name == name }) {
            status = .unbuildable(unbuildable)
            variant = unbuildable.variant
        } else {
            throw Problems([Problem(package: name, "is not part of the plan for \(request.arch)",
                                    hint: "`pkgtree plan --arch \(request.arch)` lists the packages of the tree variant")])
        }
        guard let definition = tree.definition(name, variant: variant) else {
            throw Problems([Problem(package: name, "has no variant \(TreeSelection.variantName(variant))")])
        }
        let buildInfo: BuildInfo
        if case .planned(let index) = status {
            buildInfo = plan.packages[index].buildInfo
        } else {
            buildInfo = try definition.buildInfo(for: request.arch).get()
        }
        return PackageSelection(plan: plan, definition: definition, buildInfo: buildInfo, status: status)
    }
}

/// How a package's builder runs its build on this machine.
public enum BuilderMode: String, Sendable {
    /// The builder is of this machine's architecture and builds for it.
    case native
    /// The builder is of another architecture and runs under QEMU user emulation.
    case emulated
    /// The builder is of this machine's architecture and cross-compiles (`"cross": true`).
    case cross

    public init(_ package: PlannedPackage, host: Architecture) {
        self = package.isCrossBuild ? .cross : package.buildArch == host ? .native : .emulated
    }
}
