import Foundation
import Synchronization

/// `pkgtree shell`: a person's shell in the environment a package's build would get, made by
/// the build's own preparation (`BuildWorkspace.prepare`: image, platform, mounts, a fresh
/// writable copy of the sources, the install root, variables, network policy), with a prompt
/// naming the package and the architecture. With `runScript`, the build script runs first, as
/// the build runs it, and the shell starts in its last working directory. Nothing reaches the
/// cache: no artifact, no index row, no log; `$PKG_PATH`, the sources' copies and the
/// container's layer go with the workspace when the session closes.
public struct BuildShell: Sendable {
    public var builder: PackageBuilder

    public init(builder: PackageBuilder) {
        self.builder = builder
    }

    /// A shell ready to start: `command` runs it attached to pkgtree's terminal
    /// (`ToolRunner.runAttached`), `stop` removes its container if pkgtree must go, `close`
    /// removes its workspace.
    public final class Session: Sendable {
        public let command: ToolCommand
        public let stop: ToolCommand?
        private let workspace: URL
        private let lockFile: URL
        /// Keeps other processes' cache repair away from the workspace while the shell runs.
        private let lock: Mutex<FileLock?>

        fileprivate init(command: ToolCommand, stop: ToolCommand?, workspace: URL, lockFile: URL, lock: sending FileLock) {
            self.command = command
            self.stop = stop
            self.workspace = workspace
            self.lockFile = lockFile
            self.lock = Mutex(lock)
        }

        public func close() {
            BuildShell.remove(workspace, lock: lock.withLock { lock in
                defer { lock = nil }
                return lock
            }, lockFile: lockFile)
        }
    }

    /// Prepares the shell of `plan.packages[position]`, whose dependencies must be in the
    /// cache. `terminal`: the `TERM` of the person's terminal when standard input is one (the
    /// container then gets a terminal too), nil otherwise.
    public func open(_ plan: BuildPlan, index position: Int, runScript: Bool, terminal: String?) async throws -> Session {
        let package = plan.packages[position]
        let layout = builder.layout
        // A name of its own, not the id's: a shell must not keep builds of the id waiting.
        let name = "shell-\(UUID().uuidString.lowercased())"
        let lockFile = layout.lockFile(for: name)
        let lock = try await FileLock.acquire(lockFile)
        let workspace = layout.tmp.child(TemporaryName.make(for: name))
        do {
            let prepared: BuildWorkspace
            switch try await BuildWorkspace.prepare(plan, position, in: workspace, with: builder.workspaceTools) {
            case .ready(let ready): prepared = ready
            case .sourceUnavailable(let error):
                throw Problems([PackageBuilder.problem(fetching: error, package)])
            }
            var invocation = prepared.invocation
            let files = workspace.child("shell")
            try ShellLauncher.write(into: files, package: package.name, arch: plan.arch)
            invocation.mounts.append(BuildInvocation.Mount(host: files.path, container: ShellLauncher.mountPoint, readOnly: false))
            if let terminal { invocation.environment["TERM"] = terminal }
            invocation.command = ShellLauncher.command(running: runScript ? prepared.scriptCommandWithEntrypoint : nil)
            invocation.attachment = BuildInvocation.Attachment(terminal: terminal != nil)
            try builder.runner.stage(invocation)
            return Session(command: builder.runner.runCommand(invocation), stop: builder.runner.stopCommand(invocation),
                           workspace: workspace, lockFile: lockFile, lock: lock)
        } catch {
            Self.remove(workspace, lock: lock, lockFile: lockFile)
            throw error
        }
    }

    /// The workspace first, then the lock that guarded it and its file (named for this shell
    /// alone, so nobody else waits on it).
    private static func remove(_ workspace: URL, lock: FileLock?, lockFile: URL) {
        guard let lock else { return }
        ScratchRemoval.remove(workspace)
        lock.unlock()
        try? FileManager.default.removeItem(at: lockFile)
    }
}
