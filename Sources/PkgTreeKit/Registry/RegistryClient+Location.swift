import Foundation

extension RegistryClient {
    /// Connects to the registry of `location` with the credentials the login files hold for it.
    public static func connect(_ location: RemoteCacheLocation, tls: RegistryTLS,
                               environment: [String: String] = ProcessInfo.processInfo.environment) async throws -> RegistryClient {
        let credentials = RegistryCredentials.find(registry: location.registry, repository: location.repository, environment: environment)
        return try await connect(location.registry, options: .init(tls: tls, credentials: credentials))
    }
}
