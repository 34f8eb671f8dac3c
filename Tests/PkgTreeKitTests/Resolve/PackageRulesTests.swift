import Foundation
import Testing
@testable import PkgTreeKit

/// pkgpanda's package rules, read from its source (`pkgpanda/__init__.py`,
/// `pkgpanda/build/__init__.py`): user and group names, `hash_folder`'s empty directories,
/// packages that exist only as variants, and the keys of `pkginfo.json` and `buildinfo.full.json`.
@Suite struct PackageRulesTests {
    @Test(arguments: [
        ("dcos_mesos", true), ("dcos_a1_b2", true), ("dcos_", false), ("mesos", false), ("dcos-mesos", false),
        ("dcos_Mesos", false), ("DCOS_mesos", false), ("dcos_mesos-agent", false), ("dcos_" + String(repeating: "a", count: 28), false),
    ])
    func usernameFollowsPkgpandasPattern(name: String, valid: Bool) throws {
        let fixture = try TreeFixture.tree(["app": #"{"username": "\#(name)"}"#])
        let problem = fixture.problems().first(mentioning: "username")
        #expect((problem == nil) == valid, "\(name): \(String(describing: problem))")
        if let problem {
            #expect(problem.field == "username" && problem.package == "app" && problem.file?.hasSuffix("app/buildinfo.json") == true)
            #expect(problem.hint?.contains("dcos_") == true)
        }
    }

    @Test(arguments: [("dcos_group", true), ("_x", true), ("a-b_1", true), ("", true), ("1abc", false), ("Wheel", false), ("a.b", false)])
    func groupFollowsShadowsPattern(name: String, valid: Bool) throws {
        let fixture = try TreeFixture.tree(["app": #"{"username": "dcos_app", "group": "\#(name)"}"#])
        let problems = fixture.problems()
        #expect(problems.isEmpty == valid, "\(name): \(problems)")
        if !valid { #expect(problems.first?.field == "group" && problems.first?.message.contains("^[a-z_][a-z0-9_-]*$") == true) }
    }

    @Test func groupWithoutUsernameIsBadInputEvenWhenAnOverlayLeavesItOut() throws {
        let alone = try TreeFixture.tree(["app": #"{"group": "dcos_group"}"#])
        let problem = try #require(alone.problems().first)
        #expect(problem.field == "group" && problem.message.contains("without 'username'") && problem.hint?.contains("username") == true)
        let overlay = try TreeFixture.tree(["app": #"{"group": "dcos_group", "arch": {"aarch64": {"username": "dcos_app"}}}"#])
        #expect(overlay.problems(.aarch64).isEmpty)
        #expect(overlay.problems(.x86_64).first?.message.contains("(for x86_64") == false)
        #expect(overlay.problems(.x86_64).first?.field == "group")
    }

    @Test func setuidFilesAreRelativePathsAndEnterTheIDOnlyWhenSet() throws {
        let fixture = try TreeFixture.tree(["app": "{}"])
        let before = try fixture.ids()
        try fixture.write("app/buildinfo.json", #"{"setuid_files": ["./bin//tool", "bin/tool"]}"#)
        #expect(try fixture.plan().packages[0].buildInfo.setuidFiles == ["bin/tool"])
        #expect(try fixture.ids() != before)
        try fixture.write("app/buildinfo.json", #"{"setuid_files": []}"#)
        #expect(try fixture.ids() == before, "declaring nothing keeps the id")
        for bad in [#"["/usr/bin/sudo"]"#, #"["../x"]"#, #"["."]"#, #""bin/tool""#] {
            try fixture.write("app/buildinfo.json", #"{"setuid_files": \#(bad)}"#)
            let problem = try #require(fixture.problems().first, "\(bad)")
            #expect(problem.field?.hasPrefix("setuid_files") == true, "\(problem)")
        }
    }

    /// pkgpanda's `hash_files_in_folder` gives an empty directory an entry of its own.
    @Test func anEmptyDirectoryInExtraIsPartOfTheID() throws {
        let fixture = try TreeFixture.tree(["app": "{}", "plain": "{}"])
        try fixture.write("app/extra/file", "x")
        let before = try fixture.ids()
        try FileManager.default.createDirectory(at: fixture.root.appendingPathComponent("app/extra/empty/nested"),
                                                withIntermediateDirectories: true)
        let after = try fixture.ids()
        #expect(after["app"] != before["app"])
        #expect(after["plain"] == before["plain"])
        try FileManager.default.createDirectory(at: fixture.root.appendingPathComponent("app/extra/empty/other"),
                                                withIntermediateDirectories: true)
        #expect(try fixture.ids()["app"] != after["app"], "each empty directory counts")
        let copy = try TreeFixture([:])
        try FileManager.default.removeItem(at: copy.root)
        try FileManager.default.copyItem(at: fixture.root, to: copy.root)
        #expect(try copy.ids() == fixture.ids(), "the same tree at another path has the same ids")
    }

    @Test func anEmptyExtraDiffersFromNone() throws {
        let fixture = try TreeFixture.tree(["app": "{}"])
        let before = try fixture.ids()
        try FileManager.default.createDirectory(at: fixture.root.appendingPathComponent("app/extra"), withIntermediateDirectories: true)
        #expect(try fixture.ids() != before)
    }

    @Test func aPackageThatExistsOnlyAsAVariantIsNamedWithItsVariants() throws {
        let fixture = try TreeFixture(["tool/installer.buildinfo.json": "{}", "tool/build": "true\n",
                                       "app/buildinfo.json": "{}", "app/build": "true\n"])
        for packages in [["tool"], []] {
            let problem = try #require(fixture.problems(packages: packages).first(mentioning: "no default variant"))
            #expect(problem.package == "tool" && problem.field == "variants")
            #expect(problem.message.contains("variant 'installer' (installer.buildinfo.json)"))
            #expect(problem.hint?.contains(#""variants": {"tool": "installer"}"#) == true)
        }
        try fixture.write("app/buildinfo.json", #"{"requires": ["tool"]}"#)
        let required = try #require(fixture.problems().first(mentioning: "of 'tool', which has no such variant"))
        #expect(required.package == "app" && required.hint == "variants of 'tool': installer")
        try fixture.write("app/buildinfo.json", "{}")
        try fixture.write("installer.treeinfo.json", #"{"variants": {"tool": "installer"}, "core_package_list": ["tool"]}"#)
        let problems = fixture.problems(packages: ["tool"])
        #expect(problems.first(mentioning: "no default variant")?.hint?.contains("--variant installer") == true, "\(problems)")
        #expect(try fixture.plan(variant: "installer", packages: ["tool"]).packages.map(\.variant) == ["installer"])
        try fixture.write("treeinfo.json", #"{"exclude": ["tool", "app"]}"#)
        #expect(fixture.problems().isEmpty, "an excluded variant-only package is no problem")
    }

    @Test func pkginfoAndBuildinfoFullCarryPkgpandasKeys() throws {
        let fixture = try TreeFixture.tree([
            "dep": "{}",
            "app": """
                {"requires": ["dep"], "username": "dcos_app", "group": "dcos_group", "environment": {"A": "1"},
                 "sources": {"u": {"kind": "url", "url": "https://example.invalid/u.tgz", "sha1": "\(String(repeating: "a", count: 40))"},
                             "g": {"kind": "git", "git": "https://example.invalid/g", "ref": "\(String(repeating: "b", count: 40))"}},
                 "version_extra": "1.2"}
                """,
        ])
        try fixture.write("app/extra/conf", "x")
        let plan = try fixture.plan()
        let index = try #require(plan.packages.firstIndex { $0.name == "app" })
        let pkgInfo = try #require(PackageMetadata.pkgInfo(plan.packages[index]).objectValue)
        #expect(pkgInfo["requires"] == .array([.string("dep")]))
        #expect(pkgInfo["username"] == .string("dcos_app") && pkgInfo["group"] == .string("dcos_group"))
        #expect(pkgInfo["state_directory"] == .bool(false) && pkgInfo["sysctl"] == nil)
        let full = try #require(PackageMetadata.buildInfoFull(plan, index: index).objectValue)
        let id = plan.packages[index].id
        #expect(full["name"] == .string("app") && full["variant"] == .null)
        #expect(full["package_id"] == .string(id))
        #expect(full["package_version"] == .string(String(id.dropFirst("app--".count))))
        #expect(full["package_version"]?.stringValue?.hasPrefix("1.2-") == true)
        #expect(full["build_ids"] == plan.fullInputs(of: index))
        #expect(full["extra_source"] != nil && full["extra_source"] == full["extra"])
        let sources = try #require(full["sources"]?.objectValue)
        #expect(sources["u"]?.objectValue?["downloaded_sha1"] == .string(String(repeating: "a", count: 40)))
        #expect(sources["u"]?.objectValue?["url"] == .string("https://example.invalid/u.tgz"))
        #expect(sources["g"]?.objectValue?["commit"] == .string(String(repeating: "b", count: 40)))
        for key in ["arch", "install_root", "builder", "requires", "buildinfo", "build_script"] {
            #expect(full[key] == plan.fullInputs(of: index).objectValue?[key], "pkgtree's key \(key) stays at the top level")
        }
        let dep = try #require(plan.packages.firstIndex { $0.name == "dep" })
        #expect(PackageMetadata.buildInfoFull(plan, index: dep).objectValue?["extra_source"] == nil)
    }
}
