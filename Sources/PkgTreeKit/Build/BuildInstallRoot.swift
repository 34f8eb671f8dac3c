import Foundation
import Glibc

/// The install root a build sees (DESIGN §5), prepared as one directory in the build's work
/// directory and mounted once, read-only, at `<install_root>`:
///
/// - `packages/<id>` for every transitive dependency: a hard-link farm over its unpacked copy,
///   so the cost is a link per file, never a copy of data or a mount per dependency;
/// - pkgpanda's activation of the dependencies (`Activation`): `active/<name>`, the well-known
///   directories, `environment`, `environment.export`, `active.buildinfo.full.json`,
///   `etc/dcos-service-configuration.json`;
/// - an empty `packages/<id>` of the package being built, where the runner mounts its output.
enum BuildInstallRoot {
    static func prepare(at root: URL, installRoot: String, dependencies: [UnpackedPackage], packageID: String) throws {
        let packages = root.child("packages")
        try FileManager.default.createDirectory(at: packages, withIntermediateDirectories: true)
        for dependency in dependencies {
            let directory = packages.child(dependency.id)
            try LinkFarm.check(mkdir(directory.path, 0o755), directory.path)
            try LinkFarm.mirror(dependency.entries, from: dependency.content, to: directory)
        }
        try LinkFarm.check(mkdir(packages.child(packageID).path, 0o755), packages.child(packageID).path)
        for entry in try Activation.entries(dependencies.map(\.activated), installRoot: installRoot) {
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
        case .file(_, let data):
            do {
                try data.write(to: url)
            } catch {
                throw CacheError.io(url.path, "cannot be written: \(error.localizedDescription)")
            }
        }
    }
}
