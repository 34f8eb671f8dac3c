import Foundation

/// `pkgtree why`: what differs between a package's current inputs and those of its last cached
/// build, followed down through dependencies whose ids changed to the root causes, the way
/// nix-diff explains a rebuild.
public enum RebuildExplanation {
    /// One differing input, as a path into the inputs (`buildinfo.environment.FOO`).
    public struct Change: Sendable, Hashable, CustomStringConvertible {
        public var path: String
        public var old: String
        public var new: String

        public var description: String { "\(path): \(old) -> \(new)" }
    }

    /// Lines explaining why `name` would build, indented by dependency depth.
    public static func explain(_ name: String, plan: BuildPlan, index: CacheIndex) throws -> [String] {
        guard let position = plan.packages.firstIndex(where: { $0.name == name }) else {
            return ["\(name) is not built for \(plan.arch) in this plan (unsupported or skipped)"]
        }
        let package = plan.packages[position]
        if try index.artifact(id: package.id) != nil { return ["\(name) is cached as \(package.id): nothing to rebuild"] }
        let previous = try index.artifacts(arch: plan.arch)
            .filter { $0.name == name && $0.variant == package.variant }
            .max { $0.createdAt < $1.createdAt }
        guard let previous else { return ["\(name) has never been built for \(plan.arch): no earlier build to compare with"] }
        var lines = ["\(name) would build as \(package.id); its last build was \(previous.id). What changed:"]
        try describe(position, against: previous, plan: plan, index: index, depth: 1, lines: &lines)
        return lines
    }

    private static func describe(_ position: Int, against previous: ArtifactRecord, plan: BuildPlan, index: CacheIndex,
                                 depth: Int, lines: inout [String]) throws {
        let indent = String(repeating: "  ", count: depth)
        let old = try JSONFile.parse(Data(previous.inputs.utf8), displayPath: previous.path)
        let new = plan.fullInputs(of: position)
        let changes = diff(old.objectValue?.filter { $0.key != "requires" } ?? [:],
                           new.objectValue?.filter { $0.key != "requires" } ?? [:], path: "")
        for change in changes { lines.append(indent + describe(change)) }
        let oldIDs = ids(old.objectValue?["requires"]), newIDs = ids(new.objectValue?["requires"])
        for name in Set(oldIDs.keys).union(newIDs.keys).sorted() where oldIDs[name] != newIDs[name] {
            switch (oldIDs[name], newIDs[name]) {
            case (nil, let added?): lines.append(indent + "dependency \(name) was added (\(added))")
            case (let removed?, nil): lines.append(indent + "dependency \(name) was removed (\(removed))")
            case (let before?, let after?):
                lines.append(indent + "dependency \(name) changed: \(before) -> \(after)")
                guard let dependency = plan.packages.firstIndex(where: { $0.id == after }) else { continue }
                if let record = try index.artifact(id: before) {
                    try describe(dependency, against: record, plan: plan, index: index, depth: depth + 1, lines: &lines)
                } else {
                    lines.append(indent + "  (its earlier build \(before) is no longer in the cache to compare with)")
                }
            default: continue
            }
        }
        if changes.isEmpty && oldIDs == newIDs { lines.append(indent + "(no input differs; the id format may have changed)") }
    }

    /// Name -> id of a `requires` list of ids.
    private static func ids(_ value: JSONValue?) -> [String: String] {
        guard case .array(let items)? = value else { return [:] }
        return Dictionary(items.compactMap(\.stringValue).map { (PackageID($0)?.name ?? $0, $0) },
                          uniquingKeysWith: { first, _ in first })
    }

    /// Every leaf path where the two objects differ.
    static func diff(_ old: [String: JSONValue], _ new: [String: JSONValue], path: String) -> [Change] {
        var changes: [Change] = []
        for key in Set(old.keys).union(new.keys).sorted() {
            let here = path.isEmpty ? key : "\(path).\(key)"
            switch (old[key], new[key]) {
            case (.object(let a)?, .object(let b)?): changes += diff(a, b, path: here)
            case (let a, let b) where a != b:
                changes.append(Change(path: here, old: a.map(CanonicalJSON.string) ?? "(absent)", new: b.map(CanonicalJSON.string) ?? "(absent)"))
            default: continue
            }
        }
        return changes
    }

    /// Plain words for the inputs people recognize.
    private static func describe(_ change: Change) -> String {
        switch change.path {
        case "build_script": "the build script changed (\(change))"
        case "extra": "extra/ changed (\(change))"
        case "docker": "docker/ changed (\(change))"
        case "package_files": "other files in the package directory changed (\(change))"
        case let path where path.hasPrefix("builder"): "the builder image changed: \(change)"
        case let path where path.hasPrefix("sources"): "a source changed: \(change)"
        case let path where path.hasPrefix("buildinfo."):
            "buildinfo field '\(path.dropFirst("buildinfo.".count))': \(change.old) -> \(change.new)"
        default: change.description
        }
    }
}
