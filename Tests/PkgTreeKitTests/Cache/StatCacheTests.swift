import Foundation
import Testing
@testable import PkgTreeKit

/// The stat cache: an unchanged tree is planned without reading its input files again, and
/// any change to a file is still seen.
@Suite struct StatCacheTests {
    static func agedTree() throws -> TreeFixture {
        let fixture = try PackageIDTests.layeredTree()
        // Files younger than the racy window are hashed but not remembered; age them.
        let past = Date().addingTimeInterval(-3600)
        let enumerator = try #require(FileManager.default.enumerator(atPath: fixture.root.path))
        for case let path as String in enumerator {
            try FileManager.default.setAttributes([.modificationDate: past], ofItemAtPath: fixture.root.appendingPathComponent(path).path)
        }
        return fixture
    }

    @Test func aSecondPlanOfAnUnchangedTreeReadsNoInputFile() async throws {
        let fixture = try Self.agedTree()
        let cache = try await CacheFixture()
        let planner = Planner(packages: fixture.root, cache: cache.layout)
        let first = try await planner.plan(.init(arch: .aarch64, hostArch: .x86_64))
        #expect(first.filesRead == 10)  // 5 build scripts + 5 extra files
        let second = try await planner.plan(.init(arch: .aarch64, hostArch: .x86_64))
        #expect(second.filesRead == 0)
        #expect(second.plan.packages.map(\.id) == first.plan.packages.map(\.id))
    }

    @Test func aChangedFileIsStillSeen() async throws {
        let fixture = try Self.agedTree()
        let cache = try await CacheFixture()
        let planner = Planner(packages: fixture.root, cache: cache.layout)
        let before = try await planner.plan(.init(arch: .x86_64, hostArch: .x86_64))
        try fixture.write("base/extra/notes.txt", "notes of base!\n")  // same size class, new content and mtime
        let after = try await planner.plan(.init(arch: .x86_64, hostArch: .x86_64))
        #expect(after.filesRead == 1)
        #expect(after.plan.package(named: "base")?.id != before.plan.package(named: "base")?.id)
        #expect(after.plan.package(named: "other")?.id == before.plan.package(named: "other")?.id)
    }

    @Test func freshlyWrittenFilesAreNotRemembered() async throws {
        let fixture = try PackageIDTests.layeredTree()  // mtimes are now: inside the racy window
        let cache = try await CacheFixture()
        let planner = Planner(packages: fixture.root, cache: cache.layout)
        _ = try await planner.plan(.init(arch: .x86_64, hostArch: .x86_64))
        #expect(try await planner.plan(.init(arch: .x86_64, hostArch: .x86_64)).filesRead == 10)
    }

    @Test func planMarksCachedPackages() async throws {
        let fixture = try Self.agedTree()
        let cache = try await CacheFixture()
        let planner = Planner(packages: fixture.root, cache: cache.layout)
        let plan = try await planner.plan(.init(arch: .x86_64, hostArch: .x86_64)).plan
        let lib = try #require(plan.packages.firstIndex { $0.name == "lib" })
        _ = try await cache.store.place(ArtifactStore.Description(plan: plan, index: lib)) { url in
            try Data("lib".utf8).write(to: url)
        }
        let result = try await planner.plan(.init(arch: .x86_64, hostArch: .x86_64))
        #expect(result.cached == [plan.packages[lib].id])
        let record = try #require(try cache.index.artifact(id: plan.packages[lib].id))
        #expect(record.inputs.contains(plan.package(named: "base")!.id))  // transitive ids are recorded
        #expect(PlanReport.text(result.plan, cached: result.cached).contains("4 to build, 1 cached"))
    }

    @Test func aBrokenTreeCreatesNoCache() async throws {
        let fixture = try TreeFixture.tree(["a": "{ broken"])
        let layout = CacheLayout(root: fixture.root.deletingLastPathComponent().appendingPathComponent("cache"))
        await #expect(throws: Problems.self) { try await Planner(packages: fixture.root, cache: layout).plan(.init(arch: .x86_64)) }
        #expect(!FileManager.default.fileExists(atPath: layout.root.path))
    }
}
