import Foundation
import PkgTreeKit

/// Text and JSON for the `cache` subcommands.
enum CacheReport {
    static func table(_ records: [ArtifactRecord]) -> String {
        guard !records.isEmpty else { return "the cache is empty\n" }
        let formatter = ISO8601DateFormatter()
        return records.map { record in
            let date = formatter.string(from: Date(timeIntervalSince1970: record.createdAt))
            return "\(record.arch)\t\(record.id)\t\(bytes(record.size))\t\(date)\n"
        }.joined()
    }

    static func jsonLines(_ records: [ArtifactRecord]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return records.compactMap { record in
            (try? encoder.encode(record)).map { String(decoding: $0, as: UTF8.self) + "\n" }
        }.joined()
    }

    static func statistics(_ rows: [(arch: String, count: Int, bytes: Int64)]) -> String {
        var lines = ["arch      artifacts  size"]
        for row in rows {
            lines.append(row.arch.padding(toLength: 10, withPad: " ", startingAt: 0)
                         + String(row.count).padding(toLength: 11, withPad: " ", startingAt: 0) + bytes(row.bytes))
        }
        let total = rows.reduce((0, Int64(0))) { ($0.0 + $1.count, $0.1 + $1.bytes) }
        lines.append("total     " + String(total.0).padding(toLength: 11, withPad: " ", startingAt: 0) + bytes(total.1))
        return lines.joined(separator: "\n") + "\n"
    }

    /// What opening the cache did to heal its index.
    static func print(_ recovery: IndexRecovery) {
        if let aside = recovery.movedAside {
            Console.error("pkgtree: \(DisplayPath.of(aside.original)) could not be used (\(aside.reason)); moved it aside to \(DisplayPath.of(aside.path))")
        }
        if !recovery.isEmpty { Console.error("pkgtree: \(recovery.summary)") }
    }

    /// What repair did with a killed process's leftovers.
    static func print(_ report: CacheRepair.Report, layout: CacheLayout) {
        for id in report.droppedRows { Console.error("repair: dropped the index row of \(id): its file is missing") }
        for path in report.rowless.adopted { Console.error("repair: adopted \(path): it had no index row, and is intact") }
        for refusal in report.rowless.refused { Console.error("repair: removed \(refusal.path): it had no index row, and \(refusal.reason)") }
        for path in report.removedCopies { Console.error("repair: removed \(path): its artifact is no longer in the cache") }
        if !report.removedFragments.isEmpty {
            Console.error("repair: removed \(report.removedFragments.count) bootstrap fragment(s) without an index row from \(DisplayPath.of(layout.fragments)); the next bootstrap makes them again")
        }
        if !report.removedStaging.isEmpty {
            Console.error("repair: removed \(report.removedStaging.count) leftover staging file(s) from \(layout.tmp.path)")
        }
    }

    static func bytes(_ count: Int64) -> String {
        ByteCountFormatter.string(fromByteCount: count, countStyle: .binary)
    }
}
