import Foundation

/// Text and JSON for the `cache` subcommands, and what opening the cache healed.
public enum CacheReport {
    public static func table(_ records: [ArtifactRecord]) -> String {
        guard !records.isEmpty else { return "the cache is empty\n" }
        let formatter = ISO8601DateFormatter()
        return records.map { record in
            let date = formatter.string(from: Date(timeIntervalSince1970: record.createdAt))
            return "\(record.arch)\t\(record.id)\t\(ByteCount.text(record.size))\t\(date)\n"
        }.joined()
    }

    public static func jsonLines(_ records: [ArtifactRecord]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return records.compactMap { record in
            (try? encoder.encode(record)).map { String(decoding: $0, as: UTF8.self) + "\n" }
        }.joined()
    }

    public static func statistics(_ rows: [(arch: String, count: Int, bytes: Int64)]) -> String {
        var lines = ["arch      artifacts  size"]
        for row in rows {
            lines.append(row.arch.padding(toLength: 10, withPad: " ", startingAt: 0)
                         + String(row.count).padding(toLength: 11, withPad: " ", startingAt: 0) + ByteCount.text(row.bytes))
        }
        let total = rows.reduce((0, Int64(0))) { ($0.0 + $1.count, $0.1 + $1.bytes) }
        lines.append("total     " + String(total.0).padding(toLength: 11, withPad: " ", startingAt: 0) + ByteCount.text(total.1))
        return lines.joined(separator: "\n") + "\n"
    }

    /// `cache stats`, after the artifacts: the bootstrap fragments.
    public static func fragmentTotal(_ fragments: [FragmentRecord]) -> String {
        "bootstrap fragments: \(fragments.count), \(ByteCount.text(fragments.reduce(Int64(0)) { $0 + $1.size }))\n"
    }

    /// `cache verify`: each problem, then a verdict on the artifacts and, when there are any,
    /// on the bootstrap fragments.
    public static func verified(artifacts: Int, _ findings: [CacheVerifier.Finding],
                                fragments: Int, _ fragmentFindings: [CacheVerifier.Finding]) -> String {
        var text = (findings + fragmentFindings).map { "\($0)\n" }.joined()
        text += "verified \(artifacts) artifact(s): \(verdict(findings))\n"
        if fragments > 0 || !fragmentFindings.isEmpty {
            text += "verified \(fragments) bootstrap fragment(s): \(verdict(fragmentFindings))\n"
        }
        return text
    }

    private static func verdict(_ findings: [CacheVerifier.Finding]) -> String {
        findings.isEmpty ? "all good" : "\(findings.count) problem(s)"
    }

    /// `cache gc`: each artifact removed, then the total.
    public static func collected(_ removed: [ArtifactRecord]) -> String {
        removed.map { "removed \($0.path)\n" }.joined()
            + "removed \(removed.count) artifact(s), \(ByteCount.text(removed.reduce(Int64(0)) { $0 + $1.size }))\n"
    }

    /// `cache gc`: the bootstrap fragments removed (said only when there are some).
    public static func collected(_ fragments: [FragmentRecord]) -> String {
        "removed \(fragments.count) bootstrap fragment(s), \(ByteCount.text(fragments.reduce(Int64(0)) { $0 + $1.size }))\n"
    }

    /// What opening the cache did to heal its index, one message per line, for stderr.
    public static func lines(_ recovery: IndexRecovery) -> [String] {
        var lines: [String] = []
        if let aside = recovery.movedAside {
            lines.append("pkgtree: \(DisplayPath.of(aside.original)) could not be used (\(aside.reason)); moved it aside to \(DisplayPath.of(aside.path))")
        }
        if !recovery.isEmpty { lines.append("pkgtree: \(recovery.summary)") }
        return lines
    }

    /// `cache gc` and `cache repair` while a process builds: unpacked copies stay.
    /// `cache gc`: what it left because a running build needs it, for stderr.
    public static func keptForRunningBuilds(_ kept: [ArtifactRecord]) -> String {
        "pkgtree: kept \(kept.count) artifact(s) that a running build needs (\(kept.map(\.name).sorted().joined(separator: ", "))); "
            + "a `pkgtree cache gc` after it ends removes them"
    }

    public static func copiesKeptInUse(_ layout: CacheLayout) -> String {
        "pkgtree: a build is running, so unpacked copies in \(DisplayPath.of(layout.unpacked)) were kept; the next `pkgtree cache gc` or `pkgtree cache repair` with no build running removes those whose artifact is gone"
    }

    /// What repair did with a killed process's leftovers, one message per line, for stderr.
    public static func lines(_ report: CacheRepair.Report, layout: CacheLayout) -> [String] {
        var lines: [String] = []
        for id in report.droppedRows { lines.append("repair: dropped the index row of \(id): its file is missing") }
        for path in report.rowless.adopted { lines.append("repair: adopted \(path): it had no index row, and is intact") }
        for refusal in report.rowless.refused { lines.append("repair: removed \(refusal.path): it had no index row, and \(refusal.reason)") }
        for path in report.removedCopies { lines.append("repair: removed \(path): its artifact is no longer in the cache") }
        if !report.removedFragments.isEmpty {
            lines.append("repair: removed \(report.removedFragments.count) bootstrap fragment(s) without an index row from \(DisplayPath.of(layout.fragments)); the next bootstrap makes them again")
        }
        if !report.removedStaging.isEmpty {
            lines.append("repair: removed \(report.removedStaging.count) leftover staging file(s) from \(layout.tmp.path)")
        }
        return lines
    }
}
