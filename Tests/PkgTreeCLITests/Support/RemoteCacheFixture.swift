import Foundation
import RegistryTestSupport
import Subprocess
import Testing

/// A tree of small packages with real tar.xz artifacts for their x86_64 ids, a signing key
/// made by `pkgtree key generate`, and a login file for a test registry: what the remote-cache
/// command tests push and pull.
struct RemoteCacheFixture: Sendable {
    let registry: TestRegistry
    let directory: URL
    let packages: URL
    /// The artifacts, `<id>.tar.xz`, by package name.
    let artifacts: [String: URL]
    /// The login for the registry where it listens now, `auth-PORT.json`: a restarted
    /// registry listens on another port.
    var authFile: URL {
        get throws {
            let file = directory.appendingPathComponent("auth-\(registry.port).json")
            if !FileManager.default.fileExists(atPath: file.path) {
                try Self.writeAuthFile(file, registry: registry.host, user: registry.credentials?.user ?? "", password: registry.credentials?.password ?? "")
            }
            return file
        }
    }
    let secretKey: URL
    let publicKey: URL

    /// The remote cache's repository prefix (`REPO` of `oci://HOST/REPO`).
    var prefix = "team/pkgtree"

    var remote: String { "oci://\(registry.host)/\(prefix)" }

    /// The same fixture with the remote cache under another prefix: repositories with nothing pushed yet.
    func under(_ prefix: String) -> RemoteCacheFixture {
        var fixture = self
        fixture.prefix = prefix
        return fixture
    }

    init(registry: TestRegistry, names: [String]) async throws {
        self.registry = registry
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("pkgtree-remote-\(UUID().uuidString)")
        packages = directory.appendingPathComponent("packages")
        for (index, name) in names.enumerated() {
            let package = packages.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: package, withIntermediateDirectories: true)
            try Data("{}".utf8).write(to: package.appendingPathComponent("buildinfo.json"))
            try Data("echo \(index)\n".utf8).write(to: package.appendingPathComponent("build"))
        }
        let plan = try await CLIRunner.run(["plan", "--arch", "x86_64", "--json", "--packages", packages.path],
                                           cache: directory.appendingPathComponent("plan-cache"))
        let document = try #require(try JSONSerialization.jsonObject(with: Data(plan.stdout.utf8)) as? [String: Any])
        var artifacts: [String: URL] = [:]
        for package in try #require(document["packages"] as? [[String: Any]]) {
            let (name, id) = (try #require(package["name"] as? String), try #require(package["id"] as? String))
            let content = directory.appendingPathComponent("content/\(name)/bin")
            try FileManager.default.createDirectory(at: content, withIntermediateDirectories: true)
            var generator = SystemRandomNumberGenerator()
            try Data((0..<(64 << 10)).map { _ in UInt8.random(in: 0...255, using: &generator) }).write(to: content.appendingPathComponent(name))
            let artifact = directory.appendingPathComponent("artifacts/\(id).tar.xz")
            try FileManager.default.createDirectory(at: artifact.deletingLastPathComponent(), withIntermediateDirectories: true)
            let tar = try await CLIRunner.runTool("/usr/bin/tar", ["-cJf", artifact.path, "-C", content.deletingLastPathComponent().path, "."])
            #expect(tar.status == 0, "\(tar.stderr)")
            artifacts[name] = artifact
        }
        self.artifacts = artifacts
        let keys = directory.appendingPathComponent("keys")
        let generated = try await CLIRunner.run(["key", "generate", "--name", "ci.test-1", "--output", keys.path])
        #expect(generated.status == 0, "\(generated.stderr)")
        secretKey = keys.appendingPathComponent("ci.test-1.key")
        publicKey = keys.appendingPathComponent("ci.test-1.pub")
    }

    /// `{"auths": {"HOST": {"auth": base64(user:password)}}}`, as `podman login` writes it.
    static func writeAuthFile(_ file: URL, registry: String, user: String, password: String) throws {
        let auth = Data("\(user):\(password)".utf8).base64EncodedString()
        try JSONSerialization.data(withJSONObject: ["auths": [registry: ["auth": auth]]]).write(to: file, options: .atomic)
    }

    func id(_ name: String) -> String { artifacts[name]!.deletingPathExtension().deletingPathExtension().lastPathComponent }

    /// A cache holding the artifacts of `names` (all, by default), brought in by `cache import`.
    func cache(importing names: [String]? = nil) async throws -> URL {
        let cache = directory.appendingPathComponent("cache-\(UUID().uuidString)")
        let files = (names ?? Array(artifacts.keys)).map { artifacts[$0]!.path }
        let imported = try await CLIRunner.run(["cache", "import", "--arch", "x86_64", "--packages", packages.path] + files, cache: cache)
        #expect(imported.status == 0, "\(imported.stderr)")
        return cache
    }

    /// Runs pkgtree against the registry: the login file, the test CA and the remote cache
    /// option are given; no other login file of the machine is read.
    func run(_ arguments: [String], cache: URL, authFile: URL? = nil) async throws -> CLIRunner.Outcome {
        var environment = CLIRunner.environment(cache: cache)
        environment["REGISTRY_AUTH_FILE"] = try (authFile ?? self.authFile).path
        environment["XDG_RUNTIME_DIR"] = directory.path
        environment["DOCKER_CONFIG"] = directory.path
        return try await CLIRunner.runTool(CLIRunner.binary, arguments + [
            "--remote-cache", remote, "--cert-dir", registry.certificates.certDir.path,
        ], environment: environment)
    }

    func push(_ arguments: [String] = ["--all"], cache: URL, authFile: URL? = nil) async throws -> CLIRunner.Outcome {
        try await run(["cache", "push", "--signing-key", secretKey.path, "--packages", packages.path] + arguments, cache: cache, authFile: authFile)
    }

    func pull(_ arguments: [String] = ["--all"], cache: URL, trusting key: URL? = nil, authFile: URL? = nil) async throws -> CLIRunner.Outcome {
        try await run(["cache", "pull", "--arch", "x86_64", "--packages", packages.path, "--trusted-key", (key ?? publicKey).path] + arguments,
                      cache: cache, authFile: authFile)
    }

    /// The ids the cache holds, from `cache ls --json`.
    static func cachedIDs(_ cache: URL) async throws -> Set<String> {
        let list = try await CLIRunner.run(["cache", "ls", "--json"], cache: cache)
        return Set(list.stdout.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["id"] as? String
        })
    }
}
