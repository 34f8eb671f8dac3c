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
            "unpacked/lib--1/packages/lib--1/lib/libgreet.so": "elf", "unpacked/lib--1/packages/lib--1/include/greet.h": "h",
            "unpacked/lib--1/packages/lib--1/pkginfo.json": #"{"environment": {"GREET": "hi there"}, "requires": []}"#,
            "unpacked/lib--1/packages/lib--1/buildinfo.full.json": #"{"name":"lib","requires":[]}"# + "\n",
            "unpacked/svc--2/packages/svc--2/dcos.target.wants/svc.service": "[Unit]", "unpacked/svc--2/packages/svc--2/share/doc/README": "doc",
            "unpacked/svc--2/packages/svc--2/pkginfo.json": #"{"sysctl": {"svc": {"vm.max_map_count": "262144"}}}"#,
        ])
    }

    func dependencies() throws -> [UnpackedPackage] {
        [try UnpackedPackage(name: "lib", id: "lib--1", content: fixture.root.appending(path: "unpacked/lib--1/packages/lib--1")),
         try UnpackedPackage(name: "svc", id: "svc--2", content: fixture.root.appending(path: "unpacked/svc--2/packages/svc--2"))]
    }

    /// The install root of package `app--3` requiring both.
    func installRoot() throws -> BuildInvocation.InstallRoot {
        let dependencies = try dependencies()
        return BuildInvocation.InstallRoot(
            path: "/opt/mesosphere", entries: try Activation.entries(dependencies.map(\.activated), installRoot: "/opt/mesosphere"),
            dependencies: dependencies.map(\.dependency), outputID: "app--3")
    }

    @Test func dependenciesAreLinkedAndActivatedAsPkgpandaActivatesThem() throws {
        let root = fixture.root.appending(path: "root")
        try BuildInstallRoot.materialize(try installRoot(), at: root)
        let read = { (path: String) in try String(contentsOf: root.appending(path: path), encoding: .utf8) }
        let link = { (path: String) in try FileManager.default.destinationOfSymbolicLink(atPath: root.appending(path: path).path) }
        // Hard links: the farm shares the unpacked copies' inodes.
        let farmed = FileStatus.of(root.appending(path: "packages/lib--1/lib/libgreet.so").path)
        #expect(farmed?.inode == FileStatus.of(fixture.root.appending(path: "unpacked/lib--1/packages/lib--1/lib/libgreet.so").path)?.inode)
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
        #expect(Activation.buildInfoFullByName(packages).data == CanonicalJSON.fileData(.object(byName)))
    }

    @Test func aDirectoryWithoutWritePermissionKeepsItsModeInTheFarm() throws {
        let locked = fixture.root.appending(path: "unpacked/lib--1/packages/lib--1/share")
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

    @Test func bwrapStacksTheDependenciesAsOverlayLayersUnderActivationsEntries() throws {
        var invocation = RunnerCommandTests.invocation
        invocation.installRoot = try installRoot()
        let steps = BwrapRunner(tool: .init(), rootless: false, mountHelper: "/bin/pkgtree-mount").mountPlan(invocation).plan.steps
        let layer = "/cache/tmp/hello/layer"
        let mounts = steps.compactMap { step -> String? in
            guard case .mount(let source, let target, let type, let flags, let data) = step else { return nil }
            return "\(type.isEmpty ? "bind" : type) \(source) \(target) \(flags.map(\.rawValue).joined(separator: ",")) \(data)"
        }
        #expect(Array(mounts.dropFirst()) == [
            "tmpfs tmpfs \(layer)/scratch nosuid,nodev mode=0755",
            "overlay overlay \(layer)/scratch/groups/1 nosuid,nodev lowerdir=lib--1:svc--2",
            "bind none \(layer)/scratch remount,ro,nosuid,nodev ",
            "overlay overlay \(layer)/root/opt/mesosphere nosuid,nodev lowerdir=skeleton:groups/1",
        ])
        // Once stacked, the layers' own mounts go: the overlay keeps its layers.
        #expect(steps.last == .detach("\(layer)/scratch") && steps.filter { if case .detach = $0 { true } else { false } }.count == 1,
                "one lazy detach of the tmpfs takes the groups mounted on it")
        // The dependencies' layers are named relative to their directory, the groups to the layer.
        #expect(steps.contains(.changeDirectory(fixture.root.appending(path: "unpacked").path)))
        #expect(steps.contains(.changeDirectory("\(layer)/scratch")))
        // Activation's entries are the engines' ones, written on the tmpfs.
        #expect(steps.contains(.symlink("\(layer)/scratch/skeleton/active/lib", target: "../packages/lib--1")))
        #expect(steps.contains(.directory("\(layer)/scratch/skeleton/packages/app--3")))
        #expect(steps.contains { if case .file("\(layer)/scratch/skeleton/environment", _) = $0 { true } else { false } })
        #expect(try MountPlan(decoding: MountPlan(steps).encoded()).steps == steps)
    }

    @Test func linksTheDependenciesLayersHoldAreNotMadeAgainUnlessTwoLayersHoldThem() throws {
        for id in ["lib--1", "svc--2"] {
            let active = fixture.root.appending(path: "unpacked/\(id)/active")
            try FileManager.default.createDirectory(at: active, withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: active.appending(path: String(id.prefix(3))).path,
                                                       withDestinationPath: "../packages/\(id)")
        }
        var invocation = RunnerCommandTests.invocation
        invocation.installRoot = try installRoot()
        #expect(invocation.installRoot.dependencies.map(\.activeLink) == ["active/lib", "active/svc"])
        let runner = BwrapRunner(tool: .init(), rootless: false, mountHelper: "/bin/pkgtree-mount")
        let skeleton = "/cache/tmp/hello/layer/scratch/skeleton"
        var steps = runner.mountPlan(invocation).plan.steps
        #expect(!steps.contains { if case .symlink(let path, _) = $0 { path.hasPrefix("\(skeleton)/active/") } else { false } })
        #expect(steps.contains(.directory("\(skeleton)/active")), "the layers' active/ directories merge under the skeleton's")
        #expect(steps.contains(.symlink("\(skeleton)/dcos.target.wants/svc.service", target: "../packages/svc--2/dcos.target.wants/svc.service")))

        // Two layers holding one path (variants of one package): the install root's own layer decides.
        invocation.installRoot.dependencies[1].activeLink = "active/lib"
        steps = runner.mountPlan(invocation).plan.steps
        #expect(steps.contains(.symlink("\(skeleton)/active/lib", target: "../packages/lib--1")))
        #expect(steps.contains(.symlink("\(skeleton)/active/svc", target: "../packages/svc--2")))
    }

    @Test func aLargeActivationFileIsBoundFromTheLayerNotCopiedThroughThePlan() throws {
        var invocation = RunnerCommandTests.invocation
        invocation.installRoot = try installRoot()
        let large = Data(repeating: UInt8(ascii: "x"), count: BwrapRunner.largeFile + 1)
        invocation.installRoot.entries.append(.file("active.buildinfo.full.json", .init(large)))
        let (plan, files) = BwrapRunner(tool: .init(), rootless: false, mountHelper: "/bin/pkgtree-mount").mountPlan(invocation)
        let layer = "/cache/tmp/hello/layer"
        #expect(files.map(\.path) == ["\(layer)/files/0"] && files.first?.contents.data == large)
        #expect(plan.steps.contains(.file("\(layer)/scratch/skeleton/active.buildinfo.full.json", contents: [])))
        #expect(plan.steps.suffix(2) == [
            .mount(source: "\(layer)/files/0", target: "\(layer)/root/opt/mesosphere/active.buildinfo.full.json", type: "", flags: [.bind], data: ""),
            .mount(source: "none", target: "\(layer)/root/opt/mesosphere/active.buildinfo.full.json", type: "",
                   flags: [.bind, .remount, .ro, .nosuid, .nodev], data: ""),
        ])
        #expect(plan.encoded().count < 10_000)
    }

    @Test func layersAreGroupedSoThatEachMountsOptionsFitAPage() {
        let names = (0..<1000).map { "pkg\(String(format: "%05d", $0))--" + String(repeating: "a", count: 40) }
        let groups = BwrapRunner.groups(names)
        #expect(groups.flatMap { $0 } == names)
        #expect(groups.allSatisfy { ("lowerdir=" + $0.joined(separator: ":")).utf8.count < 4_000 })
        #expect(groups.count == 14 && groups.dropLast().allSatisfy { $0.count == 76 }, "a page holds 76 names of 50 bytes")
        #expect(BwrapRunner.groups([]).isEmpty && BwrapRunner.groups(["one"]) == [["one"]])
    }
}
