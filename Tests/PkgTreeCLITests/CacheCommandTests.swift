import Foundation
import Testing
import RegistryTestSupport

/// `pkgtree cache …` as a user runs it, including processes killed while storing and two
/// processes storing at once.
@Suite struct CacheCommandTests {
    /// A tree of `count` independent packages and, for each x86_64 id, a real tar.xz artifact
    /// made with the system tar.
    struct ImportableTree {
        let scratch: ScratchTree
        let cache: URL
        let artifacts: [URL]

        init(count: Int, payloadBytes: Int = 256 << 10) async throws {
            var files: [String: String] = [:]
            for index in 0..<count {
                files[String(format: "pkg%02d/buildinfo.json", index)] = "{}"
                files[String(format: "pkg%02d/build", index)] = "echo \(index)\n"
            }
            scratch = try ScratchTree(files)
            cache = scratch.directory.appendingPathComponent("cache")
            let plan = try await CLIRunner.run(["plan", "--arch", "x86_64", "--json", "--packages", scratch.packages.path], cache: cache)
            let document = try #require(try JSONSerialization.jsonObject(with: Data(plan.stdout.utf8)) as? [String: Any])
            let ids = try #require(document["packages"] as? [[String: Any]]).compactMap { $0["id"] as? String }
            let output = scratch.directory.appendingPathComponent("artifacts")
            var artifacts: [URL] = []
            for id in ids {
                let content = scratch.directory.appendingPathComponent("content-\(id)")
                try FileManager.default.createDirectory(at: content.appendingPathComponent("bin"), withIntermediateDirectories: true)
                var generator = SystemRandomNumberGenerator()
                try Data((0..<payloadBytes).map { _ in UInt8.random(in: 0...255, using: &generator) })
                    .write(to: content.appendingPathComponent("bin/payload"))
                try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
                let artifact = output.appendingPathComponent("\(id).tar.xz")
                let tar = try await CLIRunner.runTool("/usr/bin/tar", ["-cJf", artifact.path, "-C", content.path, "."])
                #expect(tar.status == 0, "\(tar.stderr)")
                artifacts.append(artifact)
            }
            self.artifacts = artifacts
        }

        var importArguments: [String] {
            ["cache", "import", "--arch", "x86_64", "--packages", scratch.packages.path, "--cache", cache.path]
                + artifacts.map(\.path)
        }

        func verify() async throws -> CLIRunner.Outcome {
            try await CLIRunner.run(["cache", "verify", "--cache", cache.path], cache: cache)
        }
    }

    @Test func importedArtifactsAreListedVerifiedAndMarkedCachedByPlan() async throws {
        let tree = try await ImportableTree(count: 3, payloadBytes: 1024)
        let imported = try await CLIRunner.run(tree.importArguments, cache: tree.cache)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.split(separator: "\n").filter { $0.hasPrefix("imported ") }.count == 3)
        let again = try await CLIRunner.run(tree.importArguments, cache: tree.cache)
        #expect(again.stdout.split(separator: "\n").allSatisfy { $0.hasPrefix("already cached ") })

        let list = try await CLIRunner.run(["cache", "ls", "--json"], cache: tree.cache)
        let rows = list.stdout.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        #expect(rows.count == 3)
        #expect(rows.allSatisfy { ($0["sha256"] as? String)?.count == 64 && $0["arch"] as? String == "x86_64" })
        let verify = try await tree.verify()
        #expect(verify.status == 0)
        #expect(verify.stdout.contains("verified 3 artifact(s): all good"))
        let plan = try await CLIRunner.run(["plan", "--arch", "x86_64", "--packages", tree.scratch.packages.path], cache: tree.cache)
        #expect(plan.stdout.contains("0 to build, 3 cached"))
        let stats = try await CLIRunner.run(["cache", "stats"], cache: tree.cache)
        #expect(stats.stdout.contains("x86_64    3"))
    }

    @Test func gcRemovesWhatNoCurrentPlanReferences() async throws {
        let tree = try await ImportableTree(count: 3, payloadBytes: 1024)
        _ = try await CLIRunner.run(tree.importArguments, cache: tree.cache)
        try Data("echo changed\n".utf8).write(to: tree.scratch.packages.appendingPathComponent("pkg01/build"))
        let plan = try await CLIRunner.run(["plan", "--arch", "x86_64", "--packages", tree.scratch.packages.path], cache: tree.cache)
        #expect(plan.stdout.contains("1 to build, 2 cached"))
        let gc = try await CLIRunner.run(["cache", "gc", "--packages", tree.scratch.packages.path], cache: tree.cache)
        #expect(gc.status == 0, "\(gc.stderr)")
        #expect(gc.stdout.contains("removed 1 artifact(s)"))
        #expect(gc.stdout.contains("packages/x86_64/pkg01/"))
        let keep = try await CLIRunner.run(["cache", "gc", "--keep-last", "0"], cache: tree.cache)
        #expect(keep.stdout.contains("removed 2 artifact(s)"))
        #expect(try await tree.verify().stdout.contains("verified 0 artifact(s): all good"))
    }

    @Test func aFlippedByteIsReportedByVerifyWithExitOne() async throws {
        let tree = try await ImportableTree(count: 2, payloadBytes: 1024)
        _ = try await CLIRunner.run(tree.importArguments, cache: tree.cache)
        let victim = tree.artifacts[1]
        let stored = tree.cache.appendingPathComponent("packages/x86_64/pkg01/\(victim.lastPathComponent)")
        var bytes = try Data(contentsOf: stored)
        bytes[bytes.count / 2] ^= 0x40
        try bytes.write(to: stored)
        let verify = try await tree.verify()
        #expect(verify.status == 1)
        #expect(verify.stdout.contains(victim.lastPathComponent.replacingOccurrences(of: ".tar.xz", with: "")))
        #expect(verify.stdout.contains("corrupt"))
        #expect(!verify.stdout.contains(tree.artifacts[0].lastPathComponent.replacingOccurrences(of: ".tar.xz", with: "") + ":"))
    }

    /// An artifact made elsewhere passes the checks a local build's output passes, or nothing
    /// is imported: here a link to /etc/shadow and an undeclared setuid file.
    @Test func importingAnArtifactThatFailsTheOutputChecksStoresNothing() async throws {
        let tree = try await ImportableTree(count: 2, payloadBytes: 1024)
        let content = tree.scratch.directory.appendingPathComponent("hostile")
        try FileManager.default.createDirectory(at: content.appendingPathComponent("bin"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: content.appendingPathComponent("bin/shadow").path, withDestinationPath: "/etc/shadow")
        try Data("#!/bin/sh\n".utf8).write(to: content.appendingPathComponent("bin/su-tool"))
        try FileManager.default.setAttributes([.posixPermissions: 0o4755], ofItemAtPath: content.appendingPathComponent("bin/su-tool").path)
        try FileManager.default.removeItem(at: tree.artifacts[1])
        let tar = try await CLIRunner.runTool("/usr/bin/tar", ["-cJf", tree.artifacts[1].path, "-C", content.path, "."])
        #expect(tar.status == 0, "\(tar.stderr)")
        let imported = try await CLIRunner.run(tree.importArguments, cache: tree.cache)
        #expect(imported.status == 2)
        #expect(imported.stderr.contains("package 'pkg01': symlink check: bin/shadow: is a symbolic link to '/etc/shadow', which is outside the install root"),
                "\(imported.stderr)")
        #expect(imported.stderr.contains("setuid check: bin/su-tool: has the setuid bit (mode 4755)"))
        let list = try await CLIRunner.run(["cache", "ls", "--cache", tree.cache.path], cache: tree.cache)
        #expect(list.stdout.contains("the cache is empty"), "\(list.stdout)")
    }

    @Test func importingAnUnknownIDOrABrokenFileStoresNothingAndExitsTwo() async throws {
        let tree = try await ImportableTree(count: 2, payloadBytes: 1024)
        let stranger = tree.scratch.directory.appendingPathComponent("pkg00--0000000000000000000000000000000000000000.tar.xz")
        try FileManager.default.copyItem(at: tree.artifacts[0], to: stranger)
        let unknown = try await CLIRunner.run(tree.importArguments + [stranger.path], cache: tree.cache)
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("is not a package id of the tree's current plan for x86_64"))
        try Data("not an archive".utf8).write(to: tree.artifacts[1])
        let broken = try await CLIRunner.run(tree.importArguments, cache: tree.cache)
        #expect(broken.status == 2)
        #expect(broken.stderr.contains("not a readable package archive"))
        let list = try await CLIRunner.run(["cache", "ls"], cache: tree.cache)
        #expect(list.stdout.split(separator: "\n").count <= 1)  // at most the first, valid file of the second run
        #expect(try await tree.verify().status == 0)
    }

    @Test(.tags(.slow)) func killedWhileStoringTheNextStartRepairsAndVerifyIsClean() async throws {
        let tree = try await ImportableTree(count: 24)
        // Kills land at random points of a whole import, however long it takes on this
        // machine (checking every archive first, then storing one after another).
        let timing = tree.scratch.directory.appendingPathComponent("timing-cache")
        let clock = ContinuousClock(), started = clock.now
        _ = try await CLIRunner.run(["cache", "import", "--arch", "x86_64", "--packages", tree.scratch.packages.path,
                                     "--cache", timing.path] + tree.artifacts.map(\.path), cache: timing)
        let whole = max(200, Int((clock.now - started) / .milliseconds(1)))
        var moments = SeededFractions(for: "CacheCommandTests/killedWhileStoring")
        var killedMidway = 0
        var partialCaches = 0  // rounds that ended with some but not all artifacts stored
        // At least 24 rounds, and more (up to 60) while too few kills have landed between two
        // stores: on a loaded machine the moments a kill can land there are fewer.
        var round = -1
        while round < 23 || (round < 59 && (killedMidway < 10 || partialCaches < 3)) {
            round += 1
            let latest = round.isMultiple(of: 2) ? whole / 2 : whole
            let delay = Duration.milliseconds(5 + Int(moments.next() * Double(latest - 4)))  // in 5...latest
            if try await CLIRunner.runKilled(tree.importArguments, cache: tree.cache, after: delay).killedWhileRunning { killedMidway += 1 }

            let verify = try await tree.verify()
            #expect(verify.status == 0, "round \(round): \(verify.stdout)\(verify.stderr)")
            #expect(!verify.stdout.contains("no index row"), "round \(round): a half artifact survived")
            let staging = (try? FileManager.default.contentsOfDirectory(atPath: tree.cache.appendingPathComponent("tmp").path)) ?? []
            #expect(staging.isEmpty, "round \(round): staging leftovers \(staging)")
            if let stored = Self.verifiedCount(verify.stdout), stored > 0, stored < tree.artifacts.count { partialCaches += 1 }
            // Start over for some rounds, so kills also land early in a fresh cache.
            if round.isMultiple(of: 3) { try? FileManager.default.removeItem(at: tree.cache) }
        }
        #expect(killedMidway >= 10, "too few kills landed while importing (\(killedMidway)); the test proves little")
        #expect(partialCaches >= 3, "too few kills landed between two stores (\(partialCaches))")
        let finish = try await CLIRunner.run(tree.importArguments, cache: tree.cache)
        #expect(finish.status == 0)
        #expect(try await tree.verify().stdout.contains("verified 24 artifact(s): all good"))
    }

    /// N from "verified N artifact(s): …".
    static func verifiedCount(_ output: String) -> Int? {
        guard let range = output.range(of: "verified ") else { return nil }
        return Int(output[range.upperBound...].prefix { $0.isNumber })
    }

    @Test func twoProcessesStoringTheSameIDsBothSucceedWithOneArtifactEach() async throws {
        let tree = try await ImportableTree(count: 8)
        async let first = CLIRunner.run(tree.importArguments, cache: tree.cache)
        async let second = CLIRunner.run(tree.importArguments, cache: tree.cache)
        let results = try await [first, second]
        #expect(results.allSatisfy { $0.status == 0 }, "\(results.map(\.stderr))")
        let imported = results.flatMap { $0.stdout.split(separator: "\n") }.filter { $0.hasPrefix("imported ") }
        #expect(imported.count == 8)  // every id stored exactly once, by one of the two
        let files = try FileManager.default.subpathsOfDirectory(atPath: tree.cache.appendingPathComponent("packages").path)
            .filter { $0.hasSuffix(".tar.xz") }
        #expect(files.count == 8)
        #expect(try await tree.verify().status == 0)
    }

    /// The unpacked copy a build made of a dependency goes with the dependency's artifact:
    /// removed by `cache gc`, and by repair once its row is gone (here: its file was deleted).
    @Test(.tags(.container), .enabled(if: BuilderImages.available, Comment(rawValue: BuilderImages.missingReason)))
    func gcAndRepairRemoveTheUnpackedCopiesOfRemovedArtifacts() async throws {
        let scratch = try ScratchTree([
            "dep/buildinfo.json": "{}", "dep/build": "mkdir -p \"$PKG_PATH/lib\" && echo v1 > \"$PKG_PATH/lib/dep\"\n",
            "app/buildinfo.json": #"{"requires": ["dep"]}"#, "app/build": "mkdir -p \"$PKG_PATH/share\" && echo app > \"$PKG_PATH/share/app\"\n",
        ])
        let cache = try BuilderImages.cache(in: scratch.directory)
        let common = ["--packages", scratch.packages.path, "--cache", cache.path]
        let copies = cache.appendingPathComponent("unpacked/x86_64")
        func build() async throws -> [String] {
            let build = try await CLIRunner.run(["build", "--arch", "x86_64", "--runner", "bwrap", "--no-bootstrap"] + common, cache: cache)
            #expect(build.status == 0, "\(build.stdout)\(build.stderr)")
            return try FileManager.default.contentsOfDirectory(atPath: copies.path)
        }
        let first = try await build()
        #expect(first.count == 1 && first[0].hasPrefix("dep--"), "\(first)")
        #expect(FileManager.default.fileExists(atPath: copies.appendingPathComponent("\(first[0])/packages/\(first[0])/lib/dep").path))

        try Data("mkdir -p \"$PKG_PATH/lib\" && echo v2 > \"$PKG_PATH/lib/dep\"\n".utf8).write(to: scratch.packages.appendingPathComponent("dep/build"))
        let second = try await build()
        #expect(second.count == 2 && second.contains(first[0]), "both dependencies' copies: \(second)")
        let gc = try await CLIRunner.run(["cache", "gc"] + common, cache: cache)
        #expect(gc.status == 0 && gc.stdout.contains("removed 2 artifact(s)"), "\(gc.stdout)\(gc.stderr)")
        let left = try FileManager.default.contentsOfDirectory(atPath: copies.path)
        #expect(left.count == 1 && left[0] != first[0], "the old dependency's copy went with its artifact: \(left)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: cache.appendingPathComponent("tmp").path).isEmpty)

        let artifact = try #require(try FileManager.default.contentsOfDirectory(atPath: cache.appendingPathComponent("packages/x86_64/dep").path).first)
        try FileManager.default.removeItem(at: cache.appendingPathComponent("packages/x86_64/dep/\(artifact)"))
        let list = try await CLIRunner.run(["cache", "ls", "--cache", cache.path], cache: cache)
        #expect(list.stderr.contains("repair: dropped the index row of \(left[0])"), "\(list.stderr)")
        #expect(list.stderr.contains("repair: removed unpacked/x86_64/\(left[0]): its artifact is no longer in the cache"), "\(list.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: copies.path).isEmpty)
        #expect(try await CLIRunner.run(["cache", "verify", "--cache", cache.path], cache: cache).stderr.isEmpty)
    }
}
