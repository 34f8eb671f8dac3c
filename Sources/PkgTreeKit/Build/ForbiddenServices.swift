/// pkgpanda's `check_forbidden_services`: the systemd units DC/OS runs itself by (its target,
/// the download and setup services) must not come from a package, or installing the package
/// would replace them. pkgpanda looks at the entries of every top-level directory whose name
/// starts like `dcos.target.wants` (`dcos.target.wants_master`, …; its pattern
/// `dcos.target.wants(?:_.+)?` is matched at the start of the name only, with `.` matching any
/// character), and so does this.
enum ForbiddenServices {
    static let reservedUnitNames: Set<String> = ["dcos.target", "dcos-download.service", "dcos-setup.service"]

    /// Paths of the entries named like a reserved unit in a unit directory, sorted.
    static func reservedUnits(in entries: [OutputEntry]) -> [String] {
        let unitDirectories = Set(entries.filter { $0.kind == .directory && !$0.path.contains("/") && isUnitDirectory($0.path) }.map(\.path))
        return entries.compactMap { entry in
            let parts = entry.path.split(separator: "/", maxSplits: 1).map(String.init)
            guard parts.count == 2, unitDirectories.contains(parts[0]), reservedUnitNames.contains(parts[1]) else { return nil }
            return entry.path
        }
    }

    /// Whether pkgpanda's `re.match(r'dcos.target.wants(?:_.+)?', name)` matches.
    static func isUnitDirectory(_ name: String) -> Bool {
        let pattern = Array("dcos.target.wants"), characters = Array(name)
        guard characters.count >= pattern.count else { return false }
        return zip(pattern, characters).allSatisfy { expected, found in expected == "." || expected == found }
    }
}
