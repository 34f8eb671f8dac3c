import Foundation

/// The fragments a bootstrap is concatenated from: each package's from the cache when one
/// was made from its artifact as it is now, in this form; the others made from the artifacts,
/// `jobs` at once, each with its share of the cores for xz (liblzma's encoder uses one
/// thread per block of 24 MiB, so a small package keeps one core busy and a large one more).
struct BootstrapFragments {
    var store: FragmentStore
    var installRoot: String
    var arch: Architecture
    /// The bootstrap's options; each fragment gets `threads / jobs` of its threads.
    var options: PackOptions
    var jobs: Int

    struct Fragment {
        var record: FragmentRecord
        var copied: CopiedEntries
    }

    struct Prepared {
        /// By package id.
        var fragments: [String: Fragment]
        /// Fragments made by this run (the others were in the cache).
        var made: Int
    }

    var form: String { FragmentForm.key(options) }

    /// `artifactSHA256`: the recorded sha256 of each package's artifact, by id.
    func prepare(_ packages: [BootstrapPackage], artifactSHA256: [String: String]) async throws -> Prepared {
        let wanted = Dictionary(packages.map { ($0.id, want($0, artifactSHA256[$0.id] ?? "")) }) { first, _ in first }
        var fragments: [String: Fragment] = [:]
        for (id, record) in try store.usable(Array(wanted.values)) {
            if let copied = FragmentListing.decode(record.listing) {
                fragments[id] = Fragment(record: record, copied: copied)
            } else {
                try await store.discard(record)
            }
        }
        let missing = packages.filter { fragments[$0.id] == nil }.map { ($0, wanted[$0.id]!) }
        let fragmentOptions = PackOptions(compressionLevel: options.compressionLevel, threads: max(1, options.threads / jobs),
                                          modificationTime: options.modificationTime)
        let (store, installRoot) = (store, installRoot)
        // `jobs` fragments at once, each started when one ends; every failure is collected, so
        // that one run names every package whose fragment could not be made.
        let results = await withTaskGroup(of: Result<(Fragment, made: Bool), Error>.self) { group in
            var pending = missing.makeIterator()
            func startNext() -> Bool {
                guard let (package, wanted) = pending.next() else { return false }
                group.addTask {
                    do {
                        return .success(try await Self.make(package, wanted, store: store, installRoot: installRoot, options: fragmentOptions))
                    } catch {
                        return .failure(error)
                    }
                }
                return true
            }
            for _ in 0..<max(1, jobs) where !startNext() { break }
            var results: [Result<(Fragment, made: Bool), Error>] = []
            while let result = await group.next() {
                results.append(result)
                _ = startNext()
            }
            return results
        }
        var made = 0
        var problems: [Problem] = []
        for result in results {
            switch result {
            case .success(let (fragment, isNew)):
                fragments[fragment.record.id] = fragment
                if isNew { made += 1 }
            case .failure(let error as Problems):
                problems += error.all
            case .failure(let error):
                throw error
            }
        }
        if !problems.isEmpty { throw Problems(problems) }
        return Prepared(fragments: fragments, made: made)
    }

    private func want(_ package: BootstrapPackage, _ artifactSHA256: String) -> FragmentStore.Wanted {
        FragmentStore.Wanted(id: package.id, name: package.name, arch: arch.rawValue, form: form, artifactSHA256: artifactSHA256)
    }

    /// Writes `package`'s fragment from its artifact into the cache (unless another process
    /// made it meanwhile).
    private static func make(_ package: BootstrapPackage, _ wanted: FragmentStore.Wanted, store: FragmentStore,
                             installRoot: String, options: PackOptions) async throws -> (Fragment, made: Bool) {
        let (record, madeHere) = try await store.make(wanted) { staging in
            let writer = try ArchiveWriter(writingTo: staging, options: options, form: .fragment)
            let entries = try PackageEntries.write(package, installRoot: installRoot, into: writer)
            let result = try writer.finish()
            return (FragmentStore.Contents(tarBytes: result.uncompressedBytes, listing: try FragmentListing(entries).encoded()), entries)
        }
        guard let entries = madeHere ?? FragmentListing.decode(record.listing) else {
            throw IOError(record.path, "the listing of this bootstrap fragment, made by another process, cannot be read")
        }
        return (Fragment(record: record, copied: entries), madeHere != nil)
    }
}
