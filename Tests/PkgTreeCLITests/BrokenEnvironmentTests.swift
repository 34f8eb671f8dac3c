import Foundation
import Glibc
import Testing
import RegistryTestSupport

/// pkgtree in broken environments, as root and as an ordinary user: each failure exits with
/// its code and a sentence naming the path at fault, never a library's dump; a lost or
/// damaged index heals from the artifacts beside it, and the build after that builds nothing.
@Suite(.tags(.container), .enabled(if: BuilderImages.available, Comment(rawValue: BuilderImages.missingReason)))
struct BrokenEnvironmentTests {
    enum Breakage: String, CaseIterable, Sendable {
        case cacheIsAFile, outputIsAFile, danglingImagesLink, loopingPackagesLink, readOnlyCache
        case corruptIndex, newerSchemaIndex, truncatedArtifactWithoutIndex, missingIndex
    }

    enum Identity: String, Sendable {
        /// Whoever runs the tests (root, on CI).
        case invoker
        /// An ordinary user, as users build.
        case ordinaryUser
    }

    static let forbidden = ["Error Domain=", "NSCocoaErrorDomain", "SQLite error"]

    /// Permissions do not stop root, so only an ordinary user's run has the read-only cache.
    @Test(arguments: Breakage.allCases.filter { $0 != .readOnlyCache || getuid() != 0 })
    func asTheInvokingUser(breakage: Breakage) async throws {
        try await check(breakage, as: .invoker)
    }

    @Test(.enabled(if: TestUser.canSwitch, Comment(rawValue: TestUser.cannotSwitch)), arguments: Breakage.allCases)
    func asAnOrdinaryUser(breakage: Breakage) async throws {
        try await check(breakage, as: .ordinaryUser)
    }

    private func check(_ breakage: Breakage, as identity: Identity) async throws {
        let place = try await Place.copy(of: try await Self.golden.value)
        let expected = try await breakage.apply(in: place)
        if identity == .ordinaryUser { try await TestUser.own(place.directory) }
        if breakage == .readOnlyCache { try place.chmod(place.cache, 0o555) }
        let run = { (arguments: [String]) in
            identity == .ordinaryUser ? try await TestUser.run(arguments, in: place.directory)
                : try await CLIRunner.runTool(CLIRunner.binary, arguments, in: place.directory)
        }
        let label = "\(breakage) as \(identity)"

        let broken = try await run(expected.arguments)
        let said = broken.stdout + broken.stderr
        #expect(broken.status == expected.status, "\(label): \(said)")
        for text in expected.stderr { #expect(broken.stderr.contains(text), "\(label): no '\(text)' in: \(broken.stderr)") }
        for text in Self.forbidden { #expect(!said.contains(text), "\(label): \(said)") }
        try expected.after(place)

        guard let heals = expected.heals else { return }
        // Building the refused package needs a runner that works for this user; the plan says
        // what a build would do when one might not.
        let builds = getuid() == 0 && identity == .invoker || heals.rebuilt.isEmpty
        let next = try await run(builds ? place.buildArguments : place.planArguments)
        #expect(next.status == 0, "\(label): \(next.stderr)")
        #expect(!next.stderr.contains("rebuilt the cache index"), "\(label): healed twice: \(next.stderr)")
        for text in Self.forbidden { #expect(!(next.stdout + next.stderr).contains(text), "\(label): \(next.stderr)") }
        if builds {
            let events = try BuildEvents.parse(next.stdout)
            #expect(BuildEvents.packages("finished", in: events) == heals.rebuilt, "\(label): \(next.stdout)")
            #expect(BuildEvents.packages("cached", in: events).sorted() == Golden.names.filter { !heals.rebuilt.contains($0) })
        } else {
            #expect(next.stdout.contains("\(heals.rebuilt.count) to build, \(Golden.names.count - heals.rebuilt.count) cached"), "\(next.stdout)")
        }
    }

    /// A tree of four packages built once (as root, with bwrap) for every case to copy.
    static let golden = Task { try await Golden.make() }
}

/// What a case runs on the broken place, what it must say, and what must hold afterwards.
struct Expectation {
    var arguments: [String]
    var status: Int32
    /// Texts stderr must hold: the path at fault, what is wrong there.
    var stderr: [String]
    var after: (Place) throws -> Void = { _ in }
    /// For the cases that heal: the packages the next build must build (those refused).
    var heals: Healing?

    struct Healing {
        var rebuilt: [String]
    }
}

extension BrokenEnvironmentTests.Breakage {
    /// Breaks `place` and says what running pkgtree there must do.
    func apply(in place: Place) async throws -> Expectation {
        let manager = FileManager.default
        switch self {
        case .cacheIsAFile:
            try Data("not a directory".utf8).write(to: place.directory.appendingPathComponent("cache-file"))
            return Expectation(arguments: ["plan", "--arch", "x86_64", "--packages", "packages", "--cache", "cache-file"], status: 2,
                               stderr: ["error: opening the cache: cache-file: is a file, not a directory", "hint: "])
        case .outputIsAFile:
            try Data("not a directory".utf8).write(to: place.directory.appendingPathComponent("out"))
            return Expectation(arguments: Array(place.buildArguments.dropLast(2)) + ["--output", "out"], status: 2,
                               stderr: ["out: is a file, not a directory", "--output DIR"])
        case .danglingImagesLink:
            // A fresh cache whose images link leads nowhere, as a benchmark once made it.
            let fresh = place.directory.appendingPathComponent("fresh")
            try manager.createDirectory(at: fresh, withIntermediateDirectories: true)
            try manager.createSymbolicLink(atPath: fresh.appendingPathComponent("images").path, withDestinationPath: "../no-images")
            return Expectation(arguments: ["build", "p00", "--arch", "x86_64", "--runner", "bwrap", "--packages", "packages", "--cache", "fresh"],
                               status: 2, stderr: ["fresh/images: is a dangling symbolic link to ../no-images", "mkdir -p"])
        case .loopingPackagesLink:
            let packages = place.cache.appendingPathComponent("packages")
            try manager.removeItem(at: packages)
            try manager.createSymbolicLink(atPath: packages.path, withDestinationPath: "loop")
            try manager.createSymbolicLink(atPath: place.cache.appendingPathComponent("loop").path, withDestinationPath: "packages")
            return Expectation(arguments: place.planArguments, status: 2,
                               stderr: ["cache/packages: is a symbolic link in a loop (cache/packages -> cache/loop -> cache/packages)"])
        case .readOnlyCache:
            let before = try place.snapshot()
            return Expectation(arguments: place.planArguments, status: 2,
                               stderr: ["cache: permission denied: user \(TestUser.name) cannot write to it", "chmod u+rwx cache"],
                               after: { place throws in #expect(try place.snapshot() == before, "a refused run changed the cache") })
        case .corruptIndex:
            let garbage = Data("this is no SQLite database, whatever its name says\n".utf8)
            try garbage.write(to: place.index)
            return Expectation(arguments: place.buildArguments, status: 0,
                               stderr: ["cache/index.sqlite could not be used (file is not a database); moved it aside to cache/index.sqlite.corrupt-",
                                        "rebuilt the cache index from 4 artifacts"],
                               after: { place throws in
                                   let aside = try manager.contentsOfDirectory(atPath: place.cache.path).filter { $0.hasPrefix("index.sqlite.corrupt-") }
                                   #expect(aside.count == 1)
                                   #expect(try aside.first.map { try Data(contentsOf: place.cache.appendingPathComponent($0)) } == garbage, "moved aside, not changed")
                               },
                               heals: .init(rebuilt: []))
        case .newerSchemaIndex:
            let sqlite = try #require(CLIRunner.which("python3"), "python3 writes the newer migration")
            let future = try await CLIRunner.runTool(sqlite, ["-c", """
                import sqlite3, sys
                db = sqlite3.connect(sys.argv[1])
                db.execute("INSERT INTO grdb_migrations VALUES ('v4: artifact signatures')")
                db.execute("CREATE TABLE signature (id TEXT PRIMARY KEY)")
                db.commit()
                db.close()
                """, place.index.path])
            try #require(future.status == 0, "\(future.stderr)")
            let bytes = try place.indexBytes()
            return Expectation(arguments: place.buildArguments, status: 2,
                               stderr: ["cache/index.sqlite: was written by a newer pkgtree: its schema is version 4", "knows versions up to 3",
                                        "it was left unchanged"],
                               after: { place throws in #expect(try place.indexBytes() == bytes, "the newer index was changed") })
        case .truncatedArtifactWithoutIndex:
            try place.removeIndex()
            let victim = try place.artifact("p00")
            let bytes = try Data(contentsOf: victim)
            try bytes.prefix(bytes.count - 40).write(to: victim)
            return Expectation(arguments: place.planArguments, status: 0,
                               stderr: ["rebuilt the cache index from 3 artifacts (1 refused: packages/x86_64/p00/\(victim.lastPathComponent): "
                                            + "cannot be read to its end: the xz stream lacks its end (the file is truncated)"],
                               heals: .init(rebuilt: ["p00"]))
        case .missingIndex:
            try place.removeIndex()
            return Expectation(arguments: place.planArguments, status: 0, stderr: ["rebuilt the cache index from 4 artifacts"],
                               after: { place in #expect(manager.fileExists(atPath: place.index.path)) },
                               heals: .init(rebuilt: []))
        }
    }
}

/// A copy of the golden tree and cache in a directory of its own; pkgtree runs there, so
/// the paths it names are relative (`cache/images`).
struct Place {
    let directory: URL
    var cache: URL { directory.appendingPathComponent("cache") }
    var index: URL { cache.appendingPathComponent("index.sqlite") }

    static func copy(of golden: Golden) async throws -> Place {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pkgtree-cli-broken-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for part in [golden.scratch.packages, golden.cache] {
            let copy = try await CLIRunner.runTool("/bin/cp", ["-a", part.path, directory.path])
            try #require(copy.status == 0, "\(copy.stderr)")
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.path)
        return Place(directory: directory)
    }

    var planArguments: [String] { ["plan", "--arch", "x86_64", "--packages", "packages", "--cache", "cache"] }
    var buildArguments: [String] {
        ["build", "--arch", "x86_64", "--runner", "bwrap", "--progress", "json", "--packages", "packages", "--cache", "cache",
         "--output", "release"]
    }

    func artifact(_ name: String) throws -> URL {
        let directory = cache.appendingPathComponent("packages/x86_64/\(name)")
        let file = try #require(try FileManager.default.contentsOfDirectory(atPath: directory.path).first)
        return directory.appendingPathComponent(file)
    }

    func removeIndex() throws {
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: index.path + suffix) {
            try FileManager.default.removeItem(atPath: index.path + suffix)
        }
    }

    func indexBytes() throws -> Data {
        try Data(contentsOf: index)
    }

    func chmod(_ url: URL, _ mode: Int) throws {
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: url.path)
    }

    /// Every path under the cache with its size and modification time.
    func snapshot() throws -> [String: String] {
        var result: [String: String] = [:]
        for path in try FileManager.default.subpathsOfDirectory(atPath: cache.path) {
            let attributes = try FileManager.default.attributesOfItem(atPath: cache.appendingPathComponent(path).path)
            result[path] = "\(attributes[.size] ?? 0) \(attributes[.modificationDate] ?? "")"
        }
        return result
    }
}

/// The tree every case starts from: four packages (p03 requires p00 and p01), built.
struct Golden {
    static let names = SyntheticTree.names(count: 4)
    let scratch: ScratchTree
    let cache: URL

    static func make() async throws -> Golden {
        let scratch = try SyntheticTree.make(count: names.count)
        let cache = try BuilderImages.cache(in: scratch.directory)
        let build = try await CLIRunner.run(SyntheticTree.buildArguments(scratch, cache: cache, runner: "bwrap") + ["--no-bootstrap"], cache: cache)
        try #require(build.status == 0, "\(build.stderr)")
        return Golden(scratch: scratch, cache: cache)
    }
}
