import Foundation

/// What `pkgtree build` and `pkgtree release create` print as text: one line per event, then
/// a summary per architecture. The JSON form is `BuildProgressJSON`.
public enum BuildReport {
    /// The line plain mode prints for an event, which the live progress also writes above its
    /// block; `showingArch` when the run builds several architectures.
    public static func line(_ event: BuildScheduler.Event, showingArch: Bool) -> String {
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
    public static func failureDetails(_ log: URL) -> String {
        let tail = BuildLog.failureTail(of: log).map { $0.map { $0 + "\n" }.joined() } ?? "(no log at \(log.path))\n"
        return tail + "full log: \(log.path)\n"
    }

    /// One line per architecture, each followed by what failed or was not built there.
    public static func summary(_ results: [BuildSession.ArchResult]) -> String {
        var lines = results.flatMap(summaryLines)
        if results.allSatisfy({ $0.summary.built.isEmpty && $0.summary.failed.isEmpty && $0.summary.skipped.isEmpty }) {
            lines.append("everything is cached; nothing to build")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func summaryLines(_ result: BuildSession.ArchResult) -> [String] {
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
