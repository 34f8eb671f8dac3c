import Foundation

/// Bootstrap fragments in `cache verify`, `cache gc` and the repair every command runs on
/// opening the cache, as artifacts are there: a row is dropped before its file is removed,
/// and an id another process holds locked is left alone.
enum FragmentMaintenance {
    /// `cache verify`: every fragment re-hashed against its row; files without a row.
    static func verify(_ index: CacheIndex, arch: Architecture? = nil) throws -> [CacheVerifier.Finding] {
        let layout = index.layout
        let records = try index.fragments(arch: arch)
        var findings = ParallelMap.map(records) { record in
            damage(of: record, layout).map { damage in
                let remedy = damage.isMissing ? "the next bootstrap that needs it makes it again"
                    : "`pkgtree cache repair` removes it, the next bootstrap that needs it makes it again"
                return CacheVerifier.Finding(id: record.id, path: record.path, problem: "the bootstrap fragment \(damage.reason) (\(remedy))")
            }
        }.compactMap { $0 }
        if arch == nil {
            let indexed = Set(records.map(\.path))
            for file in files(layout) where !indexed.contains(layout.relativePath(of: file)) {
                findings.append(CacheVerifier.Finding(id: key(ofFile: file.lastPathComponent)?.id ?? file.lastPathComponent,
                                                      path: layout.relativePath(of: file),
                                                      problem: "the bootstrap fragment has no index row (a leftover; the next pkgtree command removes it)"))
            }
        }
        return findings
    }

    private struct Damage {
        var isMissing: Bool
        var reason: String
    }

    /// What is wrong with a fragment's file (missing, or other bytes than its row's), if anything.
    private static func damage(of record: FragmentRecord, _ layout: CacheLayout) -> Damage? {
        let url = layout.url(ofRelativePath: record.path)
        guard FileStatus.of(url.path)?.kind == .regular else { return Damage(isMissing: true, reason: "is missing") }
        guard let digest = try? FileHasher.sha256(url), digest == record.sha256 else {
            return Damage(isMissing: false, reason: "is corrupt: its sha256 is not the index's \(record.sha256)")
        }
        return nil
    }

    /// `cache repair`: removes every fragment whose file is not what its row says (re-hashed,
    /// as `verify` does), row first; returns what went and why.
    static func discardDamaged(_ index: CacheIndex) throws -> [ArtifactAdoption.Refusal] {
        let layout = index.layout
        let records = try index.fragments()
        let damaged = zip(records, ParallelMap.map(records) { damage(of: $0, layout) }).filter { $0.1 != nil }
        var discarded: [ArtifactAdoption.Refusal] = []
        for (record, _) in damaged {
            try CacheRepair.whenUnlocked(record.id, layout) {
                // Re-read under the lock: the fragment may have been made again meanwhile.
                guard let current = try index.fragment(id: record.id, form: record.form), current.sha256 == record.sha256,
                      let found = damage(of: current, layout) else { return }
                try index.deleteFragment(current)
                try? FileManager.default.removeItem(at: layout.url(ofRelativePath: current.path))
                discarded.append(ArtifactAdoption.Refusal(path: current.path, reason: "the bootstrap fragment \(found.reason); the next bootstrap makes it again"))
            }
        }
        return discarded
    }

    /// Repair: drops rows whose file is gone and removes files without a row (all of them
    /// after the index was rebuilt from the artifacts: fragments are not adopted, the next
    /// bootstrap makes them again).
    static func repair(_ index: CacheIndex, into report: inout CacheRepair.Report) throws {
        let layout = index.layout
        for record in try index.fragments() where FileStatus.of(layout.url(ofRelativePath: record.path).path) == nil {
            try CacheRepair.whenUnlocked(record.id, layout) {
                guard let current = try index.fragment(id: record.id, form: record.form),
                      FileStatus.of(layout.url(ofRelativePath: current.path).path) == nil else { return }
                try index.deleteFragment(current)
                report.droppedRows.append("\(record.id) (bootstrap fragment \(record.form))")
            }
        }
        let indexed = Set(try index.fragments().map(\.path))
        for file in files(layout) where !indexed.contains(layout.relativePath(of: file)) {
            guard let (id, form) = key(ofFile: file.lastPathComponent) else { continue }
            try CacheRepair.whenUnlocked(id, layout) {
                // Re-read under the lock: the row may have been committed meanwhile.
                let relativePath = layout.relativePath(of: file)
                if try index.fragment(id: id, form: form)?.path == relativePath { return }
                try FileManager.default.removeItem(at: file)
                report.removedFragments.append(relativePath)
            }
        }
    }

    /// `cache gc`: removes the fragments whose artifact is gone or was stored again with
    /// other bytes, and, when `currentForm` is given, those made in another form (another
    /// `SOURCE_DATE_EPOCH` or xz level) than the bootstraps made now.
    static func collect(_ index: CacheIndex, currentForm: String?) throws -> [FragmentRecord] {
        var doomed = try index.orphanFragments()
        if let currentForm {
            let orphans = Set(doomed.map(\.path))
            doomed += try index.fragments().filter { $0.form != currentForm && !orphans.contains($0.path) }
        }
        var removed: [FragmentRecord] = []
        for record in doomed {
            try CacheRepair.whenUnlocked(record.id, index.layout) {
                try index.deleteFragment(record)
                try? FileManager.default.removeItem(at: index.layout.url(ofRelativePath: record.path))
                removed.append(record)
            }
        }
        return removed
    }

    /// Every `fragments/<arch>/<name>/*.xz`.
    static func files(_ layout: CacheLayout) -> [URL] {
        let entries = { (directory: URL) in ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).sorted() }
        return entries(layout.fragments).flatMap { arch in
            entries(layout.fragments.child(arch)).flatMap { name in
                let directory = layout.fragments.child(arch).child(name)
                return entries(directory).filter { $0.hasSuffix(FragmentRecord.fileSuffix) }.map { directory.child($0) }
            }
        }
    }

    /// `<id>.<form>.xz` -> id and form (a form has no dot; an id may).
    static func key(ofFile name: String) -> (id: String, form: String)? {
        guard name.hasSuffix(FragmentRecord.fileSuffix) else { return nil }
        let stem = name.dropLast(FragmentRecord.fileSuffix.count)
        guard let dot = stem.lastIndex(of: "."), dot != stem.startIndex else { return nil }
        return (String(stem[..<dot]), String(stem[stem.index(after: dot)...]))
    }
}

extension CacheVerifier {
    /// `pkgtree cache verify`: re-hashes every bootstrap fragment against its index row.
    public static func fragments(_ index: CacheIndex, arch: Architecture? = nil) throws -> [Finding] {
        try FragmentMaintenance.verify(index, arch: arch)
    }
}

extension CacheCollector {
    /// `cache gc`: removes bootstrap fragments whose artifact is gone (or was stored again
    /// with other bytes), and with `form`, those of any other form; returns what went.
    public static func collectFragments(in index: CacheIndex, keepingOnly form: String?) throws -> [FragmentRecord] {
        try FragmentMaintenance.collect(index, currentForm: form)
    }
}
