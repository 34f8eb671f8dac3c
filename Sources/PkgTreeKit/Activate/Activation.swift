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
        case file(String, Contents)

        public var path: String {
            switch self {
            case .directory(let path), .symlink(let path, _), .file(let path, _): path
            }
        }
    }

    /// One package as activation sees it, with what activation takes of it worked out once: a
    /// deep build activates a thousand packages, and a run activates most of them again and again.
    public final class Package: Sendable {
        public let name: String
        public let id: String
        /// Its files, relative to its root, and whether each is a directory (symlinks are files).
        public let paths: [(path: String, isDirectory: Bool)]
        public let pkgInfo: JSONValue?
        /// Its `buildinfo.full.json` as canonical JSON; nil when it has none.
        public let buildInfoFull: [UInt8]?
        /// Its paths in the well-known directories, sorted.
        let linked: [(path: String, isDirectory: Bool)]
        let environment: ActivationEnvironment.Block
        /// Whether its `pkginfo.json` sets `sysctl`.
        let setsSysctl: Bool
        /// `active/<name>` -> `../packages/<id>`.
        let activeLink: Entry

        public init(name: String, id: String, paths: [(path: String, isDirectory: Bool)], pkgInfo: JSONValue?,
                    buildInfoFull: [UInt8]?) {
            self.name = name
            self.id = id
            self.paths = paths
            self.pkgInfo = pkgInfo
            self.buildInfoFull = buildInfoFull
            linked = ActivationLinks.linked(paths)
            environment = ActivationEnvironment.Block(id: id, variables: ActivationEnvironment.variables(in: pkgInfo))
            setsSysctl = pkgInfo?.objectValue?["sysctl"] != nil
            activeLink = .symlink("active/\(name)", target: "../packages/\(id)")
        }
    }

    static let activeBuildInfoFull = "active.buildinfo.full.json"

    /// The entries, sorted by path (so a directory comes before what it holds).
    public static func entries(_ packages: [Package], installRoot: String) throws -> [Entry] {
        // Sorted by id once: each part below wants that order, and sorting sorted input is linear.
        let packages = packages.sorted { $0.id < $1.id }
        var entries: [String: Entry] = ["active": .directory("active")]
        entries.reserveCapacity(packages.count + 16)
        for package in packages {
            entries[package.activeLink.path] = package.activeLink
        }
        for directory in ActivationLinks.wellKnownDirectories {
            entries[directory] = .directory(directory)
        }
        let linking = packages.filter { !$0.linked.isEmpty }.map { (id: $0.id, paths: $0.linked) }
        for link in try ActivationLinks.entries(linking: linking) {
            entries[link.path] = link.target.map { .symlink(link.path, target: $0) } ?? .directory(link.path)
        }
        for file in try files(for: packages, installRoot: installRoot) {
            if let existing = entries[file.path], case .symlink(_, let target) = existing {
                throw Problems([Problem(field: "requires", "\(file.path) is a file activation writes, but a package provides it (\(target))",
                                        hint: "drop \(file.path) from the package")])
            }
            entries[file.path] = file
        }
        return entries.sorted { $0.key < $1.key }.map(\.value)
    }

    private static func files(for packages: [Package], installRoot: String) throws -> [Entry] {
        let environment = try ActivationEnvironment(installRoot: installRoot, blocks: packages.map(\.environment))
        let services = try ServiceConfiguration.document(packages.filter(\.setsSysctl).map { package in
            (package.id, package.pkgInfo, { package.paths.filter { !$0.isDirectory }.map(\.path) })
        })
        return [
            .file(activeBuildInfoFull, buildInfoFullByName(packages)),
            .file("environment", Contents(environment.environmentFile)),
            .file("environment.export", Contents(environment.exportFile)),
            .file(ServiceConfiguration.path, Contents(CanonicalJSON.fileData(services))),
        ]
    }

    /// `{"<name>": <its buildinfo.full.json>, …}` in canonical JSON, assembled from each
    /// package's canonical bytes: deep in a large tree a build has a thousand dependencies whose
    /// files list a thousand ids each, and turning megabytes into `JSONValue`s and back for
    /// every build would cost more than the rest of its setup.
    static func buildInfoFullByName(_ packages: [Package]) -> Contents {
        // The packages' bytes are pieces of the file, not copied into it.
        var pieces: [ArraySlice<UInt8>] = []
        pieces.reserveCapacity(2 * packages.count + 1)
        var key: [UInt8] = [UInt8(ascii: "{")]
        for package in packages.sorted(by: { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }) {
            if key.isEmpty { key.append(UInt8(ascii: ",")) }
            CanonicalJSON.writeString(package.name, into: &key)
            key.append(UInt8(ascii: ":"))
            pieces += [key[...], package.buildInfoFull?[...] ?? ArraySlice("null".utf8)]
            key = []
        }
        pieces.append(ArraySlice(key + "}\n".utf8))
        return Contents(pieces: pieces)
    }
}
