import Foundation

/// Whether a container engine answers here: the docker client installs without its daemon.
enum EngineAvailability {
    static let docker: Bool = {
        guard let path = CLIRunner.which("docker") else { return false }
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: path)
        probe.arguments = ["info"]
        probe.standardOutput = FileHandle.nullDevice
        probe.standardError = FileHandle.nullDevice
        guard (try? probe.run()) != nil else { return false }
        probe.waitUntilExit()
        return probe.terminationStatus == 0
    }()
}
