/// The checks `pkgtree lint` makes. The raw value is the id printed with each finding and
/// named in suppressions (`# pkgtree-lint: ignore[arch-name]`, `"pkgtree_lint": {"ignore": […]}`).
/// The ids are part of the buildinfo and treeinfo formats, which `LintSettings` reads, so they
/// live in Model; the checks themselves are in Lint.
public enum LintRule: String, CaseIterable, Sendable, Hashable, Comparable {
    /// A word naming another architecture: `amd64`, `x86_64`, `arm64`, `linux-x64`, `i686`…
    case archName = "arch-name"
    /// Another architecture's GNU triplet: `x86_64-linux-gnu`, `/usr/lib/aarch64-linux-gnu`.
    case archTriplet = "arch-triplet"
    /// A compiler flag only another architecture's compiler takes: `-msse4.2`, `-mcpu=neoverse-n1`.
    case archFlag = "arch-flag"
    /// Another architecture's dynamic loader: `/lib64/ld-linux-x86-64.so.2`.
    case archLoader = "arch-loader"
    /// A download (`sources` url) naming another architecture.
    case downloadArch = "download-arch"
    /// A download whose checksum is the same as another architecture's although its URL differs.
    case downloadChecksum = "download-checksum"
    /// A source or builder image that other architectures override in their `arch` overlay, but
    /// this one does not.
    case overlayMissing = "overlay-missing"
    /// A builder image (`docker`, `default_builder`, a Dockerfile's `FROM`) made for another architecture.
    case builderImage = "builder-image"
    /// `FROM --platform=linux/amd64`: a Dockerfile pinned to another platform.
    case fromPlatform = "from-platform"
    /// A `.dockerignore` that leaves the target's files out of the build context but keeps another's.
    case dockerignoreArch = "dockerignore-arch"
    /// A suppression comment naming no rule: it would silence nothing, so it is reported.
    case unknownRule = "unknown-rule"

    public var id: String { rawValue }

    /// What the rule looks for, as `pkgtree lint --help` lists it.
    public var summary: String {
        switch self {
        case .archName: "a word naming another architecture"
        case .archTriplet: "another architecture's GNU triplet"
        case .archFlag: "a compiler flag of another architecture"
        case .archLoader: "another architecture's dynamic loader path"
        case .downloadArch: "a download naming another architecture"
        case .downloadChecksum: "a download with another architecture's checksum"
        case .overlayMissing: "a value other architectures override but this one does not"
        case .builderImage: "a builder image made for another architecture"
        case .fromPlatform: "a FROM pinned to another platform"
        case .dockerignoreArch: "a .dockerignore that drops this architecture's files"
        case .unknownRule: "a suppression naming no rule"
        }
    }

    /// Ids a suppression may name: every rule, and `all`.
    public static let suppressibleIDs: [String] = allCases.filter { $0 != .unknownRule }.map(\.rawValue) + ["all"]

    public static func < (lhs: LintRule, rhs: LintRule) -> Bool {
        lhs.rawValue < rhs.rawValue
    }
}
