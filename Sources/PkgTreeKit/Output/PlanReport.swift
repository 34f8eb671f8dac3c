/// `pkgtree plan` output: the build order with ids, as text for people or JSON for tools.
public enum PlanReport {
    /// `cached`: ids already in the cache, marked as such (the rest are to build).
    public static func text(_ plan: BuildPlan, cached: Set<String> = []) -> String {
        var lines: [String] = []
        let variant = plan.treeVariant ?? "<default>"
        let toBuild = plan.packages.count { !cached.contains($0.id) }
        lines.append("\(count(plan.packages.count, "package")) for \(plan.arch) (tree variant \(variant), install root \(plan.installRoot)): \(toBuild) to build, \(plan.packages.count - toBuild) cached; dependencies first:")
        let width = plan.packages.map { label($0.name, $0.variant).count }.max() ?? 0
        let numberWidth = String(plan.packages.count).count
        for (index, package) in plan.packages.enumerated() {
            let number = String(index + 1)
            lines.append(String(repeating: " ", count: numberWidth - number.count + 2) + number + "  "
                         + (cached.contains(package.id) ? "cached" : "build ") + "  "
                         + pad(label(package.name, package.variant), width) + "  " + package.id
                         + (package.isCrossBuild ? "  (cross-built on \(package.buildArch))" : ""))
        }
        section(&lines, "unsupported on \(plan.arch)", plan.unsupported)
        section(&lines, "skipped", plan.skipped)
        lines.append("bootstrap: \(plan.bootstrapPackages.count) of \(count(plan.packages.count, "package"))")
        return lines.joined(separator: "\n") + "\n"
    }

    static func count(_ number: Int, _ noun: String) -> String {
        "\(number) \(noun)\(number == 1 ? "" : "s")"
    }

    public static func json(_ plan: BuildPlan, cached: Set<String> = []) -> String {
        let bootstrap = Set(plan.bootstrapPackages)  // a 5,000-package plan would scan the list 5,000 times
        let packages = plan.packages.map { package -> JSONValue in
            .object([
                "name": .string(package.name),
                "variant": package.variant.map(JSONValue.string) ?? .null,
                "id": .string(package.id),
                "requires": .array(package.requires.map { .string(plan.packages[$0].id) }),
                "builder": package.builder.json,
                "cross": .bool(package.isCrossBuild),
                "build_arch": .string(package.buildArch.rawValue),
                "bootstrap": .bool(bootstrap.contains(package.name)),
                "cached": .bool(cached.contains(package.id)),
            ])
        }
        let document = JSONValue.object([
            "arch": .string(plan.arch.rawValue),
            "platform": .string(plan.arch.ociPlatform),
            "variant": plan.treeVariant.map(JSONValue.string) ?? .null,
            "install_root": .string(plan.installRoot),
            "packages": .array(packages),
            "unsupported": .array(plan.unsupported.map(unbuildableJSON)),
            "skipped": .array(plan.skipped.map(unbuildableJSON)),
            "warnings": .array(plan.warnings.map { .string($0.description) }),
        ])
        return CanonicalJSON.string(document) + "\n"
    }

    /// One compact JSON document and a newline (JSON lines).
    public static func jsonLine(_ value: JSONValue) -> String {
        CanonicalJSON.string(value) + "\n"
    }

    static func label(_ name: String, _ variant: String?) -> String {
        variant.map { "\(name) [\($0)]" } ?? name
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(0, width - text.count))
    }

    private static func section(_ lines: inout [String], _ title: String, _ items: [Unbuildable]) {
        guard !items.isEmpty else { return }
        lines.append("\(title) (\(items.count)):")
        let width = items.map { label($0.name, $0.variant).count }.max() ?? 0
        for item in items {
            lines.append("  " + pad(label(item.name, item.variant), width) + "  " + item.reason)
        }
    }

    static func unbuildableJSON(_ item: Unbuildable) -> JSONValue {
        .object([
            "name": .string(item.name),
            "variant": item.variant.map(JSONValue.string) ?? .null,
            "requires": .array(item.requires.map(JSONValue.string)),
            "reason": .string(item.reason),
        ])
    }
}
