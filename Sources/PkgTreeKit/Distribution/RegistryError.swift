/// What went wrong talking to a registry, phrased for the person who runs pkgtree. The remote
/// cache is an optimisation: `isUnavailable` errors (the registry cannot be reached, times
/// out, or answers 5xx/429) cost a warning, never a failed build.
public enum RegistryError: Error, Sendable, CustomStringConvertible {
    /// Connection refused or reset, DNS, timeouts.
    case unreachable(registry: String, String)
    /// The TLS handshake failed: an unknown CA, a wrong host name, or a plain-HTTP server.
    case tls(registry: String, String)
    /// 5xx, or 429 (too many requests).
    case serverError(registry: String, status: Int, String)
    /// 401 after the credentials were sent, or no credentials for a registry that wants them.
    case unauthorized(registry: String, String)
    /// 403: the credentials are known but may not do this.
    case denied(registry: String, String)
    /// Any other answer the protocol does not allow at this point.
    case unexpected(registry: String, String)
    /// What came back is not what was asked for (digest, size, manifest shape).
    case invalidContent(registry: String, String)

    public var isUnavailable: Bool {
        switch self {
        case .unreachable, .serverError: true
        default: false
        }
    }

    /// The registry refused a manifest because a blob it names is unknown to it (the
    /// distribution spec's error code `MANIFEST_BLOB_UNKNOWN`).
    var isUnknownBlob: Bool {
        if case .unexpected(_, let message) = self { message.contains("MANIFEST_BLOB_UNKNOWN") } else { false }
    }

    public var description: String {
        switch self {
        case .unreachable(let registry, let message):
            "registry \(registry) cannot be reached: \(message)"
        case .tls(let registry, let message):
            "registry \(registry): TLS failed: \(message) (trust its CA with --cert-dir DIR holding a *.crt file, or /etc/containers/certs.d/\(registry)/; --tls-verify=false skips the check)"
        case .serverError(let registry, let status, let message):
            "registry \(registry) answered \(status)\(message.isEmpty ? "" : ": \(message)")"
        case .unauthorized(let registry, let message):
            "registry \(registry) refused access: \(message)"
        case .denied(let registry, let message):
            "registry \(registry) denied the request: \(message)"
        case .unexpected(let registry, let message):
            "registry \(registry): \(message)"
        case .invalidContent(let registry, let message):
            "registry \(registry) sent wrong content: \(message)"
        }
    }
}
