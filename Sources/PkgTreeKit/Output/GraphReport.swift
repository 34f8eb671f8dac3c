/// `pkgtree graph`: the dependency DAG as Graphviz dot or JSON. Edges point from a package to
/// what it requires; packages that cannot be built for the architecture are drawn dashed.
public enum GraphReport {
    public static func dot(_ plan: BuildPlan) -> String {
        var lines = [
            "digraph \(quoted("pkgtree \(plan.arch) \(plan.treeVariant ?? "<default>")")) {",
            "  rankdir=LR;",
            "  node [shape=box, fontname=\"monospace\"];",
        ]
        for package in plan.packages {
            let hash = String(package.hash.prefix(12))
            lines.append("  \(quoted(package.name)) [label=\(quoted("\(PlanReport.label(package.name, package.variant))\n\(hash)"))];")
        }
        for item in plan.unsupported + plan.skipped {
            lines.append("  \(quoted(item.name)) [label=\(quoted("\(PlanReport.label(item.name, item.variant))\n\(item.reason)")), style=dashed, color=gray50, fontcolor=gray40];")
        }
        for (from, to) in edges(plan) {
            lines.append("  \(quoted(from)) -> \(quoted(to));")
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    public static func json(_ plan: BuildPlan) -> String {
        var nodes: [JSONValue] = plan.packages.map { package in
            .object([
                "name": .string(package.name),
                "variant": package.variant.map(JSONValue.string) ?? .null,
                "id": .string(package.id),
                "status": "build",
            ])
        }
        for (status, items) in [("unsupported", plan.unsupported), ("skipped", plan.skipped)] {
            nodes += items.map { item in
                .object(["name": .string(item.name), "variant": item.variant.map(JSONValue.string) ?? .null,
                         "id": .null, "status": .string(status), "reason": .string(item.reason)])
            }
        }
        let document = JSONValue.object([
            "arch": .string(plan.arch.rawValue),
            "variant": plan.treeVariant.map(JSONValue.string) ?? .null,
            "nodes": .array(nodes),
            "edges": .array(edges(plan).map { .object(["from": .string($0.0), "to": .string($0.1)]) }),
        ])
        return CanonicalJSON.string(document) + "\n"
    }

    /// (package, required package) pairs, sorted.
    static func edges(_ plan: BuildPlan) -> [(String, String)] {
        var result: [(String, String)] = []
        for package in plan.packages {
            result += package.requires.map { (package.name, plan.packages[$0].name) }
        }
        for item in plan.unsupported + plan.skipped {
            result += item.requires.map { (item.name, $0) }
        }
        return result.sorted { ($0.0, $0.1) < ($1.0, $1.1) }
    }

    private static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n") + "\""
    }
}
