import Foundation

/// Everything a bootstrap holds beside `packages/`: pkgpanda's activation of the streamed
/// packages, computed from what was seen while streaming them.
///
/// - `active/<name>` -> `../packages/<id>`
/// - the well-known directories (`bin etc include lib`, role-suffixed ones like `etc_master`)
///   with a relative link for every file the packages have there
/// - `environment`, `environment.export` (from each `pkginfo.json`)
/// - `active.json` (the package ids), `active.buildinfo.full.json` (name -> its buildinfo.full)
/// - `etc/dcos-service-configuration.json` (sysctl settings, for DC/OS's runtime)
/// - `bootstrap`: an empty marker; pkgpanda's `setup` activates a root that has one
enum BootstrapRootEntries {
    enum Entry {
        case directory(String)
        case symlink(String, target: String)
        case file(String, Data)

        var path: String {
            switch self {
            case .directory(let path), .symlink(let path, _), .file(let path, _): path
            }
        }

        func write(to writer: ArchiveWriter) throws {
            switch self {
            case .directory(let path): try writer.add(directory: path)
            case .symlink(let path, let target): try writer.add(symlink: path, target: target)
            case .file(let path, let data): try writer.add(file: path, contents: data)
            }
        }
    }

    /// The entries, sorted by path (so a directory comes before what it holds).
    static func entries(for packages: [StreamedPackage], installRoot: String) throws -> [Entry] {
        var entries: [String: Entry] = ["active": .directory("active")]
        for streamed in packages {
            let path = "active/\(streamed.package.name)"
            entries[path] = .symlink(path, target: "../packages/\(streamed.package.id)")
        }
        for directory in ActivationLinks.wellKnownDirectories {
            entries[directory] = .directory(directory)
        }
        for link in try ActivationLinks.entries(packages.map { (id: $0.package.id, paths: $0.copied.paths) }) {
            entries[link.path] = link.target.map { .symlink(link.path, target: $0) } ?? .directory(link.path)
        }
        for file in try files(for: packages, installRoot: installRoot) {
            if let existing = entries[file.path], case .symlink(_, let target) = existing {
                throw Problems([Problem(field: "requires", "\(file.path) is a file activation writes, but a package provides it (\(target))",
                                        hint: "drop \(file.path) from the package")])
            }
            entries[file.path] = file
        }
        return entries.values.sorted { $0.path < $1.path }
    }

    private static func files(for packages: [StreamedPackage], installRoot: String) throws -> [Entry] {
        let pkgInfos = packages.map { $0.metadata(StreamedPackage.pkgInfo) }
        let environment = try ActivationEnvironment(installRoot: installRoot, packages: zip(packages, pkgInfos).map {
            ($0.package.id, PackageMetadata.environment(in: $1))
        })
        let services = try ServiceConfiguration.document(zip(packages, pkgInfos).map { streamed, info in
            (streamed.package.id, info, streamed.copied.paths.filter { !$0.isDirectory }.map(\.path))
        })
        var buildInfos: [String: JSONValue] = [:]
        for streamed in packages {
            buildInfos[streamed.package.name] = streamed.metadata(StreamedPackage.buildInfoFull) ?? .null
        }
        let ids = packages.map(\.package.id).sorted()
        return [
            .file("active.json", json(.array(ids.map(JSONValue.string)))),
            .file("active.buildinfo.full.json", json(.object(buildInfos))),
            .file("bootstrap", Data()),
            .file("environment", Data(environment.environmentFile.utf8)),
            .file("environment.export", Data(environment.exportFile.utf8)),
            .file(ServiceConfiguration.path, json(services)),
        ]
    }

    static func json(_ value: JSONValue) -> Data {
        Data((CanonicalJSON.string(value) + "\n").utf8)
    }
}
