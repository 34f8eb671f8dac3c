import AsyncHTTPClient
import Foundation
import NIOCore

/// Answers a registry's `WWW-Authenticate` challenges: `Basic` with the credentials from the
/// login files, `Bearer` by fetching a token from the challenge's realm (with those
/// credentials, or anonymously) for the challenge's scope. Tokens are kept per repository,
/// since each is scoped to one (`repository:REPO/x86_64:pull,push`).
actor RegistryAuthenticator {
    let registry: String
    let credentials: RegistryCredentials?
    private let http: HTTPClient
    private var basic = false
    private var tokens: [String: String] = [:]

    init(registry: String, credentials: RegistryCredentials?, http: HTTPClient) {
        self.registry = registry
        self.credentials = credentials
        self.http = http
    }

    /// The `Authorization` header for a request to `repository` (nil: a registry-wide request).
    func header(for repository: String?) -> String? {
        if basic, let credentials { return Self.basicHeader(credentials) }
        return tokens[repository ?? ""]
    }

    /// Prepares the header that answers `challenge`; throws when nothing can.
    func respond(to challenge: AuthChallenge, repository: String?) async throws {
        switch challenge.scheme {
        case "basic":
            guard credentials != nil else { throw missingCredentials() }
            basic = true
        case "bearer":
            tokens[repository ?? ""] = "Bearer " + (try await fetchToken(challenge))
        default:
            throw RegistryError.unauthorized(registry: registry, "it asks for '\(challenge.scheme)' authentication, which pkgtree does not speak")
        }
    }

    /// Why a request that carried credentials was refused anyway.
    func refusal() -> RegistryError {
        guard let credentials else { return missingCredentials() }
        return .unauthorized(registry: registry, "it refused the credentials of user '\(credentials.user)' from \(credentials.source); log in again with `podman login \(registry)`")
    }

    private func missingCredentials() -> RegistryError {
        let files = RegistryCredentials.authFiles().map(\.path).joined(separator: ", ")
        return .unauthorized(registry: registry, "it asks for credentials and none were found (looked in \(files.isEmpty ? "no file" : files)); run `podman login \(registry)` or `docker login \(registry)`")
    }

    /// The distribution token protocol: GET realm?service=…&scope=… → `{"token": …}`.
    private func fetchToken(_ challenge: AuthChallenge) async throws -> String {
        guard let realm = challenge.realm, var components = URLComponents(string: realm) else {
            throw RegistryError.unexpected(registry: registry, "its Bearer challenge names no token realm")
        }
        components.queryItems = (components.queryItems ?? []) + ["service", "scope"].compactMap { key in
            challenge.parameters[key].map { URLQueryItem(name: key, value: $0) }
        }
        guard let url = components.url else { throw RegistryError.unexpected(registry: registry, "its token realm '\(realm)' is not a URL") }
        var request = HTTPClientRequest(url: url.absoluteString)
        if let credentials { request.headers.add(name: "Authorization", value: Self.basicHeader(credentials)) }
        let response: HTTPClientResponse
        do {
            response = try await http.execute(request, timeout: .seconds(60))
        } catch {
            throw RegistryClient.transportError(error, registry: url.host ?? registry)
        }
        let body = try await response.body.collect(upTo: 1 << 20)
        switch response.status.code {
        case 200:
            struct Answer: Decodable { var token: String?; var access_token: String? }
            guard let answer = try? JSONDecoder().decode(Answer.self, from: Data(body.readableBytesView)),
                  let token = answer.token ?? answer.access_token, !token.isEmpty else {
                throw RegistryError.unexpected(registry: registry, "its token server \(realm) sent no token")
            }
            return token
        case 401, 403: throw refusal()
        case 500...599, 429: throw RegistryError.serverError(registry: registry, status: Int(response.status.code), "from its token server \(realm)")
        default: throw RegistryError.unexpected(registry: registry, "its token server \(realm) answered \(response.status.code)")
        }
    }

    static func basicHeader(_ credentials: RegistryCredentials) -> String {
        "Basic " + Data("\(credentials.user):\(credentials.password)".utf8).base64EncodedString()
    }
}
