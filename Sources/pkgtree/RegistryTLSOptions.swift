import ArgumentParser
import Foundation
import PkgTreeKit

/// podman's TLS options for a registry: `--tls-verify` and `--cert-dir` (docs/registry.md).
struct RegistryTLSOptions: ParsableArguments {
    @Option(name: .customLong("tls-verify"),
            help: ArgumentHelp("Verify the registry's TLS certificate (default true); false also allows plain HTTP, as podman's --tls-verify=false.", valueName: "bool"))
    var tlsVerify: Bool?

    @Option(help: ArgumentHelp("Directory of *.crt CA files (and a *.cert/*.key client pair) for the registry, as podman's --cert-dir. Default: /etc/containers/certs.d/HOST[:PORT]/.", valueName: "dir"))
    var certDir: String?

    /// TLS as given on the command line, podman's defaults otherwise.
    var settings: RegistryTLS {
        RegistryTLS(verify: tlsVerify ?? true, certDirectory: certDir.map { URL(fileURLWithPath: $0) })
    }
}
