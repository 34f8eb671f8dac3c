import Foundation

/// Checks that an install root is activated the way a bootstrap promises: every
/// `active/<name>` link and every link of the well-known directories resolves to something
/// inside the root, and `active/` matches `active.json`. Returns what is active.
///
/// `pkgtree install` runs it on the extracted root; `pkgtree bootstrap` runs it on the entries
/// it is writing, so it never writes a bootstrap that `install` refuses.
enum ActivationCheck {
    struct Outcome {
        /// (name, id) of every active package, by name.
        var packages: [(name: String, id: String)] = []
        /// Links checked in the well-known directories.
        var links = 0
        var problems: [Finding] = []
    }

    /// One thing wrong, at `path` of the root.
    struct Finding: Sendable, Equatable, CustomStringConvertible {
        var path: String
        var message: String
        var description: String { "\(path) \(message)" }
    }

    static let requiredFiles = ["active.json", "bootstrap", "environment", "environment.export"]

    static func run(root: URL) -> Outcome {
        run(DiskInstallTree(root: root))
    }

    static func run(_ tree: some InstallTree) -> Outcome {
        var outcome = Outcome()
        for file in requiredFiles where tree.node(file) == nil {
            outcome.problems.append(Finding(path: file, message: "is missing"))
        }
        checkActive(tree, &outcome)
        for directory in tree.children("") where ActivationLinks.isWellKnown(directory) {
            checkLinks(under: directory, tree, &outcome)
        }
        return outcome
    }

    /// `active/<name>` -> a directory `packages/<id>` inside the root, one per id of `active.json`.
    private static func checkActive(_ tree: some InstallTree, _ outcome: inout Outcome) {
        let listed = tree.contents("active.json")
            .flatMap { try? JSONFile.parse($0, displayPath: "active.json") }
            .flatMap { json -> [String]? in
                guard case .array(let items) = json else { return nil }
                return items.compactMap(\.stringValue)
            }
        if listed == nil { outcome.problems.append(Finding(path: "active.json", message: "is not a JSON list of package ids")) }
        for name in tree.children("active") {
            let path = "active/\(name)"
            guard let target = resolve(path, tree, &outcome) else { continue }
            let parts = target.split(separator: "/")
            guard parts.count == 2, parts[0] == "packages", tree.node(target) == .directory else {
                outcome.problems.append(Finding(path: path, message: "does not lead to a package directory (packages/<id>)"))
                continue
            }
            outcome.packages.append((name, String(parts[1])))
        }
        let active = Set(outcome.packages.map(\.id)), expected = Set(listed ?? [])
        for id in expected.subtracting(active).sorted() {
            outcome.problems.append(Finding(path: id, message: "is in active.json but not linked in active/"))
        }
        for id in active.subtracting(expected).sorted() where listed != nil {
            outcome.problems.append(Finding(path: id, message: "is linked in active/ but not in active.json"))
        }
    }

    private static func checkLinks(under directory: String, _ tree: some InstallTree, _ outcome: inout Outcome) {
        var pending = [directory]
        while let relative = pending.popLast() {
            for name in tree.children(relative) {
                let path = "\(relative)/\(name)"
                switch tree.node(path) {
                case .directory?: pending.append(path)
                case .symlink?:
                    outcome.links += 1
                    _ = resolve(path, tree, &outcome)
                default: break
                }
            }
        }
    }

    /// The resolved target of the link at `path`, if it exists inside the root.
    private static func resolve(_ path: String, _ tree: some InstallTree, _ outcome: inout Outcome) -> String? {
        switch LinkResolution.resolve(path, in: tree) {
        case .inside(let target):
            return target
        case .dangling:
            outcome.problems.append(Finding(path: path, message: "is a dangling link"))
        case .loop:
            outcome.problems.append(Finding(path: path, message: "is a loop of links"))
        case .outside(let link, let target):
            outcome.problems.append(Finding(path: path, message: "leads outside the install root (\(link) -> \(target))"))
        }
        return nil
    }
}
