import Foundation

/// What `pkgtree install` installs: a bootstrap tarball named directly, or one architecture's
/// bootstrap of a release, with the SHA-256 release.json gives it, checked before anything is
/// written.
public struct InstallSource: Sendable {
    public var tarball: URL
    /// Set when the tarball comes from a release.
    public var expectedSHA256: String?

    /// `argument` as the command line spelled it, for messages; `arch` and `variant` choose
    /// among a release's bootstraps.
    public init(_ argument: String, arch: Architecture, variant: String?) throws {
        let url = URL(fileURLWithPath: argument)
        guard let indexFile = ReleaseList.locate(url) else {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue else {
                throw Problems([Problem(file: argument, "is neither a bootstrap tarball nor a release directory",
                                        hint: "name a <id>.bootstrap.tar.xz, or a release made by `pkgtree release create`")])
            }
            (tarball, expectedSHA256) = (url, nil)
            return
        }
        let index = try ReleaseIndex.read(indexFile)
        guard let manifest = index.manifest(arch: arch, variant: variant) else {
            let available = index.manifests.map { "\($0.arch)" + ($0.treeVariant.map { " (\($0))" } ?? "") }
            throw Problems([Problem(file: DisplayPath.of(indexFile), field: "--arch",
                                    "has no \(arch) bootstrap\(variant.map { " for variant \($0)" } ?? "")",
                                    hint: "the release holds: \(available.joined(separator: ", "))")])
        }
        tarball = indexFile.deletingLastPathComponent().appendingPathComponent(manifest.bootstrap.path)
        expectedSHA256 = manifest.bootstrap.sha256
    }
}
