import Foundation
import Testing
@testable import PkgTreeKit

/// `pkgtree why`: the changed input is named, followed through dependencies to the root cause.
@Suite struct RebuildExplanationTests {
    /// Plans the layered tree and stores every package as if it had been built.
    static func builtTree() async throws -> (TreeFixture, CacheFixture) {
        let fixture = try PackageIDTests.layeredTree()
        let cache = try await CacheFixture()
        let plan = try fixture.plan()
        for position in plan.packages.indices {
            _ = try await cache.store.place(ArtifactStore.Description(plan: plan, index: position)) { url in
                try Data(plan.packages[position].id.utf8).write(to: url)
            }
        }
        return (fixture, cache)
    }

    @Test func aOneLineEditToADependencysBuildinfoIsNamedAsTheRootCause() async throws {
        let (fixture, cache) = try await Self.builtTree()
        try fixture.write("lib/buildinfo.json", #"{"requires": ["base"], "environment": {"LIB_MODE": "fast"}}"#)
        let lines = try RebuildExplanation.explain("app", plan: try fixture.plan(), index: cache.index)
        #expect(lines[0].hasPrefix("app would build as app--"))
        #expect(lines.contains { $0.hasPrefix("  dependency lib changed: lib--") })
        #expect(lines.contains(#"    buildinfo field 'environment.LIB_MODE': (absent) -> "fast""#))
        #expect(!lines.contains { $0.contains("dependency base") })
    }

    @Test func aBuildScriptEditIsNamed() async throws {
        let (fixture, cache) = try await Self.builtTree()
        try fixture.write("base/build", "#!/bin/bash\nmake install\n")
        let lines = try RebuildExplanation.explain("tool", plan: try fixture.plan(), index: cache.index)
        #expect(lines.contains { $0.contains("dependency base changed") })
        #expect(lines.contains { $0.contains("the build script changed (build_script:") })
    }

    @Test func cachedAndNeverBuiltPackagesSaySo() async throws {
        let (fixture, cache) = try await Self.builtTree()
        #expect(try RebuildExplanation.explain("app", plan: try fixture.plan(), index: cache.index) == [
            "app is cached as \(try fixture.plan().package(named: "app")!.id): nothing to rebuild"])
        #expect(try RebuildExplanation.explain("app", plan: try fixture.plan(.aarch64), index: cache.index).first?
            .contains("never been built for aarch64") == true)
    }
}
