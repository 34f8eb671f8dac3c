/// `--progress json` (docs/cli.md): the schema other tools read. One JSON object per line, keys
/// in canonical (sorted) order: an event object as each package is cached, started, finished,
/// failed, skipped or interrupted, then one `summary` object per architecture.
public enum BuildProgressJSON {
    /// The line of one event, newline included.
    public static func line(_ event: BuildScheduler.Event) -> String {
        PlanReport.jsonLine(object(event))
    }

    /// The lines of the summaries, one per architecture.
    public static func summary(_ results: [BuildSession.ArchResult]) -> String {
        results.map { PlanReport.jsonLine(object($0)) }.joined()
    }

    static func object(_ event: BuildScheduler.Event) -> JSONValue {
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
        return .object(fields)
    }

    static func object(_ result: BuildSession.ArchResult) -> JSONValue {
        let (summary, plan) = (result.summary, result.plan)
        return .object([
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
        ])
    }
}
