import Foundation

/// Makes the bootstrap of a built plan (DESIGN §6): picks the bootstrap packages, computes
/// the bootstrap id, and writes `<id>.bootstrap.tar.xz` unless it exists, then the files
/// that point at it (`<id>.active.json`, `[<variant>.]bootstrap.latest`,
/// `[<variant>.]complete.latest.json`).
///
/// The tarball is written under a staging name and renamed into place after an fsync, under
/// a lock per id: a killed run leaves no file that passes for a bootstrap, and two runs
/// never write the same one.
public struct Bootstrapper: Sendable {
    public var index: CacheIndex
    public var output: URL
    public var options: PackOptions

    public init(index: CacheIndex, output: URL, options: PackOptions = PackOptions()) {
        self.index = index
        self.output = output
        self.options = options
    }

    public struct Result: Sendable {
        public var id: String
        public var tarball: URL
        public var activeList: URL
        /// Ids of the packages in the tarball, sorted.
        public var packageIDs: [String]
        /// Whether the tarball already existed.
        public var reused: Bool
        public var size: Int64
    }

    /// Makes the bootstrap of `plan`. With `publishing` false, `bootstrap.latest` and
    /// `complete.latest.json` are left as they are, for `publish` to move once what they will
    /// point at is complete (a release, signed).
    public func make(_ plan: BuildPlan, publishing: Bool = true) throws -> Result {
        guard !plan.bootstrapPackages.isEmpty else {
            throw Problems([Problem(field: "--arch", "no package of the tree variant builds for \(plan.arch), so there is nothing to bootstrap",
                                    hint: "check the packages' 'architectures'")])
        }
        let files = try ArtifactStore(index: index).intactFiles(among: plan.packages.map(\.id))
        let notBuilt = plan.packages.filter { files[$0.id] == nil }
        guard notBuilt.isEmpty else {
            throw BootstrapError.notBuilt(names: notBuilt.map(\.name), arch: plan.arch, variant: plan.treeVariant)
        }
        let names = Set(plan.bootstrapPackages)
        let packages = plan.packages.filter { names.contains($0.name) }.map {
            BootstrapPackage(name: $0.name, id: $0.id, artifact: files[$0.id]!)
        }
        let id = BootstrapID.of(packageIDs: packages.map(\.id), arch: plan.arch)
        let directory = BootstrapDirectory(output: output, arch: plan.arch)
        try FileManager.default.createDirectory(at: directory.root, withIntermediateDirectories: true)
        let lock = try FileLock.acquire(directory.lockFile(id))
        defer { lock.unlock() }
        let tarball = directory.tarball(id)
        let reused = FileStatus.of(tarball.path) != nil
        if !reused {
            try write(packages, to: tarball, in: directory, id: id, installRoot: plan.installRoot)
        }
        let ids = packages.map(\.id).sorted()
        try BootstrapPointers.writeActiveList(id: id, bootstrapPackageIDs: ids, into: directory.root)
        if publishing { try BootstrapPointers.writeLatest(id: id, plan: plan, into: directory.root) }
        return Result(id: id, tarball: tarball, activeList: directory.activeList(id), packageIDs: ids,
                      reused: reused, size: FileStatus.of(tarball.path)?.size ?? 0)
    }

    private func write(_ packages: [BootstrapPackage], to tarball: URL, in directory: BootstrapDirectory,
                       id: String, installRoot: String) throws {
        // Staging files of this id are leftovers of a killed run: the lock is ours.
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory.root.path)) ?? []
        where directory.isStaging(name, of: id) {
            try? FileManager.default.removeItem(at: directory.root.child(name))
        }
        let staging = directory.stagingFile(id)
        defer { try? FileManager.default.removeItem(at: staging) }
        try BootstrapWriter(installRoot: installRoot, options: options).write(packages, to: staging)
        guard rename(staging.path, tarball.path) == 0 else {
            throw UserFacingError("moving the bootstrap into place", path: tarball, code: errno)
        }
        try Durability.syncDirectory(directory.root)
    }

    /// Moves `[<variant>.]bootstrap.latest` and `[<variant>.]complete.latest.json` to `result`.
    public func publish(_ result: Result, plan: BuildPlan) throws {
        try BootstrapPointers.writeLatest(id: result.id, plan: plan, into: BootstrapDirectory(output: output, arch: plan.arch).root)
    }
}
