import Foundation
import Testing
import RegistryTestSupport

/// A pkgpanda-style tree, written the way DC/OS's scripts are (Fixtures/PkgpandaTree), builds
/// unchanged on every runner for both architectures: Debian's upstream zlib configured and
/// made in `/pkg/src/zlib`, a git source over loopback HTTP, a `url` source, `git_local`,
/// `extra/`, `/opt/mesosphere/active/<dep>`, the activation's environment files, writes to
/// `/build` and `/usr/bin`. Its bootstrap installs and runs in the target's builder (under
/// QEMU for aarch64).
@Suite(.tags(.container), .enabled(if: BuilderImages.available, Comment(rawValue: BuilderImages.missingReason)))
struct PkgpandaTreeTests {
    static let fixtures = CLIRunner.repositoryRoot.appendingPathComponent("Tests/PkgTreeCLITests/Fixtures")
    static let packageNames = ["gzip-selftest", "gzip-service", "mini-gzip", "runtime-libs", "zlib"]

    /// Debian's zlib upstream tarball, fetched once per test process into the repository's
    /// cache (kept between runs) by `scripts/upstream-source.sh`.
    static let upstreamZlib = Task<URL, any Error> {
        let script = CLIRunner.repositoryRoot.appendingPathComponent("scripts/upstream-source.sh").path
        let directory = CLIRunner.repositoryRoot.appendingPathComponent("cache/upstream-sources").path
        let fetched = try await CLIRunner.runTool("/bin/bash", [script, "zlib", directory])
        guard fetched.status == 0 else {
            throw SourceUnavailable(detail: "scripts/upstream-source.sh zlib failed: \(fetched.stderr)")
        }
        return URL(fileURLWithPath: fetched.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    struct SourceUnavailable: Error, CustomStringConvertible {
        var detail: String
        var description: String { detail }
    }

    /// The sources the tree names, in a directory a loopback server serves: the zlib tarball,
    /// `banner.txt`, and `mini-gzip.git` (a bare repository, readable over git's dumb HTTP).
    /// Returns the commit of mini-gzip's `main`.
    static func stageSources(in directory: URL) async throws -> String {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let zlib = try await upstreamZlib.value
        try FileManager.default.copyItem(at: zlib, to: directory.appendingPathComponent(zlib.lastPathComponent))
        try FileManager.default.copyItem(at: fixtures.appendingPathComponent("PkgpandaSources/banner.txt"),
                                         to: directory.appendingPathComponent("banner.txt"))
        let work = directory.deletingLastPathComponent().appendingPathComponent("mini-gzip-work")
        try FileManager.default.copyItem(at: fixtures.appendingPathComponent("PkgpandaSources/mini-gzip"), to: work)
        let bare = directory.appendingPathComponent("mini-gzip.git").path
        let identity = ["-c", "user.name=pkgtree tests", "-c", "user.email=tests@pkgtree.invalid"]
        for arguments in [["init", "--quiet", "--initial-branch=main"], ["add", "--all"],
                          identity + ["commit", "--quiet", "-m", "mini-gzip"],
                          ["clone", "--quiet", "--bare", ".", bare], ["-C", bare, "update-server-info"]] {
            let git = try await CLIRunner.runTool("/usr/bin/git", arguments, in: work)
            guard git.status == 0 else { throw SourceUnavailable(detail: "git \(arguments): \(git.stderr)") }
        }
        return try await CLIRunner.runTool("/usr/bin/git", ["rev-parse", "HEAD"], in: work).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Copies the fixture tree to `packages`, naming the loopback server and the git commit.
    static func writeTree(to packages: URL, sources address: String, gitRef: String) throws {
        try FileManager.default.copyItem(at: fixtures.appendingPathComponent("PkgpandaTree"), to: packages)
        for name in packageNames {
            let buildinfo = packages.appendingPathComponent("\(name)/buildinfo.json")
            let text = try String(contentsOf: buildinfo, encoding: .utf8)
                .replacingOccurrences(of: "@SOURCES@", with: address)
                .replacingOccurrences(of: "@GIT_REF@", with: gitRef)
            try Data(text.utf8).write(to: buildinfo)
        }
    }

    /// The last lines of every build log under `cache`, for a failure message.
    static func logTails(_ cache: URL) -> String {
        let logs = cache.appendingPathComponent("logs")
        let paths = (FileManager.default.enumerator(atPath: logs.path)?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".log") }
        return paths.sorted().map { path in
            let text = (try? String(contentsOf: logs.appendingPathComponent(path), encoding: .utf8)) ?? ""
            return "== \(path)\n" + text.split(separator: "\n", omittingEmptySubsequences: false).suffix(25).joined(separator: "\n")
        }.joined(separator: "\n")
    }

    @Test(arguments: ["bwrap", "podman", "docker"], ["x86_64", "aarch64"])
    func buildsUnchangedInstallsAndRuns(runner: String, arch: String) async throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("pkgtree-pkgpanda-\(UUID().uuidString)")
        let served = scratch.appendingPathComponent("served")
        let gitRef = try await Self.stageSources(in: served)
        let server = try await LoopbackServer(directory: served)
        defer { server.stop() }
        let packages = scratch.appendingPathComponent("packages")
        try Self.writeTree(to: packages, sources: server.address, gitRef: gitRef)
        let cache = try BuilderImages.cache(in: scratch)

        let build = try await CLIRunner.run(["build", "--arch", arch, "--runner", runner, "-j", "2",
                                             "--packages", packages.path, "--cache", cache.path], cache: cache)
        #expect(build.status == 0, "\(build.stdout)\n\(build.stderr)\n\(Self.logTails(cache))")
        for name in Self.packageNames {
            #expect(build.stdout.contains("built    \(name)"), "\(name) was not built: \(build.stdout)")
        }
        guard build.status == 0 else { return }

        // The self-test ran its dependencies' programs while building, on the target.
        let selftest = cache.appendingPathComponent("packages/\(arch)/gzip-selftest")
        let artifact = try #require(try FileManager.default.contentsOfDirectory(atPath: selftest.path).first)
        let builtOn = try await CLIRunner.runTool("/usr/bin/tar", ["-xJOf", selftest.appendingPathComponent(artifact).path,
                                                                   "share/gzip-selftest/built-on"])
        #expect(builtOn.stdout == "\(arch)\n")

        // The bootstrap holds what pkgpanda's activation makes of these packages.
        let bootstrapDirectory = CLIRunner.output(cache: cache).appendingPathComponent("bootstrap/\(arch)")
        let bootstrapName = try #require(try FileManager.default.contentsOfDirectory(atPath: bootstrapDirectory.path)
            .first { $0.hasSuffix(".bootstrap.tar.xz") })
        let bootstrap = bootstrapDirectory.appendingPathComponent(bootstrapName)
        let listing = try await CLIRunner.runTool("/usr/bin/tar", ["-tJf", bootstrap.path])
        let entries = Set(listing.stdout.split(separator: "\n").map { String($0).trimmingSuffix("/") })
        for expected in ["active/zlib", "active/mini-gzip", "bin/mini-gzip", "bin/gzip-service", "lib/libz.so.1",
                         "lib/libgcc_s.so.1", "include/zlib.h", "etc/gzip-service-banner.txt",
                         "dcos.target.wants/dcos-gzip-service.service", "environment", "environment.export",
                         "active.buildinfo.full.json", "bootstrap"] {
            #expect(entries.contains(expected), "the bootstrap lacks \(expected)")
        }

        let root = scratch.appendingPathComponent("root")
        let install = try await CLIRunner.run(["install", bootstrap.path, "--root", root.path], cache: cache)
        #expect(install.status == 0, "\(install.stdout)\(install.stderr)")
        let run = try await BuilderContainer.run(arch: arch, root: root, at: "/opt/mesosphere", """
            . /opt/mesosphere/environment.export
            uname -m
            gzip-service < /opt/mesosphere/etc/gzip-service-banner.txt | mini-gzip -d
            mini-gzip --version
            """)
        let banner = try String(contentsOf: Self.fixtures.appendingPathComponent("PkgpandaSources/banner.txt"), encoding: .utf8)
        #expect(run.stdout == "\(arch)\n\(banner)mini-gzip with zlib 1.2.13\n", "\(run.stdout)\(run.stderr)")
    }
}

extension String {
    func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
