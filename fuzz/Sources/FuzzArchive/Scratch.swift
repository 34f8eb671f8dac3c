import Foundation

/// The files of one fuzzing process: `input` (the archive under test), `work/outside.txt`
/// (a sentinel no extraction may touch) and `work/dest` (the destination, removed after each
/// input). `PKGTREE_FUZZ_SCRATCH` picks the parent directory (fuzz/run.sh uses a tmpfs).
struct Scratch: Sendable {
    let input: URL
    let work: URL
    let sentinel: URL
    let destination: URL
    static let sentinelText = Data("sentinel\n".utf8)

    init() {
        let parent = ProcessInfo.processInfo.environment["PKGTREE_FUZZ_SCRATCH"].map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory
        let root = parent.appendingPathComponent("pkgtree-fuzz-archive-\(getpid())")
        input = root.appendingPathComponent("input")
        work = root.appendingPathComponent("work")
        sentinel = work.appendingPathComponent("outside.txt")
        destination = work.appendingPathComponent("dest")
        do {
            try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
            try Self.sentinelText.write(to: sentinel)
        } catch {
            fatalError("cannot set up the scratch directory \(root.path): \(error)")
        }
    }

    func prepare(_ archive: Data) {
        do {
            try archive.write(to: input)
        } catch {
            fatalError("cannot write the input to \(input.path): \(error)")
        }
    }

    /// Empties the destination for the next input. Failing to is a finding: the extraction
    /// left something even root cannot remove.
    func clean() {
        guard FileManager.default.fileExists(atPath: destination.path) else { return }
        do {
            try FileManager.default.removeItem(at: destination)
        } catch {
            fatalError("cannot remove the extraction at \(destination.path): \(error)")
        }
    }
}
