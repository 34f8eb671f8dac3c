/// The block `pkgtree port` writes at the top of a shared build script for architecture
/// names that no `PKG_*` variable holds (`x64`, `arm64v8`, a dynamic loader's path):
///
///     # pkgtree port: architecture names no PKG_* variable holds
///     case "$PKG_ARCH" in
///         aarch64) PORT_ARCH_NAME_1='arm64v8' ;;
///         *) PORT_ARCH_NAME_1='amd64' ;;
///     esac
///
/// `*` keeps what the script said before the port, so every architecture other than the
/// ported ones builds what it built. Only this exact shape is read back (by `ArchVariables`),
/// so a hand-written `case` is never mistaken for it.
struct PortNameBlock: Sendable, Hashable {
    static let marker = "# pkgtree port: architecture names no PKG_* variable holds"
    static let caseLine = "case \"$PKG_ARCH\" in"
    static let variablePrefix = "PORT_ARCH_NAME_"

    struct Arm: Sendable, Hashable {
        /// An architecture's canonical name, or `*`.
        var pattern: String
        var values: [String: String]
    }

    /// Names in the order they are assigned.
    var variables: [String] = []
    /// The architectures' arms, then `*`.
    var arms: [Arm] = [Arm(pattern: "*", values: [:])]

    /// The value of every variable for `arch`: its own arm, else `*`.
    func values(for arch: Architecture) -> [String: String] {
        let fallback = arms.first { $0.pattern == "*" }?.values ?? [:]
        return fallback.merging(arms.first { $0.pattern == arch.rawValue }?.values ?? [:]) { $1 }
    }

    func hasArm(for arch: Architecture) -> Bool {
        arms.contains { $0.pattern == arch.rawValue }
    }

    /// A new variable (`PORT_ARCH_NAME_<n>`), `value` for `arch`, `fallback` for every other.
    mutating func add(value: String, for arch: Architecture, fallback: String) -> String {
        let taken = Set(variables)
        let name = (1...).lazy.map { "\(Self.variablePrefix)\($0)" }.first { !taken.contains($0) }!
        variables.append(name)
        for index in arms.indices {
            arms[index].values[name] = arms[index].pattern == arch.rawValue ? value : fallback
        }
        if !hasArm(for: arch) {
            var values = values(for: arch)
            values[name] = value
            arms.insert(Arm(pattern: arch.rawValue, values: values), at: arms.count - 1)
        }
        return name
    }

    /// Gives `arch` its own arm (a copy of what `*` says), so that one of its values can change.
    mutating func setValue(_ value: String, of name: String, for arch: Architecture) {
        if !hasArm(for: arch) { arms.insert(Arm(pattern: arch.rawValue, values: values(for: arch)), at: arms.count - 1) }
        for index in arms.indices where arms[index].pattern == arch.rawValue { arms[index].values[name] = value }
    }

    /// The block's lines, each ending in a newline.
    var text: String {
        var lines = [Self.marker, Self.caseLine]
        for arm in arms {
            let assignments = variables.compactMap { name in arm.values[name].map { "\(name)='\($0)'" } }
            lines.append("    \(arm.pattern)) \(assignments.joined(separator: "; ")) ;;")
        }
        lines.append("esac")
        return lines.map { $0 + "\n" }.joined()
    }

    /// The block in `text`, if it holds one, and the range of its lines.
    static func find(in text: String) -> (block: PortNameBlock, range: Range<String.Index>)? {
        guard let markerRange = text.range(of: marker + "\n"),
              markerRange.lowerBound == text.startIndex || text[text.index(before: markerRange.lowerBound)] == "\n"
        else { return nil }
        var cursor = markerRange.upperBound
        func nextLine() -> Substring? {
            guard cursor < text.endIndex, let end = text[cursor...].firstIndex(of: "\n") else { return nil }
            defer { cursor = text.index(after: end) }
            return text[cursor..<end]
        }
        guard nextLine() == Substring(caseLine) else { return nil }
        var block = PortNameBlock(variables: [], arms: [])
        while let line = nextLine() {
            if line == "esac" {
                guard block.arms.last?.pattern == "*" else { return nil }
                return (block, markerRange.lowerBound..<cursor)
            }
            guard let (arm, names) = parseArm(line) else { return nil }
            for name in names where !block.variables.contains(name) { block.variables.append(name) }
            block.arms.append(arm)
        }
        return nil
    }

    /// `    aarch64) NAME='value'; OTHER='value' ;;`, and the names in the order assigned.
    private static func parseArm(_ line: Substring) -> (Arm, [String])? {
        let trimmed = line.drop { $0 == " " }
        guard let close = trimmed.firstIndex(of: ")"), trimmed.hasSuffix(" ;;") else { return nil }
        let pattern = String(trimmed[..<close])
        guard pattern == "*" || Architecture(name: pattern)?.rawValue == pattern else { return nil }
        var values: [String: String] = [:]
        var names: [String] = []
        let body = trimmed[trimmed.index(after: close)...].dropLast(3).trimmingPrefix(" ")
        for assignment in body.split(separator: ";").map({ $0.trimmingPrefix(" ") }) where !assignment.isEmpty {
            guard let equals = assignment.firstIndex(of: "="), assignment.hasPrefix(variablePrefix) else { return nil }
            let quoted = assignment[assignment.index(after: equals)...]
            guard quoted.count >= 2, quoted.first == "'", quoted.last == "'" else { return nil }
            let value = quoted.dropFirst().dropLast()
            guard !value.contains("'") else { return nil }
            values[String(assignment[..<equals])] = String(value)
            names.append(String(assignment[..<equals]))
        }
        return (Arm(pattern: pattern, values: values), names)
    }
}
