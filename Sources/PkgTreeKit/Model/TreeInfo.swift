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
    /// A Dockerfile directory of the tree, built per platform on a recipe-made base.
    case dockerfile(BuilderDockerfile)
}
