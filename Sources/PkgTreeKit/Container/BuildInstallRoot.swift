import Foundation
import Glibc

/// The install root of a build as a host directory, for the engines (podman, docker), which
/// mount it once, read-only: every dependency hard-linked file by file from its unpacked copy
/// into `packages/<id>` (copied where a link cannot be made), activation's entries, and the
/// empty `packages/<id>` the output is mounted on. (bwrap assembles the same tree in its mount
/// namespace instead, without writing a directory per dependency to disk.)
enum BuildInstallRoot {
    static func materialize(_ installRoot: BuildInvocation.InstallRoot, at root: URL) throws {
        let packages = root.child("packages")
        try FileManager.default.createDirectory(at: packages, withIntermediateDirectories: true)
        for dependency in installRoot.dependencies {
            let directory = packages.child(dependency.id)
            try LinkFarm.check(mkdir(directory.path, 0o755), directory.path)
            try LinkFarm.mirror(dependency.files, from: dependency.content, to: directory)
        }
        try LinkFarm.check(mkdir(packages.child(installRoot.outputID).path, 0o755), packages.child(installRoot.outputID).path)
        for entry in installRoot.entries {
            try entry.write(in: root)
        }
    }
}

extension Activation.Entry {
    /// Writes the entry under `root`, a host directory holding an install root.
    func write(in root: URL) throws {
        let url = root.child(path)
        switch self {
        case .directory:
            if mkdir(url.path, 0o755) == -1, errno != EEXIST { try LinkFarm.check(-1, url.path) }
        case .symlink(_, let target):
            try LinkFarm.check(Glibc.symlink(target, url.path), url.path)
        case .file(_, let contents):
            try contents.write(toFile: url.path)
        }
    }
}
