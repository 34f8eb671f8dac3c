import Foundation
import Subprocess

/// Runs a command in the aarch64 builder image under QEMU, with a host directory mounted
/// read-only as the install root `/opt/pkgtree`: how tests check that what was built for
/// aarch64 really runs there.
enum Aarch64Builder {
    static let podmanEnvironment: [Environment.Key: String] = ["CONTAINERS_CONF": "/etc/containers/pkgtree.conf"]
    static let podmanOptions = ["--runtime", "runc", "--cgroup-manager", "cgroupfs"]

    static func run(root: URL, environment: [String: String] = [:], _ command: String) async throws -> CLIRunner.Outcome {
        let images = try await CLIRunner.runTool("/usr/bin/podman", podmanOptions + ["images", "--format", "{{.Repository}}:{{.Tag}}"],
                                                 environment: podmanEnvironment)
        guard let image = images.stdout.split(separator: "\n").first(where: { $0.contains("pkgtree/builder-aarch64") }) else {
            return CLIRunner.Outcome(status: -1, stdout: "", stderr: "no pkgtree/builder-aarch64 image in podman: run scripts/images.sh")
        }
        let variables = environment.sorted { $0.key < $1.key }.flatMap { ["-e", "\($0.key)=\($0.value)"] }
        return try await CLIRunner.runTool("/usr/bin/podman", podmanOptions + [
            "run", "--rm", "--platform", "linux/arm64", "-v", "\(root.path):/opt/pkgtree:ro",
        ] + variables + [String(image), "sh", "-c", command], environment: podmanEnvironment)
    }
}
