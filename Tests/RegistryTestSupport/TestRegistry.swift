import Foundation

/// Debian's `docker-registry` (CNCF distribution 2.8) on 127.0.0.1 and a port the kernel picks,
/// for one test: filesystem storage in a temporary directory, TLS from a CA the test makes,
/// and htpasswd basic auth, token auth through a token server of its own, or none.
/// `TestRegistry.with { … }` stops it when the body ends; were the test runner killed,
/// `timeout` still ends it after half an hour.
public final class TestRegistry: @unchecked Sendable {
    public enum Auth: Sendable {
        case none
        /// htpasswd (bcrypt, made by `htpasswd -B`) with one user.
        case basic(user: String, password: String)
        /// Bearer tokens from `TokenServer`, which wants these basic credentials.
        case token(user: String, password: String)
    }

    public let directory: URL
    public let certificates: TestCertificates
    public let auth: Auth
    /// false: plain HTTP, as some in-house registries still run.
    public let tls: Bool
    public private(set) var port = 0
    private var process: BackgroundProcess?
    private var tokenServer: TokenServer?

    /// `127.0.0.1:PORT`: how clients name the registry.
    public var host: String { "127.0.0.1:\(port)" }
    /// Where the registry keeps blobs and repositories.
    public var storage: URL { directory.appendingPathComponent("storage") }
    public var log: URL { directory.appendingPathComponent("registry.log") }

    /// The user and password the registry accepts, when it asks for any.
    public var credentials: (user: String, password: String)? {
        switch auth {
        case .basic(let user, let password), .token(let user, let password): (user, password)
        case .none: nil
        }
    }

    /// The tools the harness runs; nil when all are installed, else what is missing (for a
    /// test's skip message: scripts/setup.sh installs them).
    public static var missingTools: String? {
        let missing = ["docker-registry", "openssl", "htpasswd", "timeout", "python3"].filter { ToolProcess.which($0) == nil }
        return missing.isEmpty ? nil : "not installed: \(missing.joined(separator: ", ")) (scripts/setup.sh installs them)"
    }

    public static var isAvailable: Bool { missingTools == nil }

    private init(auth: Auth, tls: Bool) async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("pkgtree-registry-\(UUID().uuidString)")
        certificates = try await TestCertificates.make(in: directory.appendingPathComponent("tls"))
        self.auth = auth
        self.tls = tls
    }

    /// Starts a registry, runs `body` with it, and stops it however `body` ends.
    public static func with<T>(auth: Auth = .basic(user: "builder", password: "s3cret-\(UInt32.random(in: 0...UInt32.max))"),
                               tls: Bool = true, _ body: (TestRegistry) async throws -> T) async throws -> T {
        let registry = try await TestRegistry(auth: auth, tls: tls)
        do {
            try await registry.start()
            let result = try await body(registry)
            await registry.stopAll()
            return result
        } catch {
            await registry.stopAll()
            throw error
        }
    }

    private func stopAll() async {
        await stop()
        await tokenServer?.stop()
    }

    /// Starts the server (again, after `stop`, on a new port and the same storage) and waits
    /// until it listens.
    public func start() async throws {
        if case .token(let user, let password) = auth, tokenServer == nil {
            tokenServer = try await TokenServer(directory: directory, certificates: certificates, user: user, password: password)
        }
        try await writeConfiguration()
        let process = try await BackgroundProcess(Self.withoutRegistryVariables + ["docker-registry", "serve", configuration.path], log: log)
        self.process = process
        // distribution logs `listening on 127.0.0.1:PORT, tls` once it accepts connections.
        do {
            port = try await process.port(after: "listening on 127.0.0.1:", in: log, command: ["docker-registry", "serve", configuration.path])
        } catch {
            self.process = nil
            throw error
        }
    }

    /// distribution reads `REGISTRY_*` variables as configuration, and `REGISTRY_AUTH_FILE`,
    /// podman's login file, set in a developer's shell would become its auth section and stop it
    /// from starting: `env` without any of them.
    static var withoutRegistryVariables: [String] {
        ["env"] + ProcessInfo.processInfo.environment.keys.filter { $0.hasPrefix("REGISTRY_") }.sorted().flatMap { ["-u", $0] }
    }

    /// Stops the registry (its storage stays, for `start()` again).
    public func stop() async {
        await process?.stop()
        process = nil
    }

    /// The scopes of the bearer tokens issued so far (token auth only).
    public var issuedTokenScopes: [String] { tokenServer?.issuedScopes ?? [] }

    /// A backstop: `with` has stopped both already, unless something escaped it.
    deinit {
        process?.kill()
        tokenServer?.kill()
    }

    /// The file that holds a blob's bytes in the registry's storage (to tamper with it).
    public func blobFile(digest: String) -> URL {
        let hex = digest.hasPrefix("sha256:") ? String(digest.dropFirst(7)) : digest
        return storage.appendingPathComponent("docker/registry/v2/blobs/sha256/\(hex.prefix(2))/\(hex)/data")
    }

    private var configuration: URL { directory.appendingPathComponent("config.yml") }

    private func writeConfiguration() async throws {
        var lines = [
            "version: 0.1",
            "log:",
            "  level: info",
            "  accesslog:",
            "    disabled: true",
            "storage:",
            "  filesystem:",
            "    rootdirectory: \(storage.path)",
            "  delete:",
            "    enabled: true",
            "http:",
            "  addr: 127.0.0.1:0",
            "  secret: \(UUID().uuidString)",
        ]
        if tls {
            lines += ["  tls:", "    certificate: \(certificates.serverCertificate.path)", "    key: \(certificates.serverKey.path)"]
        }
        if case .basic(let user, let password) = auth {
            let htpasswd = directory.appendingPathComponent("htpasswd")
            try await ToolProcess.run(["htpasswd", "-Bbn", user, password]).write(to: htpasswd, atomically: true, encoding: .utf8)
            lines += ["auth:", "  htpasswd:", "    realm: pkgtree-test", "    path: \(htpasswd.path)"]
        }
        if let tokenServer {
            lines += ["auth:", "  token:", "    realm: \(tokenServer.realm)", "    service: \(TokenServer.service)",
                      "    issuer: \(TokenServer.issuer)", "    rootcertbundle: \(tokenServer.signingCertificate.path)"]
        }
        try (lines.joined(separator: "\n") + "\n").write(to: configuration, atomically: true, encoding: .utf8)
    }
}
