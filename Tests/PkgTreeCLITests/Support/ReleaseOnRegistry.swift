import Foundation
import RegistryTestSupport
import Testing

/// A release pushed by `pkgtree release push` to a test registry, read back by skopeo, which
/// shares no code with pkgtree. What the release push tests share.
struct ReleaseOnRegistry: Sendable {
    let released: ReleasePublishTests.Released
    let registry: TestRegistry

    var credentials: (user: String, password: String) { registry.credentials ?? ("", "") }

    /// `pkgtree release push RELEASE oci://HOST/REPOSITORY:TAG`, logged in through a login file
    /// written for the registry's current port (a restarted registry listens on another).
    func push(_ repository: String, tag: String = "1.0") async throws -> CLIRunner.Outcome {
        let authFile = released.scratch.appendingPathComponent("auth-\(registry.port).json")
        try RemoteCacheFixture.writeAuthFile(authFile, registry: registry.host, user: credentials.user, password: credentials.password)
        var environment = CLIRunner.environment(cache: released.cache)
        environment["REGISTRY_AUTH_FILE"] = authFile.path
        return try await CLIRunner.runTool(CLIRunner.binary, ["release", "push", released.directory.path, "oci://\(registry.host)/\(repository):\(tag)",
                                                              "--cert-dir", registry.certificates.certDir.path], environment: environment)
    }

    /// The index digest a push's last line names (`… as index sha256:… (…)`).
    static func indexDigest(_ pushed: CLIRunner.Outcome) -> String? {
        pushed.stdout.range(of: "as index ").map { String(pushed.stdout[$0.upperBound...].prefix { $0 != " " }) }
    }

    /// `skopeo inspect --raw docker://HOST/REPOSITORY<reference>` (`:TAG` or `@DIGEST`): the
    /// manifest or index as the registry serves it.
    func inspect(_ repository: String, _ reference: String) async throws -> CLIRunner.Outcome {
        try await CLIRunner.runTool("/usr/bin/skopeo", ["inspect", "--raw", "--cert-dir", registry.certificates.certDir.path,
                                                        "--creds", "\(credentials.user):\(credentials.password)",
                                                        "docker://\(registry.host)/\(repository)\(reference)"])
    }

    /// `skopeo copy --all` of `REPOSITORY:TAG` into an OCI layout in `directory`: every
    /// platform's manifest, config and layer downloaded and checked against its digest.
    func copyAll(_ repository: String, tag: String = "1.0", to directory: URL) async throws -> CLIRunner.Outcome {
        try await CLIRunner.runTool("/usr/bin/skopeo", ["copy", "--all", "--src-cert-dir", registry.certificates.certDir.path,
                                                        "--src-creds", "\(credentials.user):\(credentials.password)",
                                                        "docker://\(registry.host)/\(repository):\(tag)", "oci:\(directory.path):\(tag)"])
    }
}
