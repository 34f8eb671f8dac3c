import Foundation

/// Builds one package of a plan in its container: under the id's lock, prepares its
/// workspace (`BuildWorkspace`: install root, sources, mounts), runs its build script through
/// the runner, writes `pkginfo.json` and `buildinfo.full.json`, checks every ELF file against
/// the target architecture, and stores the output through the cache. The lock keeps two
/// processes from building one id at once; a failed build stores nothing and keeps its log.
/// An artifact found corrupt under the lock is discarded and built again, saying so. A
/// cancelled task (SIGINT, SIGTERM) stops the container, stores nothing, and is `interrupted`.
public struct PackageBuilder: PackageBuilding {
    public let index: CacheIndex
    public let runner: Runner
    public let cores: Int
    /// Told what takes long (making an image) before it starts.
    public let announce: @Sendable (String) -> Void
    /// What this run's workspaces are made with; its unpacked dependencies are shared by all its builds.
    let workspaceTools: BuildWorkspace.Tools

    /// `images` is where builder images are found, made or pulled.
    public init(index: CacheIndex, runner: Runner, images: BuilderImageStore, cores: Int, announce: @escaping @Sendable (String) -> Void) {
        self.index = index
        self.runner = runner
        self.cores = cores
        self.announce = announce
        workspaceTools = BuildWorkspace.Tools(layout: index.layout, runner: runner, images: images, cores: cores,
                                              unpacked: UnpackedPackages(layout: index.layout, index: index), announce: announce)
    }

    var layout: CacheLayout { index.layout }

    public func log(of package: PlannedPackage, in plan: BuildPlan) -> URL {
        layout.log(arch: plan.arch, name: package.name, id: package.id)
    }

    public func build(_ plan: BuildPlan, position: Int) async throws -> BuildOutcome {
        let package = plan.packages[position]
        let store = ArtifactStore(index: index)
        let log = log(of: package, in: plan)
        let lock: FileLock
        do {
            lock = try await store.lock(package.id)
        } catch is CancellationError {
            return .interrupted(log: log)  // while another process held the id: its log is theirs
        }
        defer { lock.unlock() }
        var repair = ""
        switch try store.lookUp(package.id) {
        case .intact(let record): return .cached(record)
        case .absent: break
        case .discarded(let path, let reason):
            repair = "repair: \(layout.url(ofRelativePath: path).path) was corrupted (\(reason)); rebuilding \(package.name)"
            announce(repair)
        }
        try FileManager.default.createDirectory(at: log.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(repair.isEmpty ? [] : Array("pkgtree: \(repair)\n".utf8)).write(to: log)
        do {
            try Task.checkCancellation()
            return try await build(plan, position, store: store, log: log)
        } catch where Task.isCancelled {
            // Whatever failed once the task was cancelled (the script, killed; a download) failed
            // because of it; the log says so rather than leaving a failure to puzzle over.
            try? append("pkgtree: interrupted; nothing was stored\n", to: log)
            return .interrupted(log: log)
        } catch where SystemError.isNoSpace(error) {
            // Unpacking a dependency, staging sources or storing the output filled the disk.
            let noSpace = CacheError.noSpace(layout.root.path)
            try? append("pkgtree: \(noSpace)\n", to: log)
            throw noSpace
        } catch let error as CacheError {
            guard case .corruptDependency = error else { throw error }
            try? append("pkgtree: \(error)\n", to: log)
            return .failed(reason: "\(error)", log: log)
        }
    }

    /// The build proper, with the id's lock held and an empty `log`: workspace, script,
    /// metadata, checks, store.
    private func build(_ plan: BuildPlan, _ position: Int, store: ArtifactStore, log: URL) async throws -> BuildOutcome {
        let package = plan.packages[position]
        // Named for the id, whose lock this process holds: another process's repair pass
        // (every command opening the cache runs one) then leaves it alone while it builds.
        let work = layout.tmp.child(TemporaryName.make(for: package.id))
        defer { ScratchRemoval.remove(work) }
        let workspace: BuildWorkspace
        switch try await BuildWorkspace.prepare(plan, position, in: work, with: workspaceTools) {
        case .ready(let ready): workspace = ready
        case .sourceUnavailable(let error): return try failure(fetching: error, package, log: log)
        }
        let command = try stage(workspace.invocation, of: package, plan: plan, log: log)
        let started = Date()
        let status = try await ToolRunner.run(command, log: log, stop: runner.stopCommand(workspace.invocation))
        try Task.checkCancellation()  // a killed script's status is not the script's failure
        guard status == 0 else {
            return .failed(reason: "the build script exited with status \(status)", log: log)
        }
        let inputs = plan.fullInputs(of: position)  // for buildinfo.full.json and the cache's row alike
        try PackageMetadata.write(into: workspace.output, plan: plan, index: position, inputs: inputs)
        let findings = try OutputCheck.findings(in: workspace.output, plan: plan, index: position)
        guard findings.isEmpty else {
            try append(OutputCheck.logLines(findings), to: log)
            return .failed(reason: OutputCheck.summary(findings), log: log)
        }
        let description = ArtifactStore.Description(plan: plan, index: position, inputs: inputs, buildDuration: Date().timeIntervalSince(started))
        let record = try await store.store(directory: workspace.output, as: description, lockHeld: true).record
        return .built(record, log: log)
    }

    /// Stages the invocation and writes the log's header (the whole command, to rerun it by
    /// hand); returns the command that runs the script.
    private func stage(_ invocation: BuildInvocation, of package: PlannedPackage, plan: BuildPlan, log: URL) throws -> ToolCommand {
        try runner.stage(invocation)
        let command = runner.runCommand(invocation)
        try append(BuildLog.header(id: package.id, arch: plan.arch, runner: runner.kind, command: command), to: log)
        return command
    }

    /// A source that cannot be fetched fails its package as a failing script does — the log
    /// keeps why, other builds go on with --keep-going — rather than ending the whole run. The
    /// reason names the buildinfo field at fault (a checksum, a URL, a hostile archive).
    private func failure(fetching error: FetchError, _ package: PlannedPackage, log: URL) throws -> BuildOutcome {
        let problem = Self.problem(fetching: error, package)
        try append("pkgtree: error: \(problem)\n", to: log)
        return .failed(reason: "cannot fetch source '\(error.source)' (\(problem.file ?? ""), field '\(problem.field ?? "")'); see the log",
                       log: log)
    }

    /// What is wrong with the source `error` names, as a problem of its buildinfo field.
    static func problem(fetching error: FetchError, _ package: PlannedPackage) -> Problem {
        error.asProblem(file: package.file, package: package.name, sourceField: package.buildInfo.field(ofSource: error.source),
                        source: package.buildInfo.sources[error.source])
    }

    private func append(_ text: String, to log: URL) throws {
        let handle = try FileHandle(forWritingTo: log)
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
    }
}
