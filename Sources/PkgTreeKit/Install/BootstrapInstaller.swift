import Foundation

/// `pkgtree install`: puts a bootstrap tarball at an install root the way a node would get
/// it (pkgpanda's `tar -xf <bootstrap> -C /opt/mesosphere`), but safely: the digest is
/// checked when one is known, extraction follows the archive layer's rules (nothing outside
/// the root, no absolute or escaping links, no devices), and the activation is checked
/// before the root appears. The root must be new or empty — pkgpanda's installer refuses a
/// non-empty install root too. Extraction goes to a hidden sibling directory that is renamed
/// into place, so a failed install leaves nothing at the root.
public enum BootstrapInstaller {
    public struct Report: Sendable {
        public var root: URL
        /// (name, id) of every activated package, by name.
        public var packages: [(name: String, id: String)]
        /// Links of the well-known directories, all checked.
        public var links: Int
        public var entries: Int
    }

    /// `expectedSHA256`: hex digest from a release's `release.json`, checked first.
    public static func install(_ tarball: URL, root: URL, expectedSHA256: String? = nil) throws -> Report {
        let shown = DisplayPath.of(tarball)
        if let expectedSHA256 {
            let actual = try FileHasher.sha256(tarball)
            guard actual == expectedSHA256 else {
                throw Problems([Problem(file: shown, "has SHA-256 \(actual), but the release says \(expectedSHA256)",
                                        hint: "the file is damaged or not the release's; copy it again")])
            }
        }
        try requireEmpty(root)
        // An empty directory at the root is replaced by the rename; one filled meanwhile is not.
        let (extracted, check) = try StagedPublish(root, what: "install root", besideOwnedBy: root.lastPathComponent).publish { staging in
            let extracted: ExtractResult
            do {
                extracted = try ArchiveExtractor.extract(tarball, into: staging)
            } catch let error as ArchiveError {
                throw Problems([Problem(file: shown, "cannot be installed: \(error)", hint: "use a bootstrap tarball made by `pkgtree bootstrap`")])
            }
            let check = ActivationCheck.run(root: staging)
            guard check.problems.isEmpty else {
                throw Problems(check.problems.map {
                    Problem(file: shown, "is not a working install root: \($0)", hint: "make the bootstrap again with `pkgtree bootstrap`")
                })
            }
            return (extracted, check)
        }
        return Report(root: root, packages: check.packages, links: check.links, entries: extracted.entryCount)
    }

    private static func requireEmpty(_ root: URL) throws {
        guard let status = FileStatus.of(root.path) else { return }
        let contents = status.kind == .directory ? (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? [] : ["?"]
        guard contents.isEmpty else {
            throw Problems([Problem(file: DisplayPath.of(root), field: "--root", "is not an empty directory",
                                    hint: "install into a new or empty directory; pkgtree install never overwrites an install root")])
        }
    }
}
