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
        let platform = arch == "aarch64" ? "linux/arm64" : "linux/amd64"
        guard let image = try await defaultImage(platform: platform, arch: arch) else {
            return CLIRunner.Outcome(status: -1, stdout: "", stderr: "no default builder image for \(arch) in podman: run scripts/images.sh")
        }
        let variables = environment.sorted { $0.key < $1.key }.flatMap { ["-e", "\($0.key)=\($0.value)"] }
        return try await CLIRunner.runTool("/usr/bin/podman", podmanOptions + [
            "run", "--rm", "--network", "none", "--platform", platform, "-v", "\(root.path):\(mountPoint):ro",
        ] + variables + [image, "sh", "-c", command], environment: podmanEnvironment)
    }

    /// The default builder's podman image for `platform`, as `pkgtree image build` names it for
    /// the bundled tree (instantly, from the repository's images). Not just any
    /// `pkgtree/builder-<arch>` image podman holds: other checkouts and recipes make their own.
    private static func defaultImage(platform: String, arch: String) async throws -> String? {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("pkgtree-builder-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let cache = try BuilderImages.cache(in: scratch)
        let made = try await CLIRunner.run(["image", "build", "--arch", arch, "--runner", "podman",
                                            "--packages", CLIRunner.repositoryRoot.appendingPathComponent("packages").path], cache: cache)
        let line = made.stdout.split(separator: "\n").first { $0.contains("(\(platform)): ") }
        return line.flatMap { $0.components(separatedBy: "(\(platform)): ").last }
    }
}
