/// The metadata files at the top of every package pkgtree builds, as pkgpanda names them:
/// written by the build, read back by adoption, dependency unpacking and the bootstrap.
public enum PackageMetadataFile {
    /// The package's own declarations (variables, requires, sysctl): what activation reads.
    public static let pkgInfo = "pkginfo.json"
    /// Every input that went into the id.
    public static let buildInfoFull = "buildinfo.full.json"
    public static let all: Set<String> = [pkgInfo, buildInfoFull]
}
