import Foundation
import PkgTreeKit

/// What `pkgtree build` prints: one line per event, then a summary.
enum BuildReport {
    static func plain(_ event: TreeBuild.Event) {
        switch event {
        case .cached(let name, _): Console.output("cached   \(name)\n")
        case .started(let name, let id, let position, let total): Console.output("[\(position)/\(total)] building \(name) (\(id))\n")
        case .built(let name, _, let seconds, _): Console.output("built    \(name) in \(String(format: "%.1f", seconds)) s\n")
        case .skipped(let name, let reason): Console.output("skipped  \(name): \(reason)\n")
        case .failed(let name, _, let reason, let log):
            Console.output("FAILED   \(name): \(reason)\n")
            Console.error(tail(of: log, lines: 30))
            Console.error("full log: \(log.path)")
        case .interrupted(let name, _, _): Console.output("stopped  \(name): interrupted\n")
        }
    }

    /// One JSON object per line, for other tools.
    static func json(_ event: TreeBuild.Event, arch: Architecture) {
        var fields: [String: JSONValue] = ["arch": .string(arch.rawValue)]
        switch event {
        case .cached(let name, let id):
            fields.merge(["event": "cached", "package": .string(name), "id": .string(id)]) { $1 }
        case .started(let name, let id, let position, let total):
            fields.merge(["event": "started", "package": .string(name), "id": .string(id),
                          "position": .int(position), "total": .int(total)]) { $1 }
        case .built(let name, let id, let seconds, let log):
            fields.merge(["event": "finished", "package": .string(name), "id": .string(id),
                          "seconds": .double(seconds), "log": .string(log.path)]) { $1 }
        case .failed(let name, let id, let reason, let log):
            fields.merge(["event": "failed", "package": .string(name), "id": .string(id),
                          "reason": .string(reason), "log": .string(log.path)]) { $1 }
        case .interrupted(let name, let id, let log):
            fields.merge(["event": "interrupted", "package": .string(name), "id": .string(id), "log": .string(log.path)]) { $1 }
        case .skipped(let name, let reason):
            fields.merge(["event": "skipped", "package": .string(name), "reason": .string(reason)]) { $1 }
        }
        Console.output(PlanReport.jsonLine(.object(fields)))
    }

    static func jsonSummary(_ summary: TreeBuild.Summary, plan: BuildPlan) -> String {
        PlanReport.jsonLine(.object([
            "event": "summary", "arch": .string(plan.arch.rawValue),
            "built": .array(summary.built.map(JSONValue.string)),
            "cached": .array(summary.cached.map(JSONValue.string)),
            "failed": .array(summary.failed.map { .object(["package": .string($0.name), "log": .string($0.log.path)]) }),
            "skipped": .array(summary.skipped.map { .object(["package": .string($0.name), "reason": .string($0.reason)]) }),
            "interrupted": .array(summary.interrupted.map(JSONValue.string)),
            "unsupported": .array(plan.unsupported.map { .object(["package": .string($0.name), "reason": .string($0.reason)]) }),
        ]))
    }

    static func summary(_ summary: TreeBuild.Summary, plan: BuildPlan) -> String {
        var lines = ["\(plan.arch): \(summary.built.count) built, \(summary.cached.count) cached, \(summary.failed.count) failed, \(summary.skipped.count) skipped, \(plan.unsupported.count) unsupported"]
        if summary.built.isEmpty && summary.failed.isEmpty && summary.skipped.isEmpty {
            lines.append("everything is cached; nothing to build")
        }
        for failure in summary.failed { lines.append("  failed: \(failure.name) (log: \(failure.log.path))") }
        if !summary.interrupted.isEmpty {
            lines.append("  interrupted: \(summary.interrupted.joined(separator: ", ")) (nothing of theirs was stored; the next build starts them again)")
        }
        for item in plan.unsupported + plan.skipped { lines.append("  not built: \(item.name): \(item.reason)") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The last `lines` lines of a log, for a failed build.
    static func tail(of log: URL, lines: Int) -> String {
        guard let text = try? String(contentsOf: log, encoding: .utf8) else { return "(no log at \(log.path))" }
        let all = text.split(separator: "\n", omittingEmptySubsequences: false)
        return all.suffix(lines + 1).joined(separator: "\n")
    }
}
