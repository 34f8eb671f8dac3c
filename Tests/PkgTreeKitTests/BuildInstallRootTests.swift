import Foundation
import Testing
@testable import PkgTreeKit

/// The install root a build sees, written from real directories: the link farm, pkgpanda's
/// activation of the dependencies, and the mount point of the package's own output.
@Suite struct BuildInstallRootTests {
    let fixture: TreeFixture

    init() throws {
        fixture = try TreeFixture([
            "unpacked/lib--1/lib/libgreet.so": "elf", "unpacked/lib--1/include/greet.h": "h",
            "unpacked/lib--1/pkginfo.json": #"{"environment": {"GREET": "hi there"}, "requires": []}"#,
            "unpacked/lib--1/buildinfo.full.json": #"{ "name": "lib",  "requires": [] }"#,
            "unpacked/svc--2/dcos.target.wants/svc.service": "[Unit]", "unpacked/svc--2/share/doc/README": "doc",
            "unpacked/svc--2/pkginfo.json": #"{"sysctl": {"svc": {"vm.max_map_count": "262144"}}}"#,
        ])
    }

    func dependencies() throws -> [UnpackedPackage] {
        [try UnpackedPackage(name: "lib", id: "lib--1", content: fixture.root.appending(path: "unpacked/lib--1")),
         try UnpackedPackage(name: "svc", id: "svc--2", content: fixture.root.appending(path: "unpacked/svc--2"))]
    }

    @Test func dependenciesAreLinkedAndActivatedAsPkgpandaActivatesThem() throws {
        let root = fixture.root.appending(path: "root")
        try BuildInstallRoot.prepare(at: root, installRoot: "/opt/mesosphere", dependencies: try dependencies(), packageID: "app--3")
        let read = { (path: String) in try String(contentsOf: root.appending(path: path), encoding: .utf8) }
        let link = { (path: String) in try FileManager.default.destinationOfSymbolicLink(atPath: root.appending(path: path).path) }
        // Hard links: the farm shares the unpacked copies' inodes.
        let farmed = FileStatus.of(root.appending(path: "packages/lib--1/lib/libgreet.so").path)
        #expect(farmed?.inode == FileStatus.of(fixture.root.appending(path: "unpacked/lib--1/lib/libgreet.so").path)?.inode)
        #expect(FileStatus.isDirectory(root.appending(path: "packages/svc--2/share/doc").path))
        #expect(try link("active/lib") == "../packages/lib--1")
        #expect(try link("lib/libgreet.so") == "../packages/lib--1/lib/libgreet.so")
        #expect(try link("dcos.target.wants/svc.service") == "../packages/svc--2/dcos.target.wants/svc.service")
        #expect(try read("environment.export").contains("export GREET='hi there'\n"))
        #expect(try read("environment").contains("PATH=/opt/mesosphere/bin:/usr/bin:/bin:/sbin\n"))
        #expect(try read("active.buildinfo.full.json") == #"{"lib":{"name":"lib","requires":[]},"svc":null}"# + "\n")
        #expect(try read("etc/dcos-service-configuration.json") == #"{"sysctl":{"svc":{"vm.max_map_count":"262144"}}}"# + "\n")
        // The package's own output is mounted here; nothing else of it is.
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.appending(path: "packages/app--3").path).isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.appending(path: "packages").path).sorted()
                == ["app--3", "lib--1", "svc--2"])
    }

    @Test func theBuildsActiveBuildinfoIsTheBootstrapsCanonicalJSON() throws {
        let packages = try dependencies().map(\.activated)
        var byName: [String: JSONValue] = [:]
        for package in packages {
            byName[package.name] = try package.buildInfoFull.map { try JSONFile.parse(Data($0), displayPath: package.name) } ?? .null
        }
        #expect(Activation.buildInfoFullByName(packages) == CanonicalJSON.fileData(.object(byName)))
    }

    @Test func aDirectoryWithoutWritePermissionKeepsItsModeInTheFarm() throws {
        let locked = fixture.root.appending(path: "unpacked/lib--1/share")
        try FileManager.default.createDirectory(at: locked, withIntermediateDirectories: true)
        try Data("x".utf8).write(to: locked.appending(path: "file"))
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: locked.path)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: locked.path) }
        let root = fixture.root.appending(path: "root")
        try BuildInstallRoot.prepare(at: root, installRoot: "/opt/mesosphere", dependencies: try dependencies(), packageID: "app--3")
        #expect(FileStatus.of(root.appending(path: "packages/lib--1/share").path)?.permissions == 0o555)
        #expect(FileManager.default.fileExists(atPath: root.appending(path: "packages/lib--1/share/file").path))
        ScratchRemoval.remove(root)
        #expect(FileStatus.of(root.path) == nil)
    }
}
