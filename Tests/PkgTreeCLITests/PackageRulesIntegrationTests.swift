import Foundation
import Testing
import RegistryTestSupport

/// pkgpanda's package rules and the output checks, through real bwrap builds with the shared
/// builder images: what a build leaves in `$PKG_PATH` is checked before anything is stored,
/// `buildinfo.full.json` carries pkgpanda's keys, variants build with `PKG_VARIANT`, and the
/// bootstrap refuses what `pkgtree install` would. Scripts use absolute paths and `$PKG_PATH`
/// only, and the trees name their install root.
@Suite(.tags(.container), .enabled(if: BuilderImages.available, Comment(rawValue: BuilderImages.missingReason)))
struct PackageRulesIntegrationTests {
    static let treeInfo = #"{"install_root": "/opt/mesosphere"}"#

    /// A tree of `packages` (name -> (buildinfo, script)) plus `files`, and a cache beside it.
    static func tree(_ packages: [String: (buildinfo: String, script: String)],
                     files: [String: String] = [:]) throws -> (scratch: ScratchTree, cache: URL) {
        var all = files.merging(["treeinfo.json": treeInfo]) { mine, _ in mine }
        for (name, package) in packages {
            all["\(name)/buildinfo.json"] = package.buildinfo
            all["\(name)/build"] = package.script
        }
        let scratch = try ScratchTree(all)
        return (scratch, try BuilderImages.cache(in: scratch.directory))
    }

    static func build(_ tree: (scratch: ScratchTree, cache: URL), _ extra: [String] = []) async throws -> CLIRunner.Outcome {
        try await CLIRunner.run(["build", "--arch", "x86_64", "--runner", "bwrap", "--progress", "plain"] + extra
                                + ["--packages", tree.scratch.packages.path, "--cache", tree.cache.path], cache: tree.cache)
    }

    /// The one artifact of `name` in the cache.
    static func artifact(_ name: String, cache: URL) throws -> URL {
        let directory = cache.appendingPathComponent("packages/x86_64/\(name)")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        #expect(files.count == 1, "\(files)")
        return directory.appendingPathComponent(try #require(files.first))
    }

    static func member(_ path: String, of artifact: URL) async throws -> String {
        let read = try await CLIRunner.runTool("/usr/bin/tar", ["-xJOf", artifact.path, path])
        #expect(read.status == 0, "\(read.stderr)")
        return read.stdout
    }

    static let hostileScript = """
        mkdir -p "$PKG_PATH/bin" "$PKG_PATH/lib"
        cp /bin/true "$PKG_PATH/bin/su-tool"
        chmod 4755 "$PKG_PATH/bin/su-tool"
        ln -s /etc/shadow "$PKG_PATH/lib/shadow"
        ln -s ../../../../etc/passwd "$PKG_PATH/lib/up"
        ln -s /opt/mesosphere/active/app/bin/su-tool "$PKG_PATH/lib/fine"

        """

    @Test func aSetuidBinaryAndLinksOutOfTheRootFailTheBuildNamingEachFileAndStoreNothing() async throws {
        let tree = try Self.tree(["app": ("{}", Self.hostileScript)])
        let build = try await Self.build(tree)
        #expect(build.status == 1, "\(build.stdout)\n\(build.stderr)")
        let output = build.stdout + build.stderr
        #expect(build.stdout.contains("setuid check failed: bin/su-tool: has the setuid bit (mode 4755)"), "\(output)")
        #expect(build.stdout.contains("lib/shadow: is a symbolic link to '/etc/shadow', which is outside the install root /opt/mesosphere"))
        #expect(build.stdout.contains("lib/up: is a symbolic link to '../../../../etc/passwd', which climbs out of the install root"))
        #expect(!output.contains("lib/fine"), "an absolute link under the install root is fine")
        #expect(output.contains(#"hint: drop it in the build script (chmod u-s,g-s "$PKG_PATH/bin/su-tool"), or declare it"#))
        let list = try await CLIRunner.run(["cache", "ls", "--cache", tree.cache.path], cache: tree.cache)
        #expect(list.stdout.contains("the cache is empty"))
        #expect(!FileManager.default.fileExists(atPath: CLIRunner.output(cache: tree.cache).path), "no bootstrap")
    }

    @Test func aPackageDeclaringItsSetuidFileBuildsKeepsTheBitAndCarriesPkgpandasMetadata() async throws {
        let buildinfo = #"{"setuid_files": ["bin/su-tool"], "username": "dcos_app", "group": "dcos_group", "environment": {"APP_MODE": "x"}}"#
        let script = """
            mkdir -p "$PKG_PATH/bin"
            cp /bin/true "$PKG_PATH/bin/su-tool"
            chmod 4755 "$PKG_PATH/bin/su-tool"
            ls /pkg/extra/empty-dir > /dev/null

            """
        let tree = try Self.tree(["app": (buildinfo, script)], files: ["app/extra/conf": "x"])
        try FileManager.default.createDirectory(at: tree.scratch.packages.appendingPathComponent("app/extra/empty-dir"),
                                                withIntermediateDirectories: true)
        let build = try await Self.build(tree)
        #expect(build.status == 0, "\(build.stdout)\n\(build.stderr)")
        let artifact = try Self.artifact("app", cache: tree.cache)
        let listing = try await CLIRunner.runTool("/usr/bin/tar", ["-tvJf", artifact.path])
        #expect(listing.stdout.contains("-rwsr-xr-x") && listing.stdout.contains("bin/su-tool"), "\(listing.stdout)")
        let full = try #require(try JSONSerialization.jsonObject(with: Data(try await Self.member("buildinfo.full.json", of: artifact).utf8)) as? [String: Any])
        let id = artifact.deletingPathExtension().deletingPathExtension().lastPathComponent
        #expect(full["name"] as? String == "app" && full["variant"] is NSNull)
        #expect(full["package_id"] as? String == id && full["package_version"] as? String == String(id.dropFirst("app--".count)))
        #expect(full["extra_source"] as? String != nil && (full["build_ids"] as? [String: Any])?["install_root"] as? String == "/opt/mesosphere")
        let pkgInfo = try #require(try JSONSerialization.jsonObject(with: Data(try await Self.member("pkginfo.json", of: artifact).utf8)) as? [String: Any])
        #expect(pkgInfo["username"] as? String == "dcos_app" && pkgInfo["group"] as? String == "dcos_group")
        #expect((pkgInfo["environment"] as? [String: String]) == ["APP_MODE": "x"] && (pkgInfo["requires"] as? [Any])?.isEmpty == true)
    }

    /// pkgpanda's test_restricted_services.
    @Test func reservedUnitNamesFailTheBuild() async throws {
        let script = """
            mkdir -p "$PKG_PATH/dcos.target.wants_master" "$PKG_PATH/dcos.target.wants"
            echo '[Unit]' > "$PKG_PATH/dcos.target.wants_master/dcos-setup.service"
            echo '[Unit]' > "$PKG_PATH/dcos.target.wants/dcos-app.service"

            """
        let tree = try Self.tree(["app": ("{}", script)])
        let build = try await Self.build(tree)
        #expect(build.status == 1)
        #expect(build.stdout.contains("reserved unit check failed: dcos.target.wants_master/dcos-setup.service: 'dcos-setup.service' is a unit name DC/OS reserves"),
                "\(build.stdout)")
        #expect(!build.stdout.contains("dcos-app.service"))
    }

    /// pkgpanda's variant resources: one package, a default and an `installer` variant, each
    /// built with its own `PKG_VARIANT` and id.
    @Test func variantsBuildWithPKG_VARIANT() async throws {
        let script = "mkdir -p \"$PKG_PATH/share\"\necho \"$PKG_VARIANT\" > \"$PKG_PATH/share/variant\"\n"
        let tree = try Self.tree(["conf": ("{}", script)], files: [
            "conf/installer.buildinfo.json": "{}",
            "installer.treeinfo.json": #"{"install_root": "/opt/mesosphere", "variants": {"conf": "installer"}}"#,
        ])
        let plain = try await Self.build(tree)
        #expect(plain.status == 0, "\(plain.stdout)\n\(plain.stderr)")
        let installer = try await Self.build(tree, ["--variant", "installer"])
        #expect(installer.status == 0, "\(installer.stdout)\n\(installer.stderr)")
        let directory = tree.cache.appendingPathComponent("packages/x86_64/conf")
        var variants: [String] = []
        for file in try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() {
            let artifact = directory.appendingPathComponent(file)
            let variant = try await Self.member("share/variant", of: artifact)
            let full = try #require(try JSONSerialization.jsonObject(with: Data(try await Self.member("buildinfo.full.json", of: artifact).utf8)) as? [String: Any])
            #expect((full["variant"] as? String ?? "<default>") + "\n" == variant)
            variants.append(variant)
        }
        #expect(variants.sorted() == ["<default>\n", "installer\n"])
    }

    /// A link that is fine at build time (absolute, under the install root) but leads nowhere in
    /// the bootstrap: the bootstrap is not written, naming the package and the file, where
    /// before `pkgtree install` refused the bootstrap pkgtree had just made.
    @Test func theBootstrapRefusesWhatInstallWouldAndWritesWhatInstallAccepts() async throws {
        let dep = ("{}", "mkdir -p \"$PKG_PATH/lib\"\necho dep > \"$PKG_PATH/lib/libdep.txt\"\n")
        let app = (#"{"requires": ["dep"]}"#, """
            mkdir -p "$PKG_PATH/share" "$PKG_PATH/bin"
            ln -s /opt/mesosphere/active/dep/lib/libdep.txt "$PKG_PATH/share/libdep.txt"
            ln -s /opt/mesosphere/active/missing/bin/tool "$PKG_PATH/bin/tool"

            """)
        let tree = try Self.tree(["dep": dep, "app": app])
        let build = try await Self.build(tree)
        #expect(build.status == 2, "\(build.stdout)\n\(build.stderr)")
        #expect(build.stderr.contains("package 'app': cannot make the bootstrap: bin/tool is a dangling link once installed; `pkgtree install` would refuse it"),
                "\(build.stderr)")
        #expect(build.stderr.contains("the bootstrap was not made; the packages built are cached"))
        let app2 = (app.0, "mkdir -p \"$PKG_PATH/share\"\nln -s /opt/mesosphere/active/dep/lib/libdep.txt \"$PKG_PATH/share/libdep.txt\"\n")
        try Data(app2.1.utf8).write(to: tree.scratch.packages.appendingPathComponent("app/build"))
        let fixed = try await Self.build(tree)
        #expect(fixed.status == 0, "\(fixed.stdout)\n\(fixed.stderr)")
        let bootstrap = try #require(FileManager.default.enumerator(atPath: CLIRunner.output(cache: tree.cache).path)?
            .compactMap { $0 as? String }.first { $0.hasSuffix(".bootstrap.tar.xz") })
        let root = tree.scratch.directory.appendingPathComponent("root")
        let install = try await CLIRunner.run(["install", CLIRunner.output(cache: tree.cache).appendingPathComponent(bootstrap).path,
                                               "--root", root.path], cache: tree.cache)
        #expect(install.status == 0, "\(install.stderr)")
        #expect(try String(contentsOf: root.appendingPathComponent("active/app/share/libdep.txt"), encoding: .utf8) == "dep\n")
    }
}
