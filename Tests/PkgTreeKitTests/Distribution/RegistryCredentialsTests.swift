import Foundation
@testable import PkgTreeKit
import Testing

/// Credentials come from the files podman and docker login write, in containers/image's order.
struct RegistryCredentialsTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pkgtree-auth-\(UUID().uuidString)")

    func write(_ path: String, _ auths: [String: [String: String]]) throws -> URL {
        let file = directory.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try JSONSerialization.data(withJSONObject: ["auths": auths]).write(to: file)
        return file
    }

    static func auth(_ user: String, _ password: String) -> [String: String] {
        ["auth": Data("\(user):\(password)".utf8).base64EncodedString()]
    }

    @Test func theFirstFileNamingTheRegistryWinsInPodmansOrder() throws {
        let explicit = try write("explicit.json", ["other.example": Self.auth("x", "y")])
        _ = try write("run/containers/auth.json", ["registry.example:5000": Self.auth("podman-user", "p:ss")])
        _ = try write("docker/config.json", ["registry.example:5000": Self.auth("docker-user", "d")])
        let environment = ["REGISTRY_AUTH_FILE": explicit.path, "XDG_RUNTIME_DIR": directory.appendingPathComponent("run").path,
                           "DOCKER_CONFIG": directory.appendingPathComponent("docker").path]
        let found = try #require(RegistryCredentials.find(registry: "registry.example:5000", repository: "cache", environment: environment))
        #expect(found.user == "podman-user" && found.password == "p:ss")
        #expect(found.source.hasSuffix("run/containers/auth.json"))
        let other = RegistryCredentials.find(registry: "other.example", repository: "cache", environment: environment)
        #expect(other?.user == "x")
        #expect(RegistryCredentials.find(registry: "unknown.example", repository: "cache", environment: environment) == nil)
    }

    @Test func dockersURLKeysAndRepositoryKeysMatchTheMostSpecificEntry() throws {
        let file = try write("config.json", [
            "https://registry.example:5000/v1/": Self.auth("host-user", "a"),
            "registry.example:5000/team": Self.auth("team-user", "b"),
            "registry.example:5000/team/pkgtree": ["username": "cache-user", "password": "c"],
        ])
        let environment = ["REGISTRY_AUTH_FILE": file.path]
        #expect(RegistryCredentials.find(registry: "registry.example:5000", repository: "team/pkgtree/cache", environment: environment)?.user == "cache-user")
        #expect(RegistryCredentials.find(registry: "registry.example:5000", repository: "team/other", environment: environment)?.user == "team-user")
        #expect(RegistryCredentials.find(registry: "registry.example:5000", repository: "teams", environment: environment)?.user == "host-user")
    }

    /// Builder images on Docker Hub (`golang:1.10` is `docker.io/library/golang`) find what
    /// `docker login` wrote for it.
    @Test func dockerHubsLoginIsFoundUnderDockerIo() throws {
        let file = try write("config.json", ["https://index.docker.io/v1/": Self.auth("hub-user", "h")])
        #expect(RegistryCredentials.find(registry: "docker.io", repository: "library/golang", environment: ["REGISTRY_AUTH_FILE": file.path])?.user == "hub-user")
    }

    @Test func homesDockerConfigIsTheLastPlaceLooked() {
        let files = RegistryCredentials.authFiles(environment: ["HOME": "/home/builder", "XDG_RUNTIME_DIR": "/run/user/1000"])
        #expect(files.map(\.path) == ["/run/user/1000/containers/auth.json", "/home/builder/.docker/config.json"])
    }
}
