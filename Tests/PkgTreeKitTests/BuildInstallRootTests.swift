import Foundation
import Testing
@testable import PkgTreeKit
import MountPlan

/// The install root a build sees, from real directories: as the engines' host directory (the
/// link farm, pkgpanda's activation of the dependencies, the mount point of the package's own
/// output) and as bwrap's mount plan of the same tree.
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

    /// The install root of package `app--3` requiring both.
    func installRoot() throws -> BuildInvocation.InstallRoot {
        let dependencies = try dependencies()
        return BuildInvocation.InstallRoot(
            path: "/opt/mesosphere", entries: try Activation.entries(dependencies.map(\.activated), installRoot: "/opt/mesosphere"),
            dependencies: dependencies.map { .init(id: $0.id, content: $0.content, files: $0.entries) }, outputID: "app--3")
    }

    @Test func dependenciesAreLinkedAndActivatedAsPkgpandaActivatesThem() throws {
        let root = fixture.root.appending(path: "root")
        try BuildInstallRoot.materialize(try installRoot(), at: root)
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
        try BuildInstallRoot.materialize(try installRoot(), at: root)
        #expect(FileStatus.of(root.appending(path: "packages/lib--1/share").path)?.permissions == 0o555)
        #expect(FileManager.default.fileExists(atPath: root.appending(path: "packages/lib--1/share/file").path))
        ScratchRemoval.remove(root)
        #expect(FileStatus.of(root.path) == nil)
    }

    @Test func bwrapAssemblesTheSameTreeWithAMountPerDependencyAndNothingOnDisk() throws {
        var invocation = RunnerCommandTests.invocation
        invocation.installRoot = try installRoot()
        let steps = BwrapRunner(tool: .init(), rootless: false, mountHelper: "/bin/pkgtree-mount").mountPlan(invocation).steps
        let root = "/cache/tmp/hello/layer/root/opt/mesosphere"
        let mounts = steps.compactMap { step -> String? in
            guard case .mount(let source, let target, let type, let flags, _) = step else { return nil }
            return "\(type.isEmpty ? "bind" : type) \(source) \(target) \(flags.map(\.rawValue).joined(separator: ","))"
        }
        #expect(mounts == [
            "overlay overlay /cache/tmp/hello/layer/root ",
            "tmpfs tmpfs \(root) nosuid,nodev",
            "bind \(fixture.root.appending(path: "unpacked").path) /cache/tmp/hello/layer/dependencies/0 bind",
            "bind none /cache/tmp/hello/layer/dependencies/0 bind,remount,ro,nosuid,nodev",
            "bind /cache/tmp/hello/layer/dependencies/0/lib--1 \(root)/packages/lib--1 bind",
            "bind /cache/tmp/hello/layer/dependencies/0/svc--2 \(root)/packages/svc--2 bind",
            "bind none \(root) remount,ro,nosuid,nodev",
        ])
        // Activation's entries are the engines' ones, written on the tmpfs.
        #expect(steps.contains(.symlink("\(root)/active/lib", target: "../packages/lib--1")))
        #expect(steps.contains(.directory("\(root)/packages/app--3")))
        #expect(steps.contains { if case .file("\(root)/environment", _) = $0 { true } else { false } })
        #expect(try MountPlan(decoding: MountPlan(steps).encoded()).steps == steps)
    }
}
