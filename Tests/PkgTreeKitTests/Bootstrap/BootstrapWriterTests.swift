import Foundation
import Testing
@testable import PkgTreeKit

/// `BootstrapWriter` and `BootstrapInstaller` on package tarballs packed here (real tar.xz,
/// read back with the system `tar`), without containers. Bootstraps are concatenated from
/// fragments made in a real cache, as `pkgtree bootstrap` makes them.
@Suite struct BootstrapWriterTests {
    let fixture: ArchiveFixture
    let cache: CacheFixture
    let writer = BootstrapWriter(installRoot: "/opt/pkgtree", options: ArchivePackTests.options)

    init() async throws {
        fixture = try ArchiveFixture()
        cache = try await CacheFixture()
    }

    /// The fragments of `packages` in the test's cache (through `index`, by default the
    /// fixture's), made where missing.
    func fragments(_ packages: [BootstrapPackage], index: CacheIndex? = nil, jobs: Int = 2) async throws -> BootstrapFragments.Prepared {
        let maker = BootstrapFragments(store: FragmentStore(index: index ?? cache.index), installRoot: "/opt/pkgtree", arch: .x86_64,
                                       options: ArchivePackTests.options, jobs: jobs)
        let digests = try packages.map { ($0.id, try FileHasher.sha256($0.artifact)) }
        return try await maker.prepare(packages, artifactSHA256: Dictionary(digests) { first, _ in first })
    }

    /// Writes the bootstrap of `packages` as `pkgtree bootstrap` does: fragments, concatenated.
    @discardableResult
    func write(_ packages: [BootstrapPackage], to output: URL, index: CacheIndex? = nil) async throws -> BootstrapFragments.Prepared {
        let prepared = try await fragments(packages, index: index)
        try writer.write(packages, fragments: prepared.fragments, cache: cache.layout, to: output)
        return prepared
    }

    /// Packs `files` (path -> content) as package `name` with pkginfo.json and buildinfo.full.json.
    func package(_ name: String, _ files: [String: String], links: [String: String] = [:], environment: [String: String] = [:],
                 sysctl: JSONValue? = nil) throws -> BootstrapPackage {
        let id = "\(name)--\(String(repeating: "a", count: 8))"
        var info: [String: JSONValue] = ["requires": .array([]), "environment": .object(environment.mapValues(JSONValue.string))]
        if let sysctl { info["sysctl"] = sysctl }
        try fixture.write("src/\(name)/pkginfo.json", CanonicalJSON.string(.object(info)))
        try fixture.write("src/\(name)/buildinfo.full.json", #"{"name":"\#(name)"}"#)
        for (path, content) in files { try fixture.write("src/\(name)/\(path)", content, mode: path.hasPrefix("bin/") ? 0o755 : 0o644) }
        for (path, target) in links {
            try fixture.mkdir("src/\(name)/" + (path as NSString).deletingLastPathComponent)
            try fixture.symlink("src/\(name)/\(path)", to: target)
        }
        let tarball = fixture.url("\(id).tar.xz")
        try ArchivePacker.pack(directory: fixture.url("src/\(name)"), to: tarball, options: ArchivePackTests.options)
        return BootstrapPackage(name: name, id: id, artifact: tarball)
    }

    func samplePackages() throws -> [BootstrapPackage] {
        [
            try package("lib", ["lib/liba.so": "elf", "lib/pkgconfig/a.pc": "pc", "include/a.h": "h"], environment: ["A_MODE": "fast"]),
            try package("tool", ["bin/tool": "#!/bin/sh\necho tool\n", "etc_master/tool.conf": "x=1", "share/doc/README": "doc"],
                        environment: ["TOOL_NAME": "two words"]),
        ]
    }

    @Test func layoutIsTheInstallRootWithActivation() async throws {
        let output = fixture.url("out.tar.xz")
        try await write(try samplePackages(), to: output)
        let listing = try await ArchiveFixture.run(["tar", "-tvJf", output.path])
        let extracted = fixture.url("x")
        try fixture.mkdir("x")
        try await ArchiveFixture.run(["tar", "-xJf", output.path, "-C", extracted.path])
        let link = { (path: String) in try FileManager.default.destinationOfSymbolicLink(atPath: extracted.appendingPathComponent(path).path) }
        #expect(try link("active/lib") == "../packages/lib--aaaaaaaa")
        #expect(try link("bin/tool") == "../packages/tool--aaaaaaaa/bin/tool")
        #expect(try link("lib/pkgconfig/a.pc") == "../../packages/lib--aaaaaaaa/lib/pkgconfig/a.pc")
        #expect(try link("etc_master/tool.conf") == "../packages/tool--aaaaaaaa/etc_master/tool.conf")
        #expect(try String(contentsOf: extracted.appendingPathComponent("bin/tool"), encoding: .utf8) == "#!/bin/sh\necho tool\n")
        #expect(!FileManager.default.fileExists(atPath: extracted.appendingPathComponent("share").path))
        for file in ["bootstrap", "active.json", "active.buildinfo.full.json", "environment", "environment.export",
                     "etc/dcos-service-configuration.json", "packages/lib--aaaaaaaa/pkginfo.json", "include", "lib"] {
            #expect(FileManager.default.fileExists(atPath: extracted.appendingPathComponent(file).path), "\(file)")
        }
        #expect(try String(contentsOf: extracted.appendingPathComponent("active.json"), encoding: .utf8)
                == #"["lib--aaaaaaaa","tool--aaaaaaaa"]"# + "\n")
        let export = try String(contentsOf: extracted.appendingPathComponent("environment.export"), encoding: .utf8)
        #expect(export.contains("export PATH=\"/opt/pkgtree/bin:$PATH\"\n"))
        #expect(export.contains("# package: lib--aaaaaaaa\nexport A_MODE=fast\n"))
        #expect(export.contains("export TOOL_NAME='two words'\n"))
        let environment = try String(contentsOf: extracted.appendingPathComponent("environment"), encoding: .utf8)
        #expect(environment.contains("LD_LIBRARY_PATH=/opt/pkgtree/lib\n") && environment.contains("TOOL_NAME=two words\n"))
        #expect(listing.contains("root/root"))
        #expect(!listing.contains(" ./"))
    }

    @Test func sameInputsGiveTheSameBytes() async throws {
        let packages = try samplePackages()
        let first = fixture.url("one.tar.xz"), second = fixture.url("two.tar.xz")
        try await write(packages, to: first)
        try await write(packages.reversed(), to: second)
        #expect(try FileHasher.sha256(first) == FileHasher.sha256(second))
    }

    @Test func twoPackagesProvidingOneFileIsAnErrorNamingBoth() async throws {
        let packages = [try package("one", ["bin/same": "1"]), try package("two", ["bin/same": "2"])]
        let problems = try await #require(throws: Problems.self) { try await write(packages, to: fixture.url("out.tar.xz")) }
        #expect(problems.description.contains("bin/same") && problems.description.contains("one--") && problems.description.contains("two--"))
    }

    @Test func environmentRulesOfPkgpandaActivation() async throws {
        let clash = [try package("one", [:], environment: ["SHARED": "1"]), try package("two", [:], environment: ["SHARED": "2"])]
        await #expect(throws: Problems.self) { try await write(clash, to: fixture.url("a.tar.xz")) }
        let path = [try package("three", [:], environment: ["PATH": "/x"])]
        let problems = try await #require(throws: Problems.self) { try await write(path, to: fixture.url("b.tar.xz")) }
        #expect(problems.description.contains("environment.PATH"))
    }

    @Test func sysctlNeedsAServiceOfThePackage() async throws {
        let settings = JSONValue.object(["dcos-mesos": .object(["vm.max_map_count": .string("262144")])])
        let good = try package("mesos", ["dcos.target.wants/dcos-mesos.service": "[Unit]"], sysctl: settings)
        let output = fixture.url("good.tar.xz")
        try await write([good], to: output)
        let reader = try ArchiveReader(output)
        var configuration: String?
        while configuration == nil, let entry = try reader.next() {
            if entry.path == ServiceConfiguration.path { configuration = String(decoding: try reader.readData(), as: UTF8.self) }
        }
        #expect(configuration == #"{"sysctl":{"dcos-mesos":{"vm.max_map_count":"262144"}}}"# + "\n")
        let bad = try package("other", [:], sysctl: settings)
        let problems = try await #require(throws: Problems.self) { try await write([bad], to: fixture.url("bad.tar.xz")) }
        #expect(problems.description.contains("sysctl.dcos-mesos"))
    }

    @Test func installChecksActivationAndRefusesANonEmptyRoot() async throws {
        let output = fixture.url("out.tar.xz")
        try await write(try samplePackages(), to: output)
        let root = fixture.url("root")
        let report = try BootstrapInstaller.install(output, root: root, expectedSHA256: try FileHasher.sha256(output))
        #expect(report.packages.map(\.name) == ["lib", "tool"])
        #expect(report.links == 5)
        #expect(try await ArchiveFixture.run([root.appendingPathComponent("bin/tool").path]) == "tool\n")
        #expect(throws: Problems.self) { try BootstrapInstaller.install(output, root: root) }
        let other = fixture.url("other")
        let mismatch = try #require(throws: Problems.self) {
            try BootstrapInstaller.install(output, root: other, expectedSHA256: String(repeating: "0", count: 64))
        }
        #expect(mismatch.description.contains("SHA-256"))
        #expect(!FileManager.default.fileExists(atPath: other.path))
    }

    @Test func installRefusesADanglingActivationLinkAndLeavesNothing() async throws {
        try fixture.write("broken/active.json", #"["gone--1"]"#)
        for file in ["bootstrap", "environment", "environment.export"] { try fixture.write("broken/\(file)", "") }
        try fixture.mkdir("broken/active")
        try fixture.symlink("broken/active/gone", to: "../packages/gone--1")
        let tarball = fixture.url("broken.tar.xz")
        try ArchivePacker.pack(directory: fixture.url("broken"), to: tarball, options: ArchivePackTests.options)
        let root = fixture.url("root")
        let problems = try #require(throws: Problems.self) { try BootstrapInstaller.install(tarball, root: root) }
        #expect(problems.description.contains("active/gone is a dangling link"))
        #expect(!FileManager.default.fileExists(atPath: root.path))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: fixture.root.path).filter { TemporaryName.id(of: $0) != nil }
        #expect(leftovers.isEmpty)
    }

    /// DC/OS packages link into the install root with absolute paths; the bootstrap writes
    /// such a link as the relative one that reaches the same place, so `install` (which
    /// refuses absolute links) accepts it and the link works wherever the root is.
    @Test func anAbsoluteLinkUnderTheInstallRootIsWrittenRelativeAndInstalls() async throws {
        let lib = try package("lib", ["lib/liba.so": "elf"])
        let tool = try package("tool", ["bin/tool": "#!/bin/sh\n"], links: ["share/liba.so": "/opt/pkgtree/active/lib/lib/liba.so"])
        let output = fixture.url("out.tar.xz")
        try await write([lib, tool], to: output)
        let listing = try await ArchiveFixture.run(["tar", "-tvJf", output.path])
        #expect(listing.contains("packages/tool--aaaaaaaa/share/liba.so -> ../../../active/lib/lib/liba.so"), "\(listing)")
        let root = fixture.url("root")
        _ = try BootstrapInstaller.install(output, root: root)
        #expect(try String(contentsOf: root.appendingPathComponent("packages/tool--aaaaaaaa/share/liba.so"), encoding: .utf8) == "elf")
    }

    /// What the bootstrap refuses while writing, naming the package and its file; and what it
    /// writes, `pkgtree install` accepts.
    @Test(arguments: [
        (["share/secret": "/etc/shadow"], "share/secret is a symbolic link to '/etc/shadow', which is outside the install root"),
        (["share/up": "../../../../etc"], "share/up is a symbolic link to '../../../../etc', which climbs out of the install root /opt/pkgtree"),
        (["share/around": "x/../../y"], "share/around is a symbolic link to 'x/../../y', which has '..' after a name"),
        (["bin/gone": "../lib/none"], "bin/gone is a dangling link once installed"),
        (["bin/missing": "/opt/pkgtree/active/nothing/bin/x"], "bin/missing is a dangling link once installed"),
        (["bin/a": "b", "bin/b": "a"], "bin/a is a loop of links once installed"),
        (["share/gone": "nothing"], nil),  // outside the activated directories: install does not look
        (["bin/tool2": "tool", "lib/up": "../bin/tool"], nil),
    ] as [([String: String], String?)])
    func neverABootstrapThatInstallRefuses(links: [String: String], refusal: String?) async throws {
        let tool = try package("tool", ["bin/tool": "#!/bin/sh\n"], links: links)
        let output = fixture.url("out.tar.xz")
        guard let refusal else {
            try await write([tool], to: output)
            _ = try BootstrapInstaller.install(output, root: fixture.url("root"))
            return
        }
        let problems = try await #require(throws: Problems.self) { try await write([tool], to: output) }
        let problem = try #require(problems.all.first)
        #expect(problem.package == "tool" && problem.file?.hasSuffix("tool--aaaaaaaa.tar.xz") == true, "\(problems)")
        #expect(problem.message.contains(refusal), "\(problems)")
        #expect(problem.message.contains("`pkgtree install` would refuse it"))
    }

    /// The check `install` makes, on the entries the bootstrap holds and on the extracted root,
    /// gives the same answer: one rule.
    @Test func theActivationCheckReadsEntriesAndDisksAlike() async throws {
        try fixture.write("root/active.json", #"["p--1"]"#)
        for file in ["bootstrap", "environment", "environment.export", "packages/p--1/bin/tool"] { try fixture.write("root/\(file)", "") }
        try fixture.mkdir("root/active")
        try fixture.mkdir("root/bin")
        try fixture.symlink("root/active/p", to: "../packages/p--1")
        try fixture.symlink("root/bin/tool", to: "../packages/p--1/bin/tool")
        try fixture.symlink("root/bin/loop", to: "loop")
        try fixture.symlink("root/bin/out", to: "../../x")
        try fixture.symlink("root/bin/abs", to: "/etc/passwd")
        var entries = EntryInstallTree()
        for (path, node) in [("active.json", InstallTreeNode.file), ("bootstrap", .file), ("environment", .file),
                             ("environment.export", .file), ("packages/p--1/bin/tool", .file),
                             ("active/p", .symlink(target: "../packages/p--1")), ("bin/tool", .symlink(target: "../packages/p--1/bin/tool")),
                             ("bin/loop", .symlink(target: "loop")), ("bin/out", .symlink(target: "../../x")),
                             ("bin/abs", .symlink(target: "/etc/passwd"))] {
            entries.add(path, node, contents: path == "active.json" ? Data(#"["p--1"]"#.utf8) : nil)
        }
        let disk = ActivationCheck.run(root: fixture.url("root")), memory = ActivationCheck.run(entries)
        #expect(disk.problems.map(\.description) == [
            "bin/abs leads outside the install root (bin/abs -> /etc/passwd)", "bin/loop is a loop of links",
            "bin/out leads outside the install root (bin/out -> ../../x)",
        ])
        #expect(memory.problems == disk.problems)
        #expect(memory.packages.map(\.id) == ["p--1"] && disk.packages.map(\.id) == ["p--1"] && memory.links == disk.links)
    }

    /// The bootstrap counts its entries and bytes against the limits `pkgtree install`
    /// extracts with (`ExtractLimits.default`; small ones here), naming the package where
    /// they run out.
    @Test func entriesCountAgainstTheLimitsInstallExtractsWith() async throws {
        let tool = try package("tool", ["bin/tool": "#!/bin/sh\n", "share/big": String(repeating: "x", count: 100)])
        let fragment = try ArchiveWriter(writingTo: fixture.url("tool.xz"), options: ArchivePackTests.options, form: .fragment)
        let copied = try PackageEntries.write(tool, installRoot: "/opt/pkgtree", into: fragment)
        for (limits, fragment) in [(ExtractLimits(maxEntries: 3, maxTotalBytes: 1 << 20, maxEntryBytes: 1 << 20), "more than 3 entries"),
                                   (ExtractLimits(maxEntries: 100, maxTotalBytes: 1 << 20, maxEntryBytes: 50), "declares 100 bytes, more than the 50 allowed per file")] {
            var check = BootstrapCheck(installRoot: "/opt/pkgtree", bootstrap: fixture.url("b.tar.xz"), limits: limits)
            let problems = try #require(throws: Problems.self) { try check.admit(copied, of: tool) }
            #expect(problems.all.first?.package == "tool" && problems.description.contains(fragment), "\(problems)")
            #expect(problems.description.contains("more than `pkgtree install` extracts"))
        }
    }
}
