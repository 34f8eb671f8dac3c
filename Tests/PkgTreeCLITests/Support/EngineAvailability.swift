import Foundation
import RegistryTestSupport

/// Whether a container engine answers here: the docker client installs without its daemon.
/// Asked once per test run, by `docker info`; for `.enabled { await EngineAvailability.docker }`.
enum EngineAvailability {
    private static let dockerAnswers = Task<Bool, Never> {
        guard let path = ToolProcess.which("docker") else { return false }
        return (try? await ToolProcess.outcome(path, ["info"]))?.status == 0
    }

    static var docker: Bool {
        get async { await dockerAnswers.value }
    }
}
