import ArgumentParser
import Foundation
import PkgTreeKit

/// Where the remote cache is and how to trust it: `--remote-cache`, `--trusted-key`,
/// `--signing-key` and podman's TLS options. Each falls back to the environment and to
/// pkgtree.json's `remote_cache` (docs/registry.md).
struct RemoteCacheOptions: ParsableArguments {
    @Option(name: .customLong("remote-cache"),
            help: ArgumentHelp("The remote cache, oci://HOST[:PORT]/REPO. Default: $PKGTREE_REMOTE_CACHE, else pkgtree.json's remote_cache.url.", valueName: "url"))
    var url: String?

    @Option(name: .customLong("trusted-key"),
            help: ArgumentHelp("A public key (NAME:BASE64, or a .pub file) whose signatures pulls accept; repeat for more. Adds to $PKGTREE_TRUSTED_KEYS and remote_cache.trusted_keys.", valueName: "key"))
    var trustedKeys: [String] = []

    @Option(help: ArgumentHelp("The key file that signs what is pushed (pkgtree key generate). Default: $PKGTREE_SIGNING_KEY, else remote_cache.signing_key.", valueName: "file"))
    var signingKey: String?

    @OptionGroup var tls: RegistryTLSOptions

    /// The settings, or nil when no remote cache is configured anywhere.
    func settings(packages: String, push: Bool? = nil) throws -> RemoteCacheSettings? {
        try RemoteCacheSettings.resolve(packages: URL(fileURLWithPath: packages), overrides: .init(
            url: url, trustedKeys: trustedKeys, signingKey: signingKey, push: push, tlsVerify: tls.tlsVerify, certDir: tls.certDir))
    }

    /// The settings, which this command cannot do without.
    func required(packages: String) throws -> RemoteCacheSettings {
        guard let settings = try settings(packages: packages) else {
            throw Problems([Problem(field: "--remote-cache", "no remote cache is configured",
                                    hint: "pass --remote-cache oci://HOST[:PORT]/REPO, set PKGTREE_REMOTE_CACHE, or remote_cache.url in pkgtree.json")])
        }
        return settings
    }
}
