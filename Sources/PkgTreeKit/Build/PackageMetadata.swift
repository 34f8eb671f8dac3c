import Foundation

/// The two files every package carries: `pkginfo.json` (what the installed package needs:
/// requires, environment, state directory, user, group, sysctl — as pkgpanda writes it) and
/// `buildinfo.full.json` (everything that went into its id).
public enum PackageMetadata {
    public static func pkgInfo(_ package: PlannedPackage) -> JSONValue {
        let info = package.buildInfo
        var fields: [String: JSONValue] = [
            "requires": .array(info.requires.map(\.json)),
            "environment": .object(info.environment.mapValues(JSONValue.string)),
            "state_directory": .bool(info.stateDirectory),
        ]
        if let username = info.username { fields["username"] = .string(username) }
        if let group = info.group { fields["group"] = .string(group) }
        if !info.sysctl.isEmpty { fields["sysctl"] = .object(info.sysctl.mapValues(JSONValue.object)) }
        return .object(fields)
    }

    /// Writes both files into a finished build's output directory.
    public static func write(into output: URL, plan: BuildPlan, index: Int) throws {
        var full = plan.fullInputs(of: index)
        if case .object(var fields) = full {
            fields["package_id"] = .string(plan.packages[index].id)
            full = .object(fields)
        }
        try Data((CanonicalJSON.string(pkgInfo(plan.packages[index])) + "\n").utf8).write(to: output.child("pkginfo.json"))
        try Data((CanonicalJSON.string(full) + "\n").utf8).write(to: output.child("buildinfo.full.json"))
    }

    /// The environment a package exports, read back from its unpacked `pkginfo.json`.
    static func environment(ofUnpacked content: URL) -> [String: String] {
        guard let json = try? JSONFile.read(content.child("pkginfo.json"), displayPath: content.path),
              case .object(let environment)? = json.objectValue?["environment"] else { return [:] }
        return environment.compactMapValues(\.stringValue)
    }

    /// `environment.export`: `export KEY=value` lines for every package, in id order.
    static func environmentExport(_ packages: [(id: String, content: URL)]) -> String {
        var lines: [String] = []
        for (_, content) in packages.sorted(by: { $0.id < $1.id }) {
            for (key, value) in environment(ofUnpacked: content).sorted(by: { $0.key < $1.key }) {
                lines.append("export \(key)=\(ToolCommand.quote(value))")
            }
        }
        return lines.map { $0 + "\n" }.joined()
    }
}
