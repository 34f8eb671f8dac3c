import Foundation

extension BuildInvocation {
    /// The install root a build sees at `path`, read-only (docs/build.md): every transitive
    /// dependency at `packages/<id>`, pkgpanda's activation of them (`entries`), and an empty
    /// `packages/<id>` of the package being built, where its output is mounted. The runner puts
    /// it together its own way: engines get a host directory (`BuildInstallRoot`), bwrap
    /// assembles it in its mount namespace (`BwrapRunner.mountPlan`).
    public struct InstallRoot: Sendable {
        public struct Dependency: Sendable {
            public var id: String
            /// Its unpacked copy in the cache.
            public var content: URL
            /// A directory holding `packages/<id>/` (the copy) and nothing else: a layer that,
            /// stacked with others, shows the package where the install root has it. Its
            /// parent directory and its name, as plain paths (a deep build has a thousand).
            public var layerParent: String
            public var layerName: String
            /// `active/<name>`, when the layer holds activation's link for the package
            /// (`-> ../packages/<id>`), which bwrap then need not make.
            public var activeLink: String?
            /// Its files, parents first.
            var files: [LinkFarm.Entry]
        }

        public var path: String
        public var entries: [Activation.Entry]
        public var dependencies: [Dependency]
        /// The id of the package being built.
        public var outputID: String
    }
}
