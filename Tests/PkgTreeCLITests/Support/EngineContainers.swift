import Foundation
import Subprocess
import Testing

/// pkgtree's build containers in podman or docker, as a user finds and removes them: named
/// `pkgtree-<name>--<hash>-<pid>` after the pkgtree process that started them.
enum EngineContainers {
    static let runners = ["bwrap", "podman", "docker"]

    /// The engine's client as the repository's pkgtree.json configures it; nil for bwrap.
    static func client(_ runner: String) -> (path: String, options: [String], environment: [Environment.Key: String])? {
        switch runner {
        case "podman": ("/usr/bin/podman", BuilderContainer.podmanOptions, BuilderContainer.podmanEnvironment)
        case "docker": (CLIRunner.which("docker") ?? "/usr/bin/docker", [], [:])
        default: nil
        }
    }

    /// The containers (running or not) of the pkgtree process `processID`.
    static func of(process processID: Int32, runner: String) async throws -> [String] {
        guard let client = client(runner) else { return [] }
        let list = try await CLIRunner.runTool(client.path, client.options + ["ps", "--all", "--filter", "name=pkgtree-", "--format", "{{.Names}}"],
                                               environment: client.environment)
        #expect(list.status == 0, "\(list.stderr)")
        return list.stdout.split(separator: "\n").map(String.init).filter { $0.hasSuffix("-\(processID)") }
    }

    /// What a user does after pkgtree was SIGKILLed, which no program can catch: `podman rm
    /// --force` / `docker rm -f` of its containers (a container outlives its client). Removes
    /// them until none is left and the orphaned clients naming `cache` have exited, since a
    /// client may create its container after the first look; at most `attempts` times.
    static func removeAfterKill(process processID: Int32, runner: String, cache: URL, attempts: Int = 60) async throws -> Bool {
        guard let client = client(runner) else { return true }
        for _ in 0..<attempts {
            let names = try await of(process: processID, runner: runner)
            if !names.isEmpty {
                _ = try await CLIRunner.runTool(client.path, client.options + ["rm", "--force"] + names, environment: client.environment)
            }
            if names.isEmpty, try ProcessTable.processes(containing: cache.path).isEmpty { return true }
            try await Task.sleep(for: .milliseconds(500))
        }
        return false
    }
}
