import Foundation

extension BuildInvocation {
    /// The install root a build sees at `path`, read-only (DESIGN §5): every transitive
    /// dependency at `packages/<id>`, pkgpanda's activation of them (`entries`), and an empty
    /// `packages/<id>` of the package being built, where its output is mounted. The runner puts
    /// it together its own way: engines get a host directory (`BuildInstallRoot`), bwrap
    /// assembles it in its mount namespace (`BwrapRunner.mountPlan`).
    public struct InstallRoot: Sendable {
        public struct Dependency: Sendable {
            public var id: String
            /// Its unpacked copy in the cache.
            public var content: URL
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
