/// One tree variant (`treeinfo.json`, or `<v>.treeinfo.json` for variant `<v>`): which
/// packages it holds, which go into its bootstrap, and where they install.
public struct TreeInfo: Sendable, Hashable {
    public var exclude: Set<String> = []
    /// nil (or an empty list, as in pkgpanda) means every package that is not excluded.
    public var corePackageList: [String]?
    /// nil means every package of the tree variant.
    public var bootstrapPackageList: [String]?
    /// Package name -> the variant this tree variant uses (nil: the default variant).
    public var variants: [String: String?] = [:]
    public var installRoot = TreeInfo.defaultInstallRoot
    public var defaultBuilder: BuilderSpec?
    /// Lint rules silenced for this treeinfo's findings (`default_builder`).
    public var lint = LintSettings()

    /// pkgpanda's, so that a pkgpanda tree builds unchanged: 51 of DC/OS's 81 build scripts
    /// write `/opt/mesosphere` literally. A tree of its own sets `install_root`.
    public static let defaultInstallRoot = "/opt/mesosphere"

    public init() {}

    static let fieldNames = [
        "exclude", "core_package_list", "bootstrap_package_list", "variants", "install_root", "default_builder",
        LintSettings.fieldName,
    ]

    /// The variant of `name` that this tree variant builds.
    public func variant(of name: String) -> String? {
        variants[name] ?? nil
    }
}

/// The builder image a tree or package names.
public enum BuilderSpec: Sendable, Hashable {
    /// An image reference such as `golang:1.22` or `name@sha256:…`.
    case reference(String)
    /// A Debian root filesystem made locally with mmdebstrap, identified by its recipe.
    case recipe(BuilderRecipe)
}

/// What defines a locally made builder image: a Debian suite and the packages to install.
public struct BuilderRecipe: Sendable, Hashable {
    public var suite: String
    public var packages: [String]

    public init(suite: String, packages: [String]) {
        self.suite = suite
        self.packages = packages
    }

    /// Used when a tree declares no `default_builder`, so any pkgpanda tree builds as it is.
    /// The x86_64 image also carries the aarch64 cross toolchain, for `"cross": true` packages.
    public static func builtInDefault(for arch: Architecture) -> BuilderRecipe {
        var packages = ["bash", "build-essential", "ca-certificates", "file", "git", "make", "pkg-config", "xz-utils"]
        if arch == .x86_64 {
            packages += ["gcc-aarch64-linux-gnu", "libc6-dev-arm64-cross"]
        }
        return BuilderRecipe(suite: "bookworm", packages: packages)
    }
}
