import Foundation
import Glibc

/// Checks that an extracted install root is activated the way a bootstrap promises: every
/// `active/<name>` link and every link of the well-known directories resolves to something
/// inside the root, and `active/` matches `active.json`. Returns what is active.
enum ActivationCheck {
    struct Outcome {
        /// (name, id) of every active package, by name.
        var packages: [(name: String, id: String)] = []
        /// Links checked in the well-known directories.
        var links = 0
        var problems: [String] = []
    }

    static let requiredFiles = ["active.json", "bootstrap", "environment", "environment.export"]

    static func run(root: URL) -> Outcome {
        var outcome = Outcome()
        guard let resolvedRoot = realpath(root.path) else {
            outcome.problems.append("\(root.path) cannot be resolved")
            return outcome
        }
        for file in requiredFiles where FileStatus.of(root.child(file).path) == nil {
            outcome.problems.append("\(file) is missing")
        }
        checkActive(root, resolvedRoot, &outcome)
        let topLevel = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        for directory in topLevel.sorted() where ActivationLinks.isWellKnown(directory) {
            checkLinks(under: directory, root, resolvedRoot, &outcome)
        }
        return outcome
    }

    /// `active/<name>` -> a directory `packages/<id>` inside the root, one per id of `active.json`.
    private static func checkActive(_ root: URL, _ resolvedRoot: String, _ outcome: inout Outcome) {
        let listed = (try? JSONFile.read(root.child("active.json"), displayPath: "active.json"))
            .flatMap { json -> [String]? in
                guard case .array(let items) = json else { return nil }
                return items.compactMap(\.stringValue)
            }
        if listed == nil { outcome.problems.append("active.json is not a JSON list of package ids") }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.child("active").path)) ?? []
        for name in names.sorted() {
            let path = "active/\(name)"
            guard let target = resolve(path, root, resolvedRoot, &outcome) else { continue }
            let packages = resolvedRoot + "/packages/"
            guard target.hasPrefix(packages), !target.dropFirst(packages.count).contains("/"),
                  FileStatus.isDirectory(target) else {
                outcome.problems.append("\(path) does not lead to a package directory (packages/<id>)")
                continue
            }
            outcome.packages.append((name, String(target.dropFirst(packages.count))))
        }
        let active = Set(outcome.packages.map(\.id)), expected = Set(listed ?? [])
        for id in expected.subtracting(active).sorted() { outcome.problems.append("\(id) is in active.json but not linked in active/") }
        for id in active.subtracting(expected).sorted() where listed != nil {
            outcome.problems.append("\(id) is linked in active/ but not in active.json")
        }
    }

    private static func checkLinks(under directory: String, _ root: URL, _ resolvedRoot: String, _ outcome: inout Outcome) {
        var pending = [directory]
        while let relative = pending.popLast() {
            for name in ((try? FileManager.default.contentsOfDirectory(atPath: root.child(relative).path)) ?? []).sorted() {
                let path = "\(relative)/\(name)"
                switch FileStatus.of(root.child(path).path)?.kind {
                case .directory: pending.append(path)
                case .symlink:
                    outcome.links += 1
                    _ = resolve(path, root, resolvedRoot, &outcome)
                default: break
                }
            }
        }
    }

    /// The fully resolved target of the link at `path`, if it exists inside the root.
    private static func resolve(_ path: String, _ root: URL, _ resolvedRoot: String, _ outcome: inout Outcome) -> String? {
        guard let target = realpath(root.child(path).path) else {
            outcome.problems.append("\(path) is a dangling link")
            return nil
        }
        guard target.hasPrefix(resolvedRoot + "/") else {
            outcome.problems.append("\(path) leads outside the install root (\(target))")
            return nil
        }
        return target
    }

    private static func realpath(_ path: String) -> String? {
        guard let resolved = Glibc.realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
