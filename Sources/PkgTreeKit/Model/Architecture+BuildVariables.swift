extension Architecture {
    /// The variables every build gets that spell its architecture (docs/build.md), by name:
    /// what a script writes instead of a literal `aarch64`, `arm64` or `aarch64-linux-gnu`.
    public var buildVariables: [String: String] {
        [
            "PKG_ARCH": rawValue,
            "PKG_GOARCH": goArch,
            "PKG_DEB_ARCH": debianArch,
            "PKG_TRIPLET": gnuTriplet,
            "PKG_PLATFORM": ociPlatform,
        ]
    }

    /// The names of `buildVariables`, in the order `pkgtree port` prefers them when several
    /// spell the same text (`amd64` is both `PKG_GOARCH` and `PKG_DEB_ARCH`).
    public static let buildVariableNames = ["PKG_ARCH", "PKG_GOARCH", "PKG_DEB_ARCH", "PKG_TRIPLET", "PKG_PLATFORM"]
}
