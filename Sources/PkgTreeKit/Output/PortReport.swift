/// `pkgtree port` output: one compiler-style line per change (`path:line:column: kind: what`,
/// or `path: kind: what` for a directory), then a summary; or one JSON document for tools.
public enum PortReport {
    public static func text(_ plan: PortPlan, written: Bool) -> String {
        var lines = plan.changes.map { change in
            let place = change.line > 0 ? "\(change.file):\(change.line):\(change.column)" : change.file
            return "\(place): \(change.kind.rawValue): \(change.folded ? "" : "not folded: review: ")\(change.message)"
        }
        let review = plan.packagesToReview.count
        let unchanged = plan.compared.count - Set(plan.changes.compactMap(\.package)).intersection(plan.compared).count
        lines.append("port to \(plan.target) from \(DisplayPath.of(plan.fork)) (\(plan.base) stays as it was): "
                     + "\(PlanReport.count(plan.compared.count, "package")) compared: \(plan.packagesFolded) folded, "
                     + "\(review) to review, \(unchanged) unchanged; "
                     + "\(PlanReport.count(plan.overlaysWritten, "overlay")) written, "
                     + "\(PlanReport.count(plan.scriptsUnified, "script")) unified, "
                     + "\(PlanReport.count(plan.scriptsPerArchitecture, "script")) kept per architecture; "
                     + "only in this tree: \(list(plan.onlyHere)); only in the fork: \(list(plan.onlyInFork))")
        if plan.writes.isEmpty {
            lines.append("nothing to write")
        } else if written {
            lines.append("wrote \(PlanReport.count(plan.writes.count, "file")): \(plan.writes.joined(separator: ", "))")
        } else {
            lines.append("dry run: nothing written; --write writes \(PlanReport.count(plan.writes.count, "file")): \(plan.writes.joined(separator: ", "))")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public static func json(_ plan: PortPlan, written: Bool) -> String {
        let changes = plan.changes.map { change -> JSONValue in
            .object([
                "file": .string(change.file), "line": .int(change.line), "column": .int(change.column),
                "package": change.package.map(JSONValue.string) ?? .null, "kind": .string(change.kind.rawValue),
                "message": .string(change.message), "folded": .bool(change.folded),
            ])
        }
        let touched = Set(plan.changes.compactMap(\.package)).intersection(plan.compared)
        let document = JSONValue.object([
            "arch": .string(plan.target.rawValue),
            "base_arch": .string(plan.base.rawValue),
            "tree": .string(DisplayPath.of(plan.tree)),
            "fork": .string(DisplayPath.of(plan.fork)),
            "changes": .array(changes),
            "writes": .array(plan.writes.map(JSONValue.string)),
            "written": .bool(written),
            "summary": .object([
                "compared": .int(plan.compared.count),
                "folded": .int(plan.packagesFolded),
                "to_review": .int(plan.packagesToReview.count),
                "unchanged": .int(plan.compared.count - touched.count),
                "overlays_written": .int(plan.overlaysWritten),
                "scripts_unified": .int(plan.scriptsUnified),
                "scripts_per_arch": .int(plan.scriptsPerArchitecture),
                "only_here": .array(plan.onlyHere.map(JSONValue.string)),
                "only_in_fork": .array(plan.onlyInFork.map(JSONValue.string)),
            ]),
        ])
        return PlanReport.jsonLine(document)
    }

    private static func list(_ names: [String]) -> String {
        names.isEmpty ? "none" : names.joined(separator: ", ")
    }
}
