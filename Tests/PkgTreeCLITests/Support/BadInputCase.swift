import Foundation

/// One case of the bad-input corpus, `Fixtures/BadInput/<name>/`: a `packages/` tree, the
/// command to run on it and what must come out, read from its `expect.json`. What git cannot
/// or should not hold (non-UTF-8 names, FIFOs, huge files, hostile archives) is added at test
/// time by the case's generator in `BadInputGenerators`. The folder's README.md says more.
struct BadInputCase: Sendable, CustomStringConvertible {
    struct Expectation: Decodable, Sendable {
        /// pkgtree's arguments; `--packages <the case's tree>` is appended.
        var command: [String]
        var exit: Int32
        var stderrContains: [String]?
        var stdoutContains: [String]?
        /// What the generator adds; set exactly when the case has one.
        var generated: String?
        /// `builder-images` for cases that must reach fetching or building.
        var needs: String?
        /// For those: the packages whose artifacts the run leaves in the cache.
        var stored: [String]?
        /// Runs pkgtree with its address space limited to this many MiB (`ulimit -v`), for
        /// cases that prove a huge input is streamed rather than read into memory.
        var addressSpaceMib: Int?
        /// A command-line mistake, which ArgumentParser reports as "Error: …" with the usage.
        var usageError: Bool?
        /// Why the case exists and why this outcome is the right one.
        var notes: String

        /// The keys above as expect.json spells them; any other key is a typo that would
        /// silently drop a check.
        static let keys: Set<String> = ["command", "exit", "stderr_contains", "stdout_contains", "generated", "needs",
                                        "stored", "address_space_mib", "usage_error", "notes"]
    }

    var name: String
    var directory: URL
    var expect: Expectation
    var description: String { name }

    var needsBuilderImages: Bool { expect.needs == "builder-images" }

    static let corpus = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/BadInput")

    /// Every case in the corpus, sorted by name.
    static func all() throws -> [BadInputCase] {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try FileManager.default.contentsOfDirectory(atPath: corpus.path).sorted().compactMap { name in
            let directory = corpus.appendingPathComponent(name)
            let file = directory.appendingPathComponent("expect.json")
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
                return nil  // README.md
            }
            do {
                let data = try Data(contentsOf: file)
                let keys = Set((try JSONSerialization.jsonObject(with: data) as? [String: Any])?.keys ?? [:].keys)
                guard keys.isSubset(of: Expectation.keys) else {
                    throw CorpusError(message: "unknown keys \(keys.subtracting(Expectation.keys).sorted())")
                }
                return BadInputCase(name: name, directory: directory, expect: try decoder.decode(Expectation.self, from: data))
            } catch {
                throw CorpusError(message: "\(name)/expect.json: \(error)")
            }
        }
    }

    struct CorpusError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    /// A scratch copy of the case (its `packages/`, and a `pkgtree.json` beside it if it has
    /// one), with whatever its generator adds.
    func materialize() async throws -> ScratchTree {
        let scratch = try ScratchTree([:])
        try FileManager.default.createDirectory(at: scratch.packages, withIntermediateDirectories: true)
        for entry in try FileManager.default.contentsOfDirectory(atPath: directory.path) where entry != "expect.json" {
            let target = scratch.directory.appendingPathComponent(entry)
            try? FileManager.default.removeItem(at: target)
            try FileManager.default.copyItem(at: directory.appendingPathComponent(entry), to: target)
        }
        guard let generator = BadInputGenerators.all[name] else {
            if expect.generated != nil { throw CorpusError(message: "\(name): expect.json says 'generated' but no generator has its name") }
            return scratch
        }
        guard expect.generated != nil else { throw CorpusError(message: "\(name): has a generator; say what it adds in 'generated'") }
        try await generator(scratch)
        return scratch
    }
}
