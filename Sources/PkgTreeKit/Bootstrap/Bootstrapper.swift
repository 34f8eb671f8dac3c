import Foundation

/// Makes the bootstrap of a built plan (docs/bootstrap.md): picks the bootstrap packages, computes
/// the bootstrap id, and writes `<id>.bootstrap.tar.xz` unless it exists, then the files
/// that point at it (`<id>.active.json`, `[<variant>.]bootstrap.latest`,
/// `[<variant>.]complete.latest.json`).
///
/// The tarball is concatenated from the packages' bootstrap fragments, made once per package
/// and kept in the cache (`BootstrapFragments`), or, with `fragments` off, compressed anew as
/// one stream. It is written under a staging name and renamed into place after an fsync,
/// under a lock per id: a killed run leaves no file that passes for a bootstrap, and two runs
/// never write the same one.
public struct Bootstrapper: Sendable {
    public var index: CacheIndex
    public var output: URL
    public var options: PackOptions
    /// Fragments made at once (each with `options.threads / jobs` xz threads).
    public var jobs: Int
    /// Whether to concatenate fragments (the default) or compress the whole tree anew.
    public var fragments: Bool

    public init(index: CacheIndex, output: URL, options: PackOptions = PackOptions(),
                jobs: Int = ProcessInfo.processInfo.activeProcessorCount, fragments: Bool = true) {
        self.index = index
        self.output = output
        self.options = options
        self.jobs = max(1, jobs)
        self.fragments = fragments
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
        /// Bootstrap fragments this run made (0: every one was in the cache); nil when none
        /// were used (an existing tarball, or `fragments` off).
        public var fragmentsMade: Int?
        /// Fragments found corrupt as they were copied, which were made again: what was wrong.
        public var repairs: [String] = []
    }

    /// The form bootstrap fragments are made in with these options (by default, with this
    /// process's `SOURCE_DATE_EPOCH`), for `cache gc` to keep.
    public static func fragmentForm(_ options: PackOptions = PackOptions()) -> String {
        FragmentForm.key(options)
    }

    /// Makes the bootstrap of `plan`. With `publishing` false, `bootstrap.latest` and
    /// `complete.latest.json` are left as they are, for `publish` to move once what they will
    /// point at is complete (a release, signed).
    public func make(_ plan: BuildPlan, publishing: Bool = true) async throws -> Result {
        guard !plan.bootstrapPackages.isEmpty else {
            throw Problems([Problem(field: "--arch", "no package of the tree variant builds for \(plan.arch), so there is nothing to bootstrap",
                                    hint: "check the packages' 'architectures'")])
        }
        // The artifacts stay until the tarball is written, whatever a gc does meanwhile (a
        // build's session holds them already; `pkgtree bootstrap` alone needs this).
        let roots = try await RunRoots.register(plan.packages.map(\.id), index.layout)
        defer { withExtendedLifetime(roots) {} }
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
        // Awaited, not blocking: another pkgtree may be packing this bootstrap for minutes.
        let lock = try await FileLock.acquire(directory.lockFile(id))
        defer { lock.unlock() }
        // Staging files of this id are leftovers of a killed run, the lock being ours: of the
        // tarball, or of a pointer written after it (so also when the tarball is reused).
        StagedPublish.removeLeftovers(in: directory.root) { directory.isStaging($0, of: id) }
        let tarball = directory.tarball(id)
        let reused = FileStatus.of(tarball.path) != nil
        var fragmentsMade: Int?
        var repairs: [String] = []
        if !reused {
            let writer = BootstrapWriter(installRoot: plan.installRoot, options: options)
            if fragments {
                fragmentsMade = try await concatenate(packages, writer: writer, arch: plan.arch, to: tarball, id: id, repairs: &repairs)
            } else {
                try place(tarball, id: id) { try writer.writeSingleStream(packages, to: $0) }
            }
        }
        let ids = packages.map(\.id).sorted()
        try BootstrapPointers.writeActiveList(id: id, bootstrapPackageIDs: ids, into: directory.root)
        if publishing { try BootstrapPointers.writeLatest(id: id, plan: plan, into: directory.root) }
        return Result(id: id, tarball: tarball, activeList: directory.activeList(id), packageIDs: ids,
                      reused: reused, size: FileStatus.of(tarball.path)?.size ?? 0, fragmentsMade: fragmentsMade,
                      repairs: repairs)
    }

    /// Makes the fragments that are missing, then the tarball from all of them. A fragment
    /// found corrupt as it is copied is discarded, made again, and the tarball written again.
    private func concatenate(_ packages: [BootstrapPackage], writer: BootstrapWriter, arch: Architecture, to tarball: URL,
                             id: String, repairs: inout [String]) async throws -> Int {
        let fragmentStore = FragmentStore(index: index)
        let maker = BootstrapFragments(store: fragmentStore, installRoot: writer.installRoot, arch: arch, options: options, jobs: jobs)
        let artifactSHA256 = Dictionary(try index.artifactRows(ids: packages.map(\.id)).map { ($0.id, $0.sha256) }) { first, _ in first }
        var made = 0
        for attempt in 1...3 {
            // Fragments go into the cache, not the output: a failure there is said as the cache's.
            let prepared = try await UserFacingError.during("making bootstrap fragments", at: index.layout.root,
                                                      alternative: CacheLayout.alternative) {
                try await maker.prepare(packages, artifactSHA256: artifactSHA256)
            }
            made += prepared.made
            do {
                try place(tarball, id: id) {
                    try writer.write(packages, fragments: prepared.fragments, cache: index.layout, to: $0)
                }
                return made
            } catch let mismatch as FragmentCopy.Mismatch where attempt < 3 {
                try await fragmentStore.discard(mismatch.record)
                repairs.append(mismatch.description)
            }
        }
        preconditionFailure("the last attempt returns or throws")
    }

    /// Writes the tarball with `write` under a staging name beside it, then publishes it.
    private func place(_ tarball: URL, id: String, write: (URL) throws -> Void) throws {
        try StagedPublish(tarball, what: "bootstrap", besideOwnedBy: id).publish(write)
    }

    /// Moves `[<variant>.]bootstrap.latest` and `[<variant>.]complete.latest.json` to `result`.
    public func publish(_ result: Result, plan: BuildPlan) throws {
        try BootstrapPointers.writeLatest(id: result.id, plan: plan, into: BootstrapDirectory(output: output, arch: plan.arch).root)
    }
}
