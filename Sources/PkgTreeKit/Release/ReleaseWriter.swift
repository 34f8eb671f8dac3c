import Foundation

/// Writes a release: `<output>/<release-id>/` with each architecture's bootstrap files under
/// `<arch>/` (the tarball, `<id>.active.json`, `<id>.spdx.json`, `[<variant>.]bootstrap.latest`,
/// `[<variant>.]complete.latest.json`), `release.json`, `SHA256SUMS` (for `sha256sum -c`) and,
/// with a signing key, `SHA256SUMS.sig`.
///
/// The directory is assembled under a hidden name and renamed into place, so a release that
/// exists is complete and signed; the same bootstraps give the same release id, which is not
/// written twice: two runs making one release take turns on `.<release-id>.lock`, and the
/// one holding it removes what a killed run staged for that id. Tarballs are hard-linked from
/// `<output>/bootstrap/` when they share a file system. The pointers of `<output>/bootstrap/` move only after this (`Bootstrapper.publish`).
public struct ReleaseWriter: Sendable {
    public var output: URL

    public init(output: URL) {
        self.output = output.standardizedFileURL
    }

    /// One bootstrap of the release and the plan it was made from.
    public struct Input: Sendable {
        public var plan: BuildPlan
        public var bootstrap: Bootstrapper.Result
        /// SHA-256 (hex) of each package's `.tar.xz`, by id, for the SBOM.
        public var artifactDigests: [String: String]

        public init(plan: BuildPlan, bootstrap: Bootstrapper.Result, artifactDigests: [String: String]) {
            self.plan = plan
            self.bootstrap = bootstrap
            self.artifactDigests = artifactDigests
        }
    }

    public struct Result: Sendable {
        public var index: ReleaseIndex
        public var directory: URL
        public var reused: Bool
        /// Whether `SHA256SUMS.sig` exists, and whether this run wrote it.
        public var signed: Bool
        public var signedNow: Bool
    }

    public static let indexName = "release.json"
    public static let checksumsName = "SHA256SUMS"

    /// Writes the release of `inputs`, signed by `signingKey` when given. An existing release
    /// of the same bootstraps is kept; it is signed now if it was not.
    public func write(_ inputs: [Input], signingKey: SigningKey? = nil) async throws -> Result {
        let described = try inputs.map(describe)
        let sboms = described.map(\.sbom)
        let index = try ReleaseIndex(manifests: described.map(\.manifest))
        let directory = output.child(index.releaseID)
        // Awaited, not blocking: another pkgtree may be writing (hashing, signing) this release.
        let lock = try await FileLock.acquire(lockFile(index.releaseID))
        defer { lock.unlock() }
        StagedPublish.removeLeftovers(in: output) { TemporaryName.id(of: $0) == index.releaseID }
        if FileStatus.of(directory.child(Self.indexName).path) != nil {
            let unsigned = FileStatus.of(directory.child(ReleaseSignature.fileName).path) == nil
            if unsigned, let signingKey { try ReleaseSignature.sign(directory, with: signingKey) }
            return Result(index: index, directory: directory, reused: true,
                          signed: !unsigned || signingKey != nil, signedNow: unsigned && signingKey != nil)
        }
        try StagedPublish(directory, what: "release", besideOwnedBy: index.releaseID).publish { staging in
            for (input, sbom) in zip(inputs, sboms) {
                let arch = staging.child(input.plan.arch.rawValue)
                try FileManager.default.createDirectory(at: arch, withIntermediateDirectories: true)
                try linkOrCopy(input.bootstrap.tarball, to: arch.child(input.bootstrap.tarball.lastPathComponent))
                try sbom.write(to: arch.child(ReleaseSBOM.fileName(bootstrapID: input.bootstrap.id)))
                try BootstrapPointers.write(id: input.bootstrap.id, bootstrapPackageIDs: input.bootstrap.packageIDs,
                                            plan: input.plan, into: arch)
            }
            try index.encoded().write(to: staging.child(Self.indexName))
            let known = Dictionary(index.manifests.flatMap { [$0.bootstrap, $0.activeList] }.compactMap { file in
                file.sha256.map { (file.path, $0) }
            }, uniquingKeysWith: { first, _ in first })
            try Data(try checksums(of: staging, known: known).utf8).write(to: staging.child(Self.checksumsName))
            if let signingKey { try ReleaseSignature.sign(staging, with: signingKey) }
            if FileStatus.of(directory.path) != nil { try FileManager.default.removeItem(at: directory) }  // an unfinished one
        }
        return Result(index: index, directory: directory, reused: false, signed: signingKey != nil, signedNow: signingKey != nil)
    }

    /// Held while the release `releaseID` is written; beside it, hidden from `ReleaseList`.
    func lockFile(_ releaseID: String) -> URL { output.child(".\(releaseID).lock") }

    /// The manifest of `input` and its SBOM, which names the tarball's digest: each tarball is
    /// hashed once, since it can be gigabytes.
    private func describe(_ input: Input) throws -> (manifest: ReleaseManifest, sbom: Data) {
        let arch = input.plan.arch.rawValue, id = input.bootstrap.id
        let tarball = try file(input.bootstrap.tarball, as: "\(arch)/\(input.bootstrap.tarball.lastPathComponent)")
        // The SBOM's time is the one stamped on the bootstrap's entries (its SOURCE_DATE_EPOCH),
        // so the SBOM depends on the bootstrap alone, not on this run's environment.
        let stamped = try ArchiveReader(input.bootstrap.tarball).next()?.modificationTime ?? SourceDate.epoch
        let sbom = try ReleaseSBOM.document(plan: input.plan, bootstrapID: id, packageIDs: input.bootstrap.packageIDs,
                                           bootstrapDigest: tarball.sha256 ?? "", artifactDigests: input.artifactDigests,
                                           created: stamped).encoded()
        let manifest = ReleaseManifest(
            arch: input.plan.arch, treeVariant: input.plan.treeVariant, installRoot: input.plan.installRoot, bootstrapID: id,
            bootstrap: tarball,
            activeList: try file(input.bootstrap.activeList, as: "\(arch)/\(input.bootstrap.activeList.lastPathComponent)"),
            sbom: ReleaseManifest.File(path: "\(arch)/\(ReleaseSBOM.fileName(bootstrapID: id))",
                                       digest: "sha256:" + FileHasher.sha256(sbom), size: Int64(sbom.count)),
            packages: input.bootstrap.packageIDs)
        return (manifest, sbom)
    }

    private func file(_ url: URL, as path: String) throws -> ReleaseManifest.File {
        ReleaseManifest.File(path: path, digest: "sha256:" + (try FileHasher.sha256(url)), size: FileStatus.of(url.path)?.size ?? 0)
    }

    /// `sha256sum` lines for every file of the release but this one, sorted by path; the
    /// tarballs were hashed for `release.json` already (`known`), and can be gigabytes.
    private func checksums(of directory: URL, known: [String: String]) throws -> String {
        guard let walker = FileManager.default.enumerator(atPath: directory.path) else { return "" }
        var lines: [String] = []
        for case let path as String in walker where FileStatus.of(directory.child(path).path)?.kind == .regular {
            lines.append("\(try known[path] ?? FileHasher.sha256(directory.child(path)))  \(path)")
        }
        return lines.sorted { $0.dropFirst(66) < $1.dropFirst(66) }.map { $0 + "\n" }.joined()
    }

    private func linkOrCopy(_ source: URL, to destination: URL) throws {
        if link(source.path, destination.path) != 0 {
            try FileManager.default.copyItem(at: source, to: destination)
        }
    }
}
