/// The `arch` overlay that makes this tree's buildinfo, for one architecture, what a fork's is
/// for it: only the keys that differ, objects diffed key by key (an overlay merges objects key
/// by key and replaces anything else, docs/buildinfo.md). A key the fork removed cannot be removed by
/// an overlay: where the key's default means the same (`"cross": false`, `"requires": []`) the
/// overlay writes the default; otherwise the key is left for review. The result is checked by
/// reading the merged buildinfo as a build would and comparing it with the fork's.
struct OverlayFold {
    /// One value the overlay sets, by its path below `arch.<target>`.
    struct Leaf: Sendable, Hashable {
        var path: [String]
        /// The value this tree's buildinfo has there (before the overlay), if any.
        var before: JSONValue?
        var after: JSONValue
    }

    var overlay: [String: JSONValue] = [:]
    var leaves: [Leaf] = []
    /// Keys the fork removed that no overlay value replaces.
    var removed: [[String]] = []

    /// Keys whose absence an explicit value means exactly.
    private static let defaults: [String: JSONValue] = [
        "state_directory": .bool(false), "cross": .bool(false), "network": .bool(false), "requires": .array([]),
    ]

    /// Keys the fold leaves out: `arch` is what it writes, `architectures` cannot be in an
    /// overlay (`ArchitecturesFold`), and the build script is chosen by `ScriptUnifier`.
    static let handledElsewhere: Set<String> = ["arch", "architectures", "build_script"]

    /// The overlay over `base` (this tree's top-level fields) that gives `target` (the fork's
    /// effective buildinfo for the architecture).
    init(base: [String: JSONValue], target: [String: JSONValue]) {
        var overlay: [String: JSONValue] = [:]
        diff(base.filter { !Self.handledElsewhere.contains($0.key) }, target.filter { !Self.handledElsewhere.contains($0.key) },
             path: [], into: &overlay)
        self.overlay = overlay
    }

    private mutating func diff(_ base: [String: JSONValue], _ target: [String: JSONValue], path: [String],
                               into overlay: inout [String: JSONValue]) {
        for key in target.keys.sorted() where base[key] != target[key] {
            if case .object(let before)? = base[key], case .object(let after) = target[key] {
                var nested: [String: JSONValue] = [:]
                diff(before, after, path: path + [key], into: &nested)
                if !nested.isEmpty { overlay[key] = .object(nested) }
            } else {
                overlay[key] = target[key]!
                leaves.append(Leaf(path: path + [key], before: base[key], after: target[key]!))
            }
        }
        for key in base.keys.sorted() where target[key] == nil {
            if path.isEmpty, let value = Self.defaults[key] {
                overlay[key] = value
                leaves.append(Leaf(path: [key], before: base[key], after: value))
            } else {
                removed.append(path + [key])
            }
        }
    }
}

/// What a buildinfo means to a build, for comparing two: the fields that go into the id (but
/// the build script, chosen separately) and the lint settings.
struct BuildInfoMeaning: Hashable {
    var identity: JSONValue
    var lint: LintSettings

    init(_ info: BuildInfo) {
        var info = info
        info.buildScript = nil
        identity = info.identityJSON
        lint = info.lint
    }
}

/// `architectures` cannot be set in an overlay; when the fork supports the architecture and
/// this tree does not (or the other way round), the list itself changes by that one entry,
/// which leaves every other architecture as it was.
enum ArchitecturesFold {
    enum Outcome: Equatable {
        case unchanged
        case set(JSONValue)
        /// This tree lists no architectures (all of them) but the fork leaves the target out.
        case review
    }

    static func fold(original: JSONValue?, fork: [Architecture]?, target: Architecture) -> Outcome {
        let forkSupports = fork?.contains(target) ?? true
        let items = original.flatMap { if case .array(let items) = $0 { items } else { nil } }
        let listed = items.map { $0.contains { $0.stringValue.flatMap(Architecture.init(name:)) == target } }
        guard forkSupports != (listed ?? true) else { return .unchanged }
        guard let items else { return .review }
        if forkSupports { return .set(.array(items + [.string(target.rawValue)])) }
        let kept = items.filter { $0.stringValue.flatMap(Architecture.init(name:)) != target }
        return kept.isEmpty ? .review : .set(.array(kept))
    }
}
