import Foundation
import Testing
@testable import PkgTreeKit

/// Package ids follow docs/ids.md: content-hashed, independent of where and when the tree lives.
@Suite struct PackageIDTests {
    /// base <- lib <- app, base <- tool; other stands alone.
    static func layeredTree() throws -> TreeFixture {
        var files: [String: String] = [:]
        let packages = [
            "base": "{}", "lib": #"{"requires": ["base"]}"#, "app": #"{"requires": ["lib"]}"#,
            "tool": #"{"requires": ["base"]}"#, "other": "{}",
        ]
        for (name, buildinfo) in packages {
            files["\(name)/buildinfo.json"] = buildinfo
            files["\(name)/build"] = "#!/bin/bash\nmake -C /pkg/src/\(name) install\n"
            files["\(name)/extra/notes.txt"] = "notes of \(name)\n"
        }
        return try TreeFixture(files)
    }

    @Test func idsHaveTheDocumentedShape() throws {
        let fixture = try TreeFixture.tree(["plain": "{}", "tagged": #"{"version_extra": "1.2.3"}"#])
        let ids = try fixture.ids()
        #expect(try #require(ids["plain"]).wholeMatch(of: /plain--[0-9a-f]{40}/) != nil)
        #expect(try #require(ids["tagged"]).wholeMatch(of: /tagged--1\.2\.3-[0-9a-f]{40}/) != nil)
    }

    @Test func theSameTreeAtTwoPathsHasTheSameIDs() throws {
        let first = try Self.layeredTree()
        let second = try TreeFixture([:])
        try FileManager.default.removeItem(at: second.root)
        try FileManager.default.copyItem(at: first.root, to: second.root)
        #expect(first.root != second.root)
        #expect(try first.ids() == second.ids())
        #expect(try first.ids(.aarch64) == second.ids(.aarch64))
    }

    @Test func touchingMtimesChangesNothing() throws {
        let fixture = try Self.layeredTree()
        let before = try fixture.ids()
        let past = Date(timeIntervalSince1970: 1_000_000)
        let enumerator = try #require(FileManager.default.enumerator(atPath: fixture.root.path))
        for case let path as String in enumerator {
            try FileManager.default.setAttributes([.modificationDate: past],
                                                  ofItemAtPath: fixture.root.appendingPathComponent(path).path)
        }
        #expect(try fixture.ids() == before)
    }

    @Test func oneChangedByteInABuildScriptChangesThatPackageAndItsDependentsOnly() throws {
        let fixture = try Self.layeredTree()
        let before = try fixture.ids()
        try fixture.write("lib/build", "#!/bin/bash\nmake -C /pkg/src/lib install \n")
        let after = try fixture.ids()
        let changed = Set(before.keys.filter { before[$0] != after[$0] })
        #expect(changed == ["lib", "app"])
    }

    @Test func aChangeInExtraReachesTheWholeChainAbove() throws {
        let fixture = try Self.layeredTree()
        let before = try fixture.ids()
        try fixture.write("base/extra/notes.txt", "notes of base!\n")
        let after = try fixture.ids()
        #expect(Set(before.keys.filter { before[$0] != after[$0] }) == ["base", "lib", "app", "tool"])
    }

    @Test func theExecutableBitCountsButOtherModeBitsDoNot() throws {
        let fixture = try Self.layeredTree()
        let before = try fixture.ids()
        let notes = fixture.root.appendingPathComponent("other/extra/notes.txt").path
        try FileManager.default.setAttributes([.posixPermissions: 0o664], ofItemAtPath: notes)
        #expect(try fixture.ids() == before)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: notes)
        #expect(try fixture.ids()["other"] != before["other"])
    }

    @Test func x86_64AndAarch64IDsDiffer() throws {
        let fixture = try Self.layeredTree()
        let x86 = try fixture.ids(.x86_64), arm = try fixture.ids(.aarch64)
        for name in x86.keys { #expect(x86[name] != arm[name]) }
    }

    @Test func anArchOverlayChangesOnlyThePackagesThatHaveOneAndTheirDependents() throws {
        let fixture = try Self.layeredTree()
        let x86Before = try fixture.ids(.x86_64), armBefore = try fixture.ids(.aarch64)
        try fixture.write("lib/buildinfo.json", #"{"requires": ["base"], "arch": {"arm64": {"environment": {"LIB_SIMD": "neon"}}}}"#)
        #expect(try fixture.ids(.x86_64) == x86Before)
        let armAfter = try fixture.ids(.aarch64)
        #expect(Set(armBefore.keys.filter { armBefore[$0] != armAfter[$0] }) == ["lib", "app"])
    }

    @Test func defaultsWrittenOutHashLikeAnEmptyFile() throws {
        let empty = try TreeFixture.tree(["a": ""])
        let spelled = try TreeFixture.tree(["a": #"{"requires": [], "environment": {}, "state_directory": false, "sources": {}}"#])
        #expect(try empty.ids() == spelled.ids())
    }

    @Test func widenedArchitecturesKeepExistingIDs() throws {
        let fixture = try TreeFixture.tree(["a": #"{"architectures": ["x86_64"]}"#])
        let before = try fixture.ids()
        try fixture.write("a/buildinfo.json", #"{"architectures": ["x86_64", "aarch64"]}"#)
        #expect(try fixture.ids() == before)
    }

    @Test func transitiveRequirementIDsAreHashed() throws {
        let fixture = try Self.layeredTree()
        let plan = try fixture.plan()
        let app = try #require(plan.packages.firstIndex { $0.name == "app" })
        let expected = [plan.package(named: "base")!.id, plan.package(named: "lib")!.id].sorted()
        #expect(plan.transitiveRequirementIDs(of: app) == expected)
        let node = PackageIDs.Node(name: "app", versionExtra: nil, inputs: plan.packages[app].inputs, requires: [])
        #expect(PackageIDs.id(of: node, requirementIDs: expected) == plan.packages[app].id)
        #expect(PackageIDs.id(of: node, requirementIDs: [expected[1]]) != plan.packages[app].id)
    }

    @Test func builderIdentityFollowsTheBuilderNotTheMachine() throws {
        let fixture = try TreeFixture.tree([
            "recipe": "{}",
            "pinned": #"{"docker": "debian@sha256:0000000000000000000000000000000000000000000000000000000000000000"}"#,
            "tagged": #"{"docker": "golang:1.8"}"#,
        ], extra: ["own/buildinfo.json": "{}", "own/build": "", "own/docker/Dockerfile": "FROM scratch\n"])
        let plan = try fixture.plan(.aarch64)
        #expect(plan.package(named: "recipe")?.builder == .recipe(.builtInDefault(for: .aarch64), arch: .aarch64))
        #expect(plan.package(named: "pinned")?.builder.json.objectValue?["kind"] == "pinned")
        #expect(plan.package(named: "own")?.builder.json.objectValue?["kind"] == "docker_directory")
        #expect(plan.warnings.map(\.package) == ["tagged"])
        #expect(plan.warnings.first?.message.contains("mutable tag") == true)
    }

    @Test func crossBuildsUseTheHostArchitecturesBuilder() throws {
        let fixture = try TreeFixture.tree(["c": #"{"arch": {"aarch64": {"cross": true}}}"#])
        let package = try #require(try fixture.plan(.aarch64).packages.first)
        #expect(package.builder == .recipe(.builtInDefault(for: .x86_64), arch: .x86_64))
        #expect(package.inputs.objectValue?["build_arch"] == "x86_64")
        #expect(package.inputs.objectValue?["arch"] == "aarch64")
    }
}
