import ArgumentParser
import Foundation
import Glibc
import PkgTreeKit

struct Shell: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Open a shell in the environment a package's build would get.",
        discussion: """
            The same image, platform, mounts, fresh writable copies of the sources, install root, variables \
            and network policy as `pkgtree build` gives the build script, with the prompt \
            [pkgtree PACKAGE ARCH]. The shell starts in the build's working directory, /. With --run, the \
            build script runs first, as the build runs it, and the shell starts in the script's last working \
            directory, saying whether the script failed (with its status) or succeeded. Dependencies that are \
            not cached are built (or pulled from the remote cache) first, as `pkgtree build` would; nothing \
            the shell does reaches the cache: $PKG_PATH, the sources' copies and every change to the image \
            are discarded when it exits. Exits with the shell's exit status.
            """
    )

    @OptionGroup var tree: TreeOptions
    @OptionGroup var options: BuildOptions

    @Flag(name: .customLong("run"), help: "Run the build script first, then open the shell where it ended.")
    var runScript = false

    @Argument(help: ArgumentHelp("The package.", valueName: "package"))
    var packageName: String

    func run() async throws {
        let configuration = try RunnerConfiguration.load(packages: URL(fileURLWithPath: tree.packages))
        let remote = try options.remoteCache(packages: tree.packages)
        let selection = try await tree.planner.select(packageName, .init(arch: tree.arch, treeVariant: tree.source.variant))
        Console.warn(selection.plan.warnings.filter { $0.package == packageName })
        let position: Int
        switch selection.status {
        case .planned(let index): position = index
        case .unbuildable(let item):
            throw Problems([Problem(file: selection.definition.file, package: packageName, field: "--arch",
                                    "has no build environment for \(tree.arch): \(item.reason)",
                                    hint: "`pkgtree plan --arch \(tree.arch)` lists what the architecture builds")])
        }
        let package = selection.plan.packages[position]
        let plan = selection.plan
        let index = try await requirementsBuilt(plan, position, configuration: configuration, remote: remote)
        try Binfmt.require(package.buildArch, for: "a shell in \(packageName)'s build environment for \(plan.arch)")
        let images = BuilderImageStore(layout: index.layout, registries: configuration.registries)
        let runner = try await Runner.select(options.runner, configuration: configuration, needs: RunnerNeeds([(package, plan)]),
                                             store: images,
                                             note: { if options.verbose { Console.error($0) } }, announce: Console.error)
        let shell = BuildShell(builder: PackageBuilder(index: index, runner: runner, images: images, cores: options.cores, announce: Console.error))
        let terminal = isatty(STDIN_FILENO) == 1 ? ProcessInfo.processInfo.environment["TERM"] ?? "xterm" : nil
        let (runScript, name) = (runScript, packageName)
        let (session, signal) = try await SignalCancellation.run {
            try await UserFacingError.during("preparing \(name)'s build environment for \(plan.arch)") {
                try await shell.open(plan, index: position, runScript: runScript, terminal: terminal)
            }
        }
        defer { session.close() }
        if let signal { throw Interrupted(signal: signal) }
        Console.error("pkgtree: a shell in \(packageName)'s build environment for \(plan.arch) (runner \(runner.kind.rawValue)); nothing done in it is kept")
        let (status, hangUp) = try await SignalCancellation.run(on: [SIGTERM, SIGHUP]) {
            try await ToolRunner.runAttached(session.command, stop: session.stop)
        }
        if let hangUp { throw Interrupted(signal: hangUp) }
        if status != 0 { throw ExitCode(status) }
    }

    /// Builds what the package requires and the cache lacks, as `pkgtree build` of those
    /// packages would, and returns the cache opened for the shell.
    private func requirementsBuilt(_ plan: BuildPlan, _ position: Int, configuration: RunnerConfiguration,
                                   remote: RemoteCacheSettings?) async throws -> CacheIndex {
        let requirements = plan.packages[position].requires.map { plan.packages[$0].name }
        guard !requirements.isEmpty else { return try await Cache.open(tree.cache) }
        let planned = try await tree.plan(only: requirements)
        let outcome = try await options.session(configuration: configuration, remote: remote)
            .run([planned], index: planned.index, progress: options.makeProgress([planned]))
        if let signal = outcome.signal { throw Interrupted(signal: signal) }
        if outcome.failed {
            options.printSummary(outcome.results)
            Console.error("pkgtree: \(packageName) requires packages that failed to build; no shell was opened")
            throw ExitCode(ExitStatus.failure)
        }
        return planned.index
    }
}
