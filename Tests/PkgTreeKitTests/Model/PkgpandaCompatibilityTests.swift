import Testing
@testable import PkgTreeKit

/// pkgpanda trees load unchanged: the shapes below come from DC/OS's own packages.
@Suite struct PkgpandaCompatibilityTests {
    static let mesosLike = """
        {
          "requires": ["openssl", {"name": "libevent", "variant": null}],
          "single_source": {
            "kind": "git",
            "git": "https://example.invalid/apache/mesos",
            "ref": "0123456789abcdef0123456789abcdef01234567",
            "ref_origin": "master"
          },
          "environment": {"MESOS_NATIVE_JAVA_LIBRARY": "/opt/mesosphere/lib/libmesos.so"},
          "state_directory": true,
          "username": "dcos_mesos",
          "sysctl": {"dcos-mesos-slave": {"vm.max_map_count": 262144, "vm.swappiness": 1}}
        }
        """

    @Test func aDCOSStyleTreeLoadsAndPlans() throws {
        let fixture = try TreeFixture.tree([
            "mesos": Self.mesosLike,
            "openssl": #"{"sources": {"openssl": {"kind": "url_extract", "url": "https://example.invalid/openssl.tar.gz", "sha1": "0123456789abcdef0123456789abcdef01234567"}}}"#,
            "libevent": "",  // an empty buildinfo.json is {}
            "dcos-config": "{}",
        ], extra: [
            "cache/packages/openssl/latest": "stale",  // pkgpanda's cache folder is not a package
            "upstream.json": "{}",
            "NOTES.txt": "ignored",
            "treeinfo.json": #"{"exclude": ["not-in-this-tree"], "variants": {"dcos-config": null}}"#,
            "dcos-config/installer.buildinfo.json": "{}",
            "installer.treeinfo.json": #"{"variants": {"dcos-config": "installer"}, "core_package_list": ["dcos-config"]}"#,
        ])
        let tree = try fixture.load()
        #expect(tree.packages.keys.sorted() == ["dcos-config", "libevent", "mesos", "openssl"])
        #expect(tree.warnings.first?.message.contains("upstreams are not supported") == true)
        let plan = try fixture.plan()
        #expect(plan.packages.map(\.name) == ["dcos-config", "libevent", "openssl", "mesos"])
        let mesos = try #require(plan.package(named: "mesos"))
        #expect(mesos.buildInfo.sysctl["dcos-mesos-slave"]?["vm.max_map_count"] == .int(262144))
        #expect(mesos.buildInfo.sources["mesos"] == .git(url: "https://example.invalid/apache/mesos",
                                                          ref: "0123456789abcdef0123456789abcdef01234567", refOrigin: "master"))
        let installer = try fixture.plan(variant: "installer")
        #expect(installer.packages.map(\.name) == ["dcos-config"])
        #expect(installer.packages.first?.variant == "installer")
    }

    @Test func installRootIsPkgpandasByDefaultAndPartOfTheId() throws {
        let fixture = try TreeFixture.tree(["a": "{}"])
        #expect(try fixture.plan().installRoot == "/opt/mesosphere")
        let before = try fixture.ids()
        try fixture.write("treeinfo.json", #"{"install_root": "/opt/mesosphere"}"#)
        #expect(try fixture.ids() == before, "naming the default changes nothing")
        try fixture.write("treeinfo.json", #"{"install_root": "/opt/pkgtree"}"#)
        #expect(try fixture.plan().installRoot == "/opt/pkgtree")
        #expect(try fixture.ids() != before)
    }

    /// pkgpanda's test_hash_build_script: `hashcheck` copied to three places; the copy whose
    /// build script differs by one line has another id, the copy at another path the same id.
    @Test func translatedHashBuildScript() throws {
        let script = "#!/bin/bash\nmkdir -p $PKG_PATH\necho 'hashcheck' > $PKG_PATH/hashcheck\n"
        func hashcheck(_ script: String) throws -> String {
            let fixture = try TreeFixture(["hashcheck/buildinfo.json": #"{"docker": "ubuntu:14.04.4"}"#, "hashcheck/build": script])
            return try #require(try fixture.ids()["hashcheck"])
        }
        let first = try hashcheck(script), tweaked = try hashcheck(script + "echo tweak\n"), elsewhere = try hashcheck(script)
        #expect(first == elsewhere)
        #expect(first != tweaked)
    }

    /// pkgpanda's test_bad_buildinfo: an unknown field and a field the build sets itself.
    @Test(arguments: [#"{"user": "dcos_user", "docker": "ubuntu:14.04.4"}"#, #"{"name": "disallowed_field", "docker": "ubuntu:14.04.4"}"#])
    func translatedBadBuildinfo(buildinfo: String) throws {
        let fixture = try TreeFixture.tree(["pkg": buildinfo])
        let problem = try #require(fixture.problems().first)
        #expect(problem.message.contains("is not a buildinfo field") && problem.package == "pkg", "\(problem)")
    }
}
