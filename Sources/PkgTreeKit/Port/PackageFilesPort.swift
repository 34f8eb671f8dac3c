import Foundation

/// Folds a package's files other than buildinfo and build scripts. `extra/` is mounted into
/// every architecture's build: files only the fork has are added to it (no build that did
/// not use them changes, though every architecture's id does, since `extra/` is hashed);
/// a changed or removed file cannot be shared, so the fork's `extra/` is copied beside it as
/// `extra.<arch>/` for review. `docker/` defines the builder image of every architecture, so
/// any difference is copied as `docker.<arch>/` for review. Other files (sources kept in the
/// tree, patches) are listed for review.
struct PackageFilesPort {
    let package: String
    let ours: URL
    let theirs: URL
    let target: Architecture
    /// Build scripts of either tree, relative to the package directory: compared by `ScriptUnifier`.
    let scripts: Set<String>

    func fold() throws(Problems) -> (changes: [PortChange], edits: [PortEdit]) {
        var changes: [PortChange] = []
        var edits: [PortEdit] = []
        let extra = try difference("extra")
        if !extra.isEmpty {
            if extra.changed.isEmpty && extra.removed.isEmpty {
                for path in extra.added {
                    edits.append(.copyFile(from: theirs.child("extra/\(path)"), to: ours.child("extra/\(path)")))
                    changes.append(change("extra/\(path)", .extra, folded: true,
                                          "added from the fork; builds of every architecture see it, so all their ids change"))
                }
            } else {
                let (copy, note) = try perArchitectureCopy("extra")
                edits += copy
                changes.append(change("extra", .extra, folded: false,
                                      "the fork changes extra/ (\(Self.describe(extra))); \(note); a build sees only extra/: "
                                          + "put what \(target) needs there under its own name and pick it in the script with case \"$PKG_ARCH\""))
            }
        }
        let docker = try difference("docker")
        if !docker.isEmpty {
            let (copy, note) = try perArchitectureCopy("docker")
            edits += copy
            changes.append(change("docker", .docker, folded: false,
                                  "the fork changes docker/ (\(Self.describe(docker))), the builder image of every architecture; "
                                      + "\(note); make one Dockerfile that builds for both (ARG TARGETARCH), or set 'docker' in the overlay"))
        }
        let others = try difference(ours, theirs, excluding: isHandled, ignoring: scripts)
        if !others.isEmpty {
            changes.append(change(".", .packageFiles, folded: false,
                                  "the fork changes other files of the package (\(Self.describe(others))); not folded: a file here "
                                      + "serves every architecture; for a git_local source, point the overlay's 'rel_path' at a copy"))
        }
        return (changes, edits)
    }

    private func difference(_ name: String) throws(Problems) -> DirectoryDifference {
        try difference(ours.child(name), theirs.child(name))
    }

    private func difference(_ mine: URL, _ other: URL, excluding: (String) -> Bool = { _ in false },
                            ignoring: Set<String> = []) throws(Problems) -> DirectoryDifference {
        do {
            return try DirectoryDifference(ours: mine, theirs: other, excluding: excluding, ignoring: ignoring)
        } catch {
            throw Problems([Problem(file: DisplayPath.of(URL(fileURLWithPath: error.path)), package: package, error.reason,
                                    hint: error.hint)])
        }
    }

    /// The fork's `name/` as `name.<arch>/`, unless it is already there.
    private func perArchitectureCopy(_ name: String) throws(Problems) -> ([PortEdit], String) {
        let copy = "\(name).\(target.rawValue)"
        let existing = try? DirectoryDifference(ours: ours.child(copy), theirs: theirs.child(name))
        if FileStatus.isDirectory(ours.child(copy).path), existing?.isEmpty == true {
            return ([], "the fork's \(name)/ is in \(copy)/")
        }
        return ([.copyDirectory(from: theirs.child(name), to: ours.child(copy))], "the fork's \(name)/ is copied to \(copy)/")
    }

    /// Top-level entries compared elsewhere, or written by a port.
    private func isHandled(_ name: String) -> Bool {
        PackageInputs.isHashedElsewhere(name)
            || Architecture.allCases.contains { name == "extra.\($0.rawValue)" || name == "docker.\($0.rawValue)" }
    }

    private func change(_ path: String, _ kind: PortChange.Kind, folded: Bool, _ message: String) -> PortChange {
        PortChange(file: DisplayPath.of(path == "." ? ours : ours.child(path)), line: 0, column: 0, package: package,
                   kind: kind, message: message, folded: folded)
    }

    private static func describe(_ difference: DirectoryDifference) -> String {
        [("added", difference.added), ("changed", difference.changed), ("removed", difference.removed)]
            .filter { !$0.1.isEmpty }.map { "\($0.0): \(DirectoryDifference.list($0.1))" }.joined(separator: "; ")
    }
}
