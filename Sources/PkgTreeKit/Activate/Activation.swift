import Foundation

/// pkgpanda's activation of a set of packages, as entries relative to the install root. A
/// bootstrap streams them into its tarball (`BootstrapRootEntries`); a build writes them beside
/// its dependencies (`BuildInstallRoot`), so build scripts find what pkgpanda's build gave them:
///
/// - `active/<name>` -> `../packages/<id>`
/// - the well-known directories (`bin etc include lib dcos.target.wants`, role-suffixed ones
///   like `etc_master`) with a relative link for every file the packages have there
/// - `environment`, `environment.export` (from each `pkginfo.json`)
/// - `active.buildinfo.full.json` (name -> its `buildinfo.full.json`)
/// - `etc/dcos-service-configuration.json` (sysctl settings, for DC/OS's runtime)
public enum Activation {
    public enum Entry: Sendable {
        case directory(String)
        case symlink(String, target: String)
        case file(String, Data)

        public var path: String {
            switch self {
            case .directory(let path), .symlink(let path, _), .file(let path, _): path
            }
        }
    }

    /// One package as activation sees it.
    public struct Package: Sendable {
        public var name: String
        public var id: String
        /// Its files, relative to its root, and whether each is a directory (symlinks are files).
        public var paths: [(path: String, isDirectory: Bool)]
        public var pkgInfo: JSONValue?
        /// Its `buildinfo.full.json` as canonical JSON; nil when it has none.
        public var buildInfoFull: [UInt8]?

        public init(name: String, id: String, paths: [(path: String, isDirectory: Bool)], pkgInfo: JSONValue?,
                    buildInfoFull: [UInt8]?) {
            self.name = name
            self.id = id
            self.paths = paths
            self.pkgInfo = pkgInfo
            self.buildInfoFull = buildInfoFull
        }
    }

    static let activeBuildInfoFull = "active.buildinfo.full.json"

    /// The entries, sorted by path (so a directory comes before what it holds).
    public static func entries(_ packages: [Package], installRoot: String) throws -> [Entry] {
        var entries: [String: Entry] = ["active": .directory("active")]
        for package in packages {
            let path = "active/\(package.name)"
            entries[path] = .symlink(path, target: "../packages/\(package.id)")
        }
        for directory in ActivationLinks.wellKnownDirectories {
            entries[directory] = .directory(directory)
        }
        for link in try ActivationLinks.entries(packages.map { (id: $0.id, paths: $0.paths) }) {
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

    private static func files(for packages: [Package], installRoot: String) throws -> [Entry] {
        let environment = try ActivationEnvironment(installRoot: installRoot, packages: packages.map {
            ($0.id, PackageMetadata.environment(in: $0.pkgInfo))
        })
        let services = try ServiceConfiguration.document(packages.map {
            ($0.id, $0.pkgInfo, $0.paths.filter { !$0.isDirectory }.map(\.path))
        })
        return [
            .file(activeBuildInfoFull, buildInfoFullByName(packages)),
            .file("environment", Data(environment.environmentFile.utf8)),
            .file("environment.export", Data(environment.exportFile.utf8)),
            .file(ServiceConfiguration.path, CanonicalJSON.fileData(services)),
        ]
    }

    /// `{"<name>": <its buildinfo.full.json>, …}` in canonical JSON, assembled from each
    /// package's canonical bytes: deep in a large tree a build has a thousand dependencies whose
    /// files list a thousand ids each, and turning megabytes into `JSONValue`s and back for
    /// every build would cost more than the rest of its setup.
    static func buildInfoFullByName(_ packages: [Package]) -> Data {
        var output: [UInt8] = [UInt8(ascii: "{")]
        output.reserveCapacity(packages.reduce(2) { $0 + $1.name.utf8.count + ($1.buildInfoFull?.count ?? 4) + 4 })
        for (index, package) in packages.sorted(by: { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }).enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            CanonicalJSON.writeString(package.name, into: &output)
            output.append(UInt8(ascii: ":"))
            output.append(contentsOf: package.buildInfoFull ?? Array("null".utf8))
        }
        output.append(contentsOf: "}\n".utf8)
        return Data(output)
    }
}
