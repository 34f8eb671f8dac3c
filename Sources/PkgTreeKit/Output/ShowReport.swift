import Foundation

/// `pkgtree show` output: what will build for one package on one architecture — its id, the
/// effective buildinfo after the `arch` overlay, the build script and its digest, the sources
/// and their ids, the builder and how it runs, the requirements and their ids.
public enum ShowReport {
    public static func text(_ selection: PackageSelection, host: Architecture = .host) -> String {
        let plan = selection.plan, definition = selection.definition
        var lines = ["\(definition.displayName) for \(plan.arch), tree variant \(plan.treeVariant ?? "<default>")"]
        func row(_ label: String, _ value: String) {
            lines.append("  " + label.padding(toLength: 14, withPad: " ", startingAt: 0) + value)
        }
        switch selection.status {
        case .planned: row("id", selection.package!.id)
        case .unbuildable(let item): row("not built", item.reason)
        }
        row("buildinfo", definition.file + (selection.hasOverlay ? " (with its arch overlay for \(plan.arch))" : ""))
        row("build script", DisplayPath.of(selection.buildScriptURL) + (scriptDigest(selection).map { "  sha256 \($0)" } ?? ""))
        if let package = selection.package {
            row("builder", "\(package.builder.summary), \(describe(BuilderMode(package, host: host), package, host: host))")
        }
        let sourceIDs = selection.package?.inputs.objectValue?["sources"]?.objectValue ?? [:]
        for (position, name) in selection.buildInfo.sources.keys.sorted().enumerated() {
            let id = sourceIDs[name].map { "  (id: \(sourceIDText($0)))" } ?? ""
            row(position == 0 ? "sources" : "", "\(name): \(sourceText(selection.buildInfo.sources[name]!))\(id)")
        }
        for (position, requirement) in requirements(selection).enumerated() {
            row(position == 0 ? "requires" : "", requirement.name + (requirement.id.map { "  \($0)" } ?? ""))
        }
        lines.append("effective buildinfo (after the arch overlay, as it enters the id):")
        let renderer = JSONRenderer(unit: "  ", newline: "\n", rank: { _, _ in nil }, rawText: { _, _ in nil })
        lines.append(renderer.render(selection.buildInfo.identityJSON, path: [], indent: "", multiline: true))
        return lines.joined(separator: "\n") + "\n"
    }

    /// One JSON document. `script`: the build script's text (for `--script`), expanded or not.
    public static func json(_ selection: PackageSelection, script: String? = nil, host: Architecture = .host) -> String {
        let plan = selection.plan
        let package = selection.package
        var buildScript: [String: JSONValue] = [
            "path": .string(selection.buildScript),
            "file": .string(DisplayPath.of(selection.buildScriptURL)),
            "sha256": scriptDigest(selection).map(JSONValue.string) ?? .null,
        ]
        if let script { buildScript["text"] = .string(script) }
        let sourceIDs = package?.inputs.objectValue?["sources"]?.objectValue ?? [:]
        var document: [String: JSONValue] = [
            "name": .string(selection.definition.name),
            "variant": selection.definition.variant.map(JSONValue.string) ?? .null,
            "arch": .string(plan.arch.rawValue),
            "tree_variant": plan.treeVariant.map(JSONValue.string) ?? .null,
            "id": package.map { .string($0.id) } ?? .null,
            "buildinfo_file": .string(selection.definition.file),
            "overlay": .bool(selection.hasOverlay),
            "buildinfo": selection.buildInfo.identityJSON,
            "architectures": selection.buildInfo.architectures.map { .array($0.map { .string($0.rawValue) }) } ?? .null,
            "build_script": .object(buildScript),
            "sources": .object(selection.buildInfo.sources.reduce(into: [:]) { result, entry in
                result[entry.key] = .object(["source": entry.value.json, "id": sourceIDs[entry.key] ?? .null])
            }),
            "requires": .array(requirements(selection).map { requirement in
                .object(["name": .string(requirement.name), "id": requirement.id.map(JSONValue.string) ?? .null])
            }),
        ]
        switch selection.status {
        case .planned(let index):
            let package = plan.packages[index]
            document["builder"] = .object([
                "identity": package.builder.json, "summary": .string(package.builder.summary),
                "build_arch": .string(package.buildArch.rawValue), "mode": .string(BuilderMode(package, host: host).rawValue),
            ])
            document["inputs"] = plan.fullInputs(of: index)
            document["unbuildable"] = .null
        case .unbuildable(let item):
            document["builder"] = .null
            document["inputs"] = .null
            document["unbuildable"] = .string(item.reason)
        }
        return PlanReport.jsonLine(.object(document))
    }

    private static func scriptDigest(_ selection: PackageSelection) -> String? {
        if let digest = selection.package?.inputs.objectValue?["build_script"]?.stringValue { return digest }
        return try? ContentDigest.file(selection.buildScriptURL)
    }

    /// The direct requirements, with their ids when they are planned.
    private static func requirements(_ selection: PackageSelection) -> [(name: String, id: String?)] {
        if let package = selection.package { return package.requires.map { (selection.plan.packages[$0].name, selection.plan.packages[$0].id) } }
        return selection.buildInfo.requires.map { requirement in (requirement.name, selection.plan.package(named: requirement.name)?.id) }
    }

    private static func describe(_ mode: BuilderMode, _ package: PlannedPackage, host: Architecture) -> String {
        switch mode {
        case .native: "native on \(host)"
        case .emulated: "emulated (QEMU) on \(host)"
        case .cross: "cross-built on \(package.buildArch) for \(package.inputs.objectValue?["arch"]?.stringValue ?? "")"
        }
    }

    private static func sourceText(_ source: Source) -> String {
        switch source {
        case .url(let url, _, _): "\(source.kind) \(url)"
        case .git(let url, _, let origin): "git \(url)" + (origin.map { " (\($0))" } ?? "")
        case .gitLocal(let path): "git_local \(path)"
        }
    }

    private static func sourceIDText(_ id: JSONValue) -> String {
        let fields = id.objectValue ?? [:]
        return fields.keys.filter { $0 != "kind" }.sorted().map { "\($0) \(fields[$0].flatMap(\.stringValue) ?? "-")" }.joined(separator: ", ")
    }
}
