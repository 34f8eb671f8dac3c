import Foundation
import Testing
@testable import PkgTreeKit

@Suite struct StagedPublishTests {
    struct Interrupted: Error {}

    private func scratch() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("pkgtree-publish-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        return root
    }

    private func contents(_ directory: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).sorted()
    }

    @Test(arguments: [false, true])
    func aWriterThatThrowsLeavesNothingAtTheDestinationNorStaged(directory: Bool) throws {
        let root = try scratch()
        let tmp = root.appendingPathComponent("tmp"), destination = root.appendingPathComponent("place/thing")
        var staged: URL?
        #expect(throws: Interrupted.self) {
            try StagedPublish(destination, what: "thing", stagingIn: tmp, owner: "pkg--1").publish { staging in
                staged = staging
                if directory {
                    try FileManager.default.createDirectory(at: staging.appendingPathComponent("a/b"), withIntermediateDirectories: true)
                    try Data("half".utf8).write(to: staging.appendingPathComponent("a/b/file"))
                } else {
                    try Data("half".utf8).write(to: staging)
                }
                throw Interrupted()  // as a kill before the rename would: the rename never comes
            }
        }
        #expect(FileStatus.of(destination.path) == nil)
        #expect(contents(tmp).isEmpty, "the staged copy is removed")
        #expect(contents(destination.deletingLastPathComponent()).isEmpty)
        #expect(staged.map { TemporaryName.id(of: $0.lastPathComponent) } == "pkg--1", "the staged name says whose lock guards it")
    }

    @Test func aFileIsPublishedWholeAndReplacesAnOlderOne() throws {
        let root = try scratch()
        let tmp = root.appendingPathComponent("tmp"), destination = root.appendingPathComponent("place/file")
        let publish = { (text: String) in
            try StagedPublish(destination, what: "file", stagingIn: tmp, owner: "pkg--1").publish { staging -> Int in
                #expect((try? String(contentsOf: destination, encoding: .utf8)) != text, "nothing new is visible before the rename")
                try Data(text.utf8).write(to: staging)
                return text.count
            }
        }
        #expect(try publish("first") == 5)
        #expect(try String(contentsOf: destination, encoding: .utf8) == "first")
        #expect(try publish("second") == 6)
        #expect(try String(contentsOf: destination, encoding: .utf8) == "second")
        #expect(contents(tmp).isEmpty)
    }

    @Test func keepLeavesWhatIsThereAndDropsTheStagedCopy() async throws {
        let root = try scratch()
        let tmp = root.appendingPathComponent("tmp"), destination = root.appendingPathComponent("place/tree")
        try FileManager.default.createDirectory(at: destination, withIntermediateDirectories: true)
        try Data("first".utf8).write(to: destination.appendingPathComponent("file"))
        try await StagedPublish(destination, what: "tree", stagingIn: tmp, owner: "tree", existing: .keep).publish { staging in
            try await Task.sleep(for: .milliseconds(1))  // the async variant, as a clone or a download
            try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
            try Data("second".utf8).write(to: staging.appendingPathComponent("file"))
        }
        #expect(try String(contentsOf: destination.appendingPathComponent("file"), encoding: .utf8) == "first")
        #expect(contents(tmp).isEmpty)
        #expect(contents(destination.deletingLastPathComponent()) == ["tree"])
    }

    @Test func keepPublishesWhereNothingIsAndTheTreeIsSynced() throws {
        let root = try scratch()
        let tmp = root.appendingPathComponent("tmp"), destination = root.appendingPathComponent("place/tree")
        try StagedPublish(destination, what: "tree", stagingIn: tmp, owner: "tree", existing: .keep).publish { staging in
            try FileManager.default.createDirectory(at: staging.appendingPathComponent("deep/er"), withIntermediateDirectories: true)
            try Data("leaf".utf8).write(to: staging.appendingPathComponent("deep/er/leaf"))
        }
        #expect(try String(contentsOf: destination.appendingPathComponent("deep/er/leaf"), encoding: .utf8) == "leaf")
        try Durability.syncTree(destination)
        #expect(throws: UserFacingError.self) { try Durability.syncTree(destination.appendingPathComponent("deep/er/leaf")) }
    }

    @Test func aWriterThatLeavesNothingIsAnError() throws {
        let root = try scratch()
        let destination = root.appendingPathComponent("file")
        #expect(throws: UserFacingError.self) {
            try StagedPublish(destination, what: "file", stagingIn: root.appendingPathComponent("tmp"), owner: "x").publish { _ in }
        }
        #expect(FileStatus.of(destination.path) == nil)
    }

    @Test func stagingBesideTheDestinationIsHiddenAndNamedForItsOwner() throws {
        let root = try scratch()
        let destination = root.appendingPathComponent("out/abc.bootstrap.tar.xz")
        try StagedPublish(destination, what: "bootstrap", besideOwnedBy: "abc").publish { staging in
            #expect(staging.deletingLastPathComponent() == destination.deletingLastPathComponent())
            #expect(staging.lastPathComponent.hasPrefix("."))
            #expect(TemporaryName.id(of: staging.lastPathComponent) == "abc")
            try Data("tarball".utf8).write(to: staging)
        }
        #expect(contents(destination.deletingLastPathComponent()) == ["abc.bootstrap.tar.xz"])
    }

    @Test func cacheRepairRemovesWhatAKilledPublishLeftInTmp() async throws {
        let cache = try await CacheFixture()
        // A kill between the write and the rename leaves the staged file under its name: made
        // again here, since a throw cleans up.
        var name = ""
        _ = try? StagedPublish(cache.layout.packages.appendingPathComponent("x"), what: "artifact", stagingIn: cache.layout.tmp,
                               owner: "killed--1").publish { staging in
            name = staging.lastPathComponent
            throw Interrupted()
        }
        try Data("half".utf8).write(to: cache.layout.tmp.appendingPathComponent(name))
        let lock = try #require(try FileLock.tryAcquire(cache.layout.lockFile(for: "killed--1")))
        #expect(try CacheRepair.run(cache.index).removedStaging.isEmpty, "the owner's lock is held: a live publish")
        lock.unlock()
        #expect(try CacheRepair.run(cache.index).removedStaging == [name])
        #expect(contents(cache.layout.tmp).isEmpty)
    }

    @Test(arguments: ["", ".", "x.part", "\(UUID().uuidString).part", "\(UUID().uuidString)x.y.part", "not-a-uuid-at-all-not-a-uuid-at-all.pkg.part"])
    func namesNotOursHaveNoOwner(name: String) {
        #expect(TemporaryName.id(of: name) == nil)
    }

    @Test func ownersRoundTripThroughBothForms() {
        for owner in ["pkg--1", "image-x86_64-abc-rootfs", "a.b.c"] {
            #expect(TemporaryName.id(of: TemporaryName.make(for: owner)) == owner)
            #expect(TemporaryName.id(of: TemporaryName.hidden(for: owner)) == owner)
        }
    }
}
