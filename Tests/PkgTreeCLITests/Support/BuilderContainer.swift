import Foundation
import Subprocess

/// Runs a command in a default builder image (through podman, under QEMU for aarch64), with a
/// host directory mounted read-only as an install root: how tests check that what was built
/// really runs on its architecture.
enum BuilderContainer {
    static let podmanEnvironment: [Environment.Key: String] = ["CONTAINERS_CONF": "/etc/containers/pkgtree.conf"]
    static let podmanOptions = ["--runtime", "runc", "--cgroup-manager", "cgroupfs"]

    /// Runs `command` with `sh -c` in the `arch` builder, `root` mounted at `mountPoint`.
    static func run(arch: String = "aarch64", root: URL, at mountPoint: String = "/opt/pkgtree",
                    environment: [String: String] = [:], _ command: String) async throws -> CLIRunner.Outcome {
        let images = try await CLIRunner.runTool("/usr/bin/podman", podmanOptions + ["images", "--format", "{{.Repository}}:{{.Tag}}"],
                                                 environment: podmanEnvironment)
        guard let image = images.stdout.split(separator: "\n").first(where: { $0.contains("pkgtree/builder-\(arch)") }) else {
            return CLIRunner.Outcome(status: -1, stdout: "", stderr: "no pkgtree/builder-\(arch) image in podman: run scripts/images.sh")
        }
        let platform = arch == "aarch64" ? "linux/arm64" : "linux/amd64"
        let variables = environment.sorted { $0.key < $1.key }.flatMap { ["-e", "\($0.key)=\($0.value)"] }
        return try await CLIRunner.runTool("/usr/bin/podman", podmanOptions + [
            "run", "--rm", "--network", "none", "--platform", platform, "-v", "\(root.path):\(mountPoint):ro",
        ] + variables + [String(image), "sh", "-c", command], environment: podmanEnvironment)
    }
}
