import Foundation
import Testing
import RegistryTestSupport

/// The bad-input corpus (`Fixtures/BadInput/`, see its README.md): hostile and broken trees
/// run through the built `pkgtree`, each checked for its exit code and message fragments, for
/// no crash, and for leaving its tree (and `outside/` beside it) untouched.
@Suite struct BadInputCorpusTests {
    /// Cases decided before anything is built: a rejected tree must not even create the cache.
    @Test(arguments: try BadInputCase.all().filter { !$0.needsBuilderImages })
    func caseWithoutBuilding(_ testCase: BadInputCase) async throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("pkgtree-corpus-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        let cache = work.appendingPathComponent("cache")
        try await Self.check(testCase, cache: cache)
        if testCase.expect.exit != 0 {
            #expect(!FileManager.default.fileExists(atPath: cache.path), "a rejected tree must leave the cache alone")
        }
        #expect(!FileManager.default.fileExists(atPath: CLIRunner.output(cache: cache).path))
    }

    /// Cases that are decided only once a build fetches or extracts a source, or runs: the
    /// cache ends with exactly the expected artifacts, only downloads that match their
    /// checksum (a hostile archive may be stored: it is what the buildinfo pins), and no
    /// staging left behind.
    @Test(.tags(.container), .enabled(if: BuilderImages.available, Comment(rawValue: BuilderImages.missingReason)),
          arguments: try BadInputCase.all().filter(\.needsBuilderImages))
    func caseThatBuilds(_ testCase: BadInputCase) async throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("pkgtree-corpus-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: work) }
        let cache = try BuilderImages.cache(in: work)
        try await Self.check(testCase, cache: cache)
        let arch = testCase.expect.command.drop { $0 != "--arch" }.dropFirst().first ?? ""
        let stored = (try? FileManager.default.contentsOfDirectory(atPath: cache.appendingPathComponent("packages/\(arch)").path)) ?? []
        #expect(stored.sorted() == (testCase.expect.stored ?? []).sorted())
        #expect(Self.files(under: cache.appendingPathComponent("tmp")) == [])
        let sources = cache.appendingPathComponent("sources")
        for file in Self.files(under: sources) {
            let (algorithm, hex) = (file.split(separator: "/").first ?? "", file.split(separator: "/").last ?? "")
            let sum = try await CLIRunner.runTool("/usr/bin/\(algorithm)sum", [sources.appendingPathComponent(file).path])
            #expect(sum.stdout.hasPrefix("\(hex) "), "cache/sources/\(file) does not match its checksum")
        }
    }

    /// The README lists every case, and every generator belongs to one.
    @Test func theCorpusIsConsistent() throws {
        let names = try BadInputCase.all().map(\.name)
        let readme = try String(contentsOf: BadInputCase.corpus.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(names.filter { !readme.contains("`\($0)`") } == [], "cases missing from README.md")
        #expect(Set(BadInputGenerators.all.keys).subtracting(names).sorted() == [], "generators without a case")
    }

    static func check(_ testCase: BadInputCase, cache: URL) async throws {
        let scratch = try await testCase.materialize()
        defer { try? FileManager.default.removeItem(at: scratch.directory) }
        let before = scratch.snapshot()
        let arguments = testCase.expect.command + ["--packages", scratch.packages.path]
        let result = try await CLIRunner.run(arguments, in: scratch.directory, cache: cache,
                                             addressSpaceMiB: testCase.expect.addressSpaceMib)
        let output = "stdout:\n\(result.stdout)\nstderr:\n\(result.stderr)"
        #expect(result.status == testCase.expect.exit, "\(output)")
        for fragment in testCase.expect.stderrContains ?? [] {
            #expect(result.stderr.contains(fragment), "stderr lacks \(fragment.debugDescription)\n\(output)")
        }
        for fragment in testCase.expect.stdoutContains ?? [] {
            #expect(result.stdout.contains(fragment), "stdout lacks \(fragment.debugDescription)\n\(output)")
        }
        // A crash, a stack trace or Foundation's bare error codes are never an answer, nor an
        // error that escaped as "Error: …" (ArgumentParser's words, right only for usage errors).
        for symptom in ["Fatal error", "Stack dump", "Current stack trace", "NSCocoaErrorDomain"]
            + (testCase.expect.usageError == true ? [] : ["Error: "]) {
            #expect(!result.stderr.contains(symptom), "\(output)")
        }
        #expect(scratch.snapshot() == before, "pkgtree changed the tree it read (or wrote beside it)")
    }

    /// Regular files below `directory`, relative (none when it does not exist).
    private static func files(under directory: URL) -> [String] {
        (FileManager.default.subpaths(atPath: directory.path) ?? []).filter {
            (try? directory.appendingPathComponent($0).resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true
        }
    }
}
