/// The lines `pkgtree port` prints for one buildinfo: one per value the target's overlay
/// sets, drops or changes, each at the line of this tree's file where the value it overrides
/// stands (else where the overlay goes).
struct OverlayReport {
    let original: PackageDefinition
    let index: JSONLineIndex
    let target: Architecture

    func change(_ path: [String], kind: PortChange.Kind, folded: Bool, _ message: String) -> PortChange {
        let overlay = OverlayRendering.overlayKey(in: index, target).map { ["arch", $0] }
        let position = index.position(of: path) ?? overlay.flatMap { index.position(of: $0 + path) ?? index.position(of: $0) }
            ?? index.position(of: ["arch"]) ?? JSONLineIndex.Position(line: 1, column: 1)
        return PortChange(file: original.file, line: position.line, column: position.column, package: original.name,
                          kind: kind, message: message, folded: folded)
    }

    /// What changes from the overlay the file has to `overlay`, and in `architectures`.
    func lines(fold: OverlayFold?, overlay: [String: JSONValue], architectures: ArchitecturesFold.Outcome) -> [PortChange] {
        var result: [PortChange] = []
        if case .set(let list) = architectures {
            let before = original.base["architectures"].map(OverlaySuggestion.inline) ?? "(all)"
            result.append(change(["architectures"], kind: .architectures, folded: true,
                                 "architectures: \(before) -> \(OverlaySuggestion.inline(list))"))
        }
        let existing = JSONValue.object(original.overlays[target] ?? [:])
        let prefix = "arch.\(target)."
        var leaves = fold?.leaves ?? []
        if let script = overlay["build_script"] {
            leaves.append(.init(path: ["build_script"], before: original.base["build_script"], after: script))
        }
        for leaf in leaves where OverlayRendering.value(at: leaf.path, in: existing) != leaf.after {
            let name = prefix + OverlaySuggestion.fieldName(leaf.path)
            let message = leaf.before.map { "\(name): \(OverlaySuggestion.inline($0)) -> \(OverlaySuggestion.inline(leaf.after))" }
                ?? "\(name): set to \(OverlaySuggestion.inline(leaf.after))"
            result.append(change(leaf.path, kind: .overlay, folded: true, message))
        }
        for path in Self.leafPaths(existing) where OverlayRendering.value(at: path, in: .object(overlay)) == nil {
            result.append(change(path, kind: .overlay, folded: true,
                                 "\(prefix)\(OverlaySuggestion.fieldName(path)): dropped; the fork's buildinfo for \(target) does not need it"))
        }
        return result
    }

    /// The paths of the values in `value` that are not objects (or are empty ones).
    private static func leafPaths(_ value: JSONValue, _ path: [String] = []) -> [[String]] {
        guard case .object(let fields) = value, !fields.isEmpty else { return path.isEmpty ? [] : [path] }
        return fields.keys.sorted().flatMap { leafPaths(fields[$0]!, path + [$0]) }
    }
}
