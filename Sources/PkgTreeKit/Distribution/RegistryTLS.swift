import Foundation
import NIOSSL

/// TLS toward one registry, as podman sets it: the system's CAs plus every `*.crt` in the
/// registry's certificate directory, and a client certificate from a `*.cert` / `*.key` pair
/// there (mutual TLS). The directory is `--cert-dir DIR` when given, else the first of
/// `/etc/containers/certs.d/HOST[:PORT]/`, `~/.config/containers/certs.d/HOST[:PORT]/` and
/// `/etc/docker/certs.d/HOST[:PORT]/` that exists. `verify: false` (`--tls-verify=false`)
/// accepts any certificate, and lets a registry that speaks only HTTP be used.
public struct RegistryTLS: Sendable, Hashable {
    public var verify: Bool
    public var certDirectory: URL?

    public init(verify: Bool = true, certDirectory: URL? = nil) {
        self.verify = verify
        self.certDirectory = certDirectory
    }

    /// The certificate directory used for `registry`, if any.
    func directory(for registry: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> URL? {
        if let certDirectory { return certDirectory }
        var candidates = [URL(fileURLWithPath: "/etc/containers/certs.d").child(registry)]
        if let home = environment["HOME"], !home.isEmpty {
            candidates.append(URL(fileURLWithPath: home).child(".config/containers/certs.d").child(registry))
        }
        candidates.append(URL(fileURLWithPath: "/etc/docker/certs.d").child(registry))
        return candidates.first { FileStatus.of($0.path, followingSymlinks: true)?.kind == .directory }
    }

    /// The client configuration for `registry`; a bad file in the directory is an error naming it.
    func configuration(for registry: String) throws -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if !verify { configuration.certificateVerification = .none }
        guard let directory = directory(for: registry) else { return configuration }
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).sorted()
        for name in names where name.hasSuffix(".crt") {
            configuration.additionalTrustRoots.append(.file(directory.child(name).path))
        }
        for name in names where name.hasSuffix(".cert") {
            let key = directory.child(String(name.dropLast(".cert".count)) + ".key")
            do {
                configuration.certificateChain = try NIOSSLCertificate.fromPEMFile(directory.child(name).path).map { .certificate($0) }
                configuration.privateKey = .privateKey(try NIOSSLPrivateKey(file: key.path, format: .pem))
            } catch {
                throw RegistryError.tls(registry: registry, "cannot load the client certificate \(directory.child(name).path) and its key \(key.path): \(error)")
            }
        }
        return configuration
    }
}
