import Foundation
import Glibc
import Testing
@testable import PkgTreeKit

/// The output checks on real directories (real symlinks, a setuid file made with chmod, a FIFO
/// made with mkfifo, a device node made with mknod) and on real archives.
@Suite struct OutputCheckTests {
    let fixture: ArchiveFixture
    let tree: TreeFixture
    var output: URL { fixture.url("output") }

    init() throws {
        fixture = try ArchiveFixture()
        try fixture.mkdir("output")
        tree = try TreeFixture.tree(["app": #"{"setuid_files": ["bin/declared"]}"#],
                                    extra: ["treeinfo.json": #"{"install_root": "/opt/mesosphere"}"#])
    }

    static let isRoot = getuid() == 0

    func findings() throws -> Set<String> {
        let plan = try tree.plan()
        return Set(try OutputCheck.findings(in: output, plan: plan, index: 0).map { "\($0.check): \($0.path)" })
    }

    func chmod(_ path: String, _ mode: mode_t) throws {
        #expect(Glibc.chmod(fixture.url(path).path, mode) == 0)
        #expect(FileStatus.of(fixture.url(path).path)?.permissions == UInt32(mode), "chmod must keep the bits it sets")
    }

    /// What DC/OS packages do, and what no package should.
    func writeMixedOutput() throws {
        try fixture.write("output/bin/tool", "#!/bin/sh\n", mode: 0o755)
        try fixture.write("output/bin/declared", "#!/bin/sh\n", mode: 0o755)
        try fixture.mkdir("output/lib/sub")
        try fixture.symlink("output/lib/libdep.so", to: "/opt/mesosphere/active/dep/lib/libdep.so")  // fine
        try fixture.symlink("output/lib/tool", to: "../bin/tool")  // fine
        try fixture.symlink("output/lib/sibling", to: "../../other--1/lib/x")  // another package: fine
        try fixture.symlink("output/bin/shadow", to: "/etc/shadow")
        try fixture.symlink("output/lib/up", to: "../../../../etc/passwd")
        try fixture.symlink("output/lib/sub/around", to: "x/../../../../../y")
        try fixture.mkdir("output/dcos.target.wants")
        try fixture.write("output/dcos.target.wants/dcos-app.service", "[Unit]\n")
        try fixture.mkdir("output/var/empty")
        try chmod("output/bin/tool", 0o4755)
        try chmod("output/bin/declared", 0o2755)
        try chmod("output/var/empty", 0o2755)  // a setgid directory only shares its group: fine
    }

    @Test func eachRuleNamesTheFileAndWhatToDo() throws {
        try writeMixedOutput()
        #expect(mkfifo(fixture.url("output/run-fifo").path, 0o644) == 0)
        try fixture.mkdir("output/dcos.target.wants_master")
        try fixture.write("output/dcos.target.wants_master/dcos-setup.service", "[Unit]\n")
        #expect(try findings() == [
            "symlink: bin/shadow", "symlink: lib/up", "symlink: lib/sub/around", "setuid: bin/tool",
            "file type: run-fifo", "reserved unit: dcos.target.wants_master/dcos-setup.service",
        ])
        let all = try OutputCheck.findings(in: output, plan: try tree.plan(), index: 0)
        let shadow = try #require(all.first { $0.path == "bin/shadow" })
        #expect(shadow.message.contains("'/etc/shadow', which is outside the install root /opt/mesosphere"))
        #expect(shadow.hint?.contains("absolute one under /opt/mesosphere") == true)
        let up = try #require(all.first { $0.path == "lib/up" })
        #expect(up.message.contains("climbs out of the install root"))
        let setuid = try #require(all.first { $0.check == "setuid" })
        #expect(setuid.message.contains("setuid bit (mode 4755)"))
        #expect(setuid.hint?.contains(#""setuid_files": ["bin/tool"]"#) == true && setuid.hint?.contains("app/buildinfo.json") == true)
        #expect(all.first { $0.check == "file type" }?.message.contains("is a FIFO") == true)
        #expect(OutputCheck.summary(all).contains("symlink check failed: bin/shadow: is a symbolic link to '/etc/shadow'"))
        #expect(OutputCheck.logLines(all).contains("hint: remove it at the end of the build script"))
    }

    @Test(.enabled(if: isRoot, "mknod needs root (CAP_MKNOD); run the suite as root to check device nodes"))
    func aDeviceNodeFailsTheCheck() async throws {
        try await ArchiveFixture.run(["mknod", fixture.url("output/null").path, "c", "1", "3"])
        let all = try OutputCheck.findings(in: output, plan: try tree.plan(), index: 0)
        #expect(all.map(\.description) == ["null: is a character device; a package holds only files, directories and symbolic links"])
    }

    @Test func aCleanOutputHasNoFindingsAndADeclaredSetuidFilePasses() throws {
        try fixture.write("output/bin/declared", "#!/bin/sh\n", mode: 0o755)
        try chmod("output/bin/declared", 0o6755)
        try fixture.symlink("output/bin/link", to: "declared")
        #expect(try findings().isEmpty)
    }

    /// pkgpanda's pattern `dcos.target.wants(?:_.+)?`, matched at the start of the name.
    @Test(arguments: [("dcos.target.wants", true), ("dcos.target.wants_slave", true), ("dcos.target.wants.d", true),
                      ("dcosXtargetYwants", true), ("dcos.target", false), ("etc", false), ("my.dcos.target.wants", false)])
    func unitDirectoriesArePkgpandas(name: String, matches: Bool) {
        #expect(ForbiddenServices.isUnitDirectory(name) == matches)
    }

    @Test func aUnitNestedDeeperOrElsewhereIsNotReserved() throws {
        try fixture.mkdir("output/dcos.target.wants/sub")
        try fixture.write("output/dcos.target.wants/sub/dcos-setup.service", "")
        try fixture.write("output/etc/dcos-setup.service", "")
        #expect(try findings().isEmpty)
    }

    /// An artifact made elsewhere is held to the same rules: the packed mixed output, read back
    /// from its archive, has the same findings; a FIFO entry (which no packer here writes) too.
    @Test func anArchiveHasTheFindingsOfItsDirectory() async throws {
        try writeMixedOutput()
        let artifact = fixture.url("app.tar.xz")
        try ArchivePacker.pack(directory: output, to: artifact, options: ArchivePackTests.options)
        let plan = try tree.plan()
        let fromArchive = try OutputCheck.findings(inArchive: artifact, package: plan.packages[0], installRoot: plan.installRoot)
        #expect(fromArchive == (try OutputCheck.findings(in: output, plan: plan, index: 0)))
        #expect(fromArchive.count == 4)
        let fifo = fixture.url("fifo.tar")
        try await ArchiveFixture.python("""
            import sys, tarfile
            with tarfile.open(sys.argv[1], "w") as t:
                info = tarfile.TarInfo("run/fifo"); info.type = tarfile.FIFOTYPE; t.addfile(info)
            """, fifo.path)
        let special = try OutputCheck.findings(inArchive: fifo, package: plan.packages[0], installRoot: plan.installRoot)
        #expect(special.map(\.description) == ["run/fifo: is a FIFO; a package holds only files, directories and symbolic links"])
    }
}
