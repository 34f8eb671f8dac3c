import Foundation
import PkgTreeKit

/// What `pkgtree build` prints: one line per event, then a summary per architecture.
enum BuildReport {
    /// One architecture's part of a run, as the summary shows it.
    struct ArchResult {
        var plan: BuildPlan
        var summary: TreeBuild.Summary
        /// The bootstrap a full build made (or found up to date).
        var bootstrap: Bootstrapper.Result?
    }

    /// The line plain mode prints for an event, which the live progress also writes above its
    /// block; `showingArch` when the run builds several architectures.
    static func line(_ event: TreeBuild.Event, showingArch: Bool) -> String {
        let label = event.label(showingArch: showingArch)
        switch event.kind {
        case .cached: return "cached   \(label)"
        case .started(let position, let total, _): return "[\(position)/\(total)] building \(label) (\(event.id))"
        case .built(let seconds, _): return "built    \(label) in \(String(format: "%.1f", seconds)) s"
        case .skipped(let reason): return "skipped  \(label): \(reason)"
        case .failed(let reason, _): return "FAILED   \(label): \(reason)"
        case .interrupted: return "stopped  \(label): interrupted"
        }
    }

    /// For a failed build: the end of its log (the script's last lines, not pkgtree's header
    /// with the runner's command line), and where the whole log is.
    static func failureDetails(_ log: URL) -> String {
        let tail = BuildLog.failureTail(of: log).map { $0.map { $0 + "\n" }.joined() } ?? "(no log at \(log.path))\n"
        return tail + "full log: \(log.path)\n"
    }

    /// One JSON object per line, for other tools.
    static func json(_ event: TreeBuild.Event) {
        var fields: [String: JSONValue] = ["arch": .string(event.arch.rawValue), "package": .string(event.name)]
        switch event.kind {
        case .cached:
            fields.merge(["event": "cached", "id": .string(event.id)]) { $1 }
        case .started(let position, let total, let log):
            fields.merge(["event": "started", "id": .string(event.id), "position": .int(position), "total": .int(total),
                          "log": .string(log.path)]) { $1 }
        case .built(let seconds, let log):
            fields.merge(["event": "finished", "id": .string(event.id), "seconds": .double(seconds), "log": .string(log.path)]) { $1 }
        case .failed(let reason, let log):
            fields.merge(["event": "failed", "id": .string(event.id), "reason": .string(reason), "log": .string(log.path)]) { $1 }
        case .skipped(let reason):
            fields.merge(["event": "skipped", "reason": .string(reason)]) { $1 }
        case .interrupted(let log):
            fields.merge(["event": "interrupted", "id": .string(event.id), "log": .string(log.path)]) { $1 }
        }
        Console.output(PlanReport.jsonLine(.object(fields)))
    }

    /// One summary object per architecture.
    static func jsonSummary(_ results: [ArchResult]) -> String {
        results.map { result in
            let (summary, plan) = (result.summary, result.plan)
            return PlanReport.jsonLine(.object([
                "event": "summary", "arch": .string(plan.arch.rawValue), "variant": plan.treeVariant.map(JSONValue.string) ?? .null,
                "built": .array(summary.built.map(JSONValue.string)),
                "cached": .array(summary.cached.map(JSONValue.string)),
                "failed": .array(summary.failed.map { .object(["package": .string($0.name), "log": .string($0.log.path)]) }),
                "skipped": .array(summary.skipped.map { .object(["package": .string($0.name), "reason": .string($0.reason)]) }),
                "interrupted": .array(summary.interrupted.map(JSONValue.string)),
                "unsupported": .array(plan.unsupported.map { .object(["package": .string($0.name), "reason": .string($0.reason)]) }),
                "bootstrap": result.bootstrap.map { .object(["id": .string($0.id), "path": .string($0.tarball.path),
                                                             "reused": .bool($0.reused),
                                                             "fragments_made": $0.fragmentsMade.map(JSONValue.int) ?? .null]) } ?? .null,
            ]))
        }.joined()
    }

    /// One line per architecture, each followed by what failed or was not built there.
    static func summary(_ results: [ArchResult]) -> String {
        var lines = results.flatMap(summaryLines)
        if results.allSatisfy({ $0.summary.built.isEmpty && $0.summary.failed.isEmpty && $0.summary.skipped.isEmpty }) {
            lines.append("everything is cached; nothing to build")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func summaryLines(_ result: ArchResult) -> [String] {
        let (summary, plan) = (result.summary, result.plan)
        let variant = plan.treeVariant.map { " (\($0))" } ?? ""
        var lines = ["\(plan.arch)\(variant): \(summary.built.count) built, \(summary.cached.count) cached, \(summary.failed.count) failed, \(summary.skipped.count) skipped, \(plan.unsupported.count) unsupported"]
        for failure in summary.failed { lines.append("  failed: \(failure.name) (log: \(failure.log.path))") }
        if !summary.interrupted.isEmpty {
            lines.append("  interrupted: \(summary.interrupted.joined(separator: ", ")) (nothing of theirs was stored; the next build starts them again)")
        }
        for item in plan.unsupported + plan.skipped { lines.append("  not built: \(item.name): \(item.reason)") }
        if let bootstrap = result.bootstrap {
            let fragments = bootstrap.fragmentsMade.map { " (\($0) bootstrap fragment\($0 == 1 ? "" : "s") made)" } ?? ""
            lines.append("  bootstrap: \(DisplayPath.of(bootstrap.tarball))\(bootstrap.reused ? " (up to date)" : fragments)")
            lines += bootstrap.repairs.map { "  repair: \($0); made it again" }
        }
        return lines
    }
}
