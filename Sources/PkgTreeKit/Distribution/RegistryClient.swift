import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL

/// A client of one registry through the OCI distribution API (`/v2/`): ping, blobs,
/// manifests and tags over HTTPS (or HTTP, with `--tls-verify=false` and a registry that
/// speaks only that), answering auth challenges on the way. Bodies stream; nothing here holds
/// a blob in memory. `close()` when done.
public final class RegistryClient: AsyncClosable {
    public let registry: String
    let baseURL: String
    let http: HTTPClient
    let authenticator: RegistryAuthenticator

    public struct Options: Sendable {
        public var tls = RegistryTLS()
        public var credentials: RegistryCredentials?
        /// How long connecting, and then each wait for bytes, may take.
        public var connectTimeout: TimeAmount = .seconds(10)
        public var readTimeout: TimeAmount = .seconds(60)

        public init(tls: RegistryTLS = RegistryTLS(), credentials: RegistryCredentials? = nil) {
            self.tls = tls
            self.credentials = credentials
        }
    }

    private init(registry: String, baseURL: String, http: HTTPClient, credentials: RegistryCredentials?) {
        self.registry = registry
        self.baseURL = baseURL
        self.http = http
        authenticator = RegistryAuthenticator(registry: registry, credentials: credentials, http: http)
    }

    /// Connects to `registry` (`host[:port]`) and pings `/v2/`, which proves it speaks the API,
    /// picks HTTPS or (only without TLS verification) HTTP, and checks basic credentials.
    public static func connect(_ registry: String, options: Options) async throws -> RegistryClient {
        var configuration = HTTPClient.Configuration(
            tlsConfiguration: try options.tls.configuration(for: registry),
            timeout: .init(connect: options.connectTimeout, read: options.readTimeout))
        configuration.httpVersion = .automatic
        // A refused connection or a failed handshake is the answer: retrying until the connect
        // timeout would make every build wait that long for a registry that is down.
        configuration.connectionPool.retryConnectionEstablishment = false
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        do {
            let secure = RegistryClient(registry: registry, baseURL: "https://\(registry)", http: http, credentials: options.credentials)
            do {
                try await secure.ping()
                return secure
            } catch RegistryError.tls(_, _) where !options.tls.verify {
                let plain = RegistryClient(registry: registry, baseURL: "http://\(registry)", http: http, credentials: options.credentials)
                try await plain.ping()
                return plain
            }
        } catch {
            try? await http.shutdown()
            throw error
        }
    }

    public func close() async {
        try? await http.shutdown()
    }

    /// `GET /v2/`: 200, or a challenge answered right away (basic credentials are checked here).
    func ping() async throws {
        let response = try await send(.GET, "/v2/", repository: nil)
        guard response.status == .ok else {
            throw RegistryError.unexpected(registry: registry, "GET /v2/ answered \(response.status.code): it does not look like an OCI registry")
        }
    }

    /// Sends a request built by `make` (again, after answering a 401 challenge), with the
    /// authorization for `repository`. Transport failures, 5xx and 429, 401 after auth and 403
    /// are thrown as `RegistryError`; other answers are the caller's to read.
    func send(_ method: HTTPMethod, _ target: String, repository: String?, headers: [(String, String)] = [],
              body: (@Sendable () -> HTTPClientRequest.Body)? = nil, timeout: TimeAmount = .seconds(3600)) async throws -> HTTPClientResponse {
        var answered = false
        while true {
            var request = HTTPClientRequest(url: target.hasPrefix("http") ? target : baseURL + target)
            request.method = method
            for (name, value) in headers { request.headers.add(name: name, value: value) }
            if let authorization = await authenticator.header(for: repository) {
                request.headers.add(name: "Authorization", value: authorization)
            }
            if let body { request.body = body() }
            let response: HTTPClientResponse
            do {
                response = try await http.execute(request, timeout: timeout)
            } catch {
                throw Self.transportError(error, registry: registry)
            }
            switch response.status.code {
            case 401:
                guard !answered, let header = response.headers.first(name: "WWW-Authenticate"),
                      let challenge = AuthChallenge(header: header) else {
                    throw await authenticator.refusal()
                }
                answered = true
                try await authenticator.respond(to: challenge, repository: repository)
            case 403:
                throw RegistryError.denied(registry: registry, "\(method) \(Self.pathOnly(target)): \(await Self.errorText(response))")
            case 429, 500...599:
                throw RegistryError.serverError(registry: registry, status: Int(response.status.code),
                                                "\(method) \(Self.pathOnly(target)): \(await Self.errorText(response))")
            default:
                return response
            }
        }
    }

    /// A failure below HTTP, as a `RegistryError` (TLS failures apart from the rest).
    static func transportError(_ error: Error, registry: String) -> RegistryError {
        if let known = error as? RegistryError { return known }
        if error is NIOSSLError || error is BoringSSLError || error is NIOSSLExtraError {
            return .tls(registry: registry, tlsReason("\(error)"))
        }
        if let client = error as? HTTPClientError, client == .connectTimeout || client == .readTimeout || client == .deadlineExceeded {
            return .unreachable(registry: registry, "timed out (\(client))")
        }
        return .unreachable(registry: registry, "\(error)")
    }

    /// BoringSSL's reason in words for the common cases (its own text names source paths).
    static func tlsReason(_ text: String) -> String {
        let known = [("CERTIFICATE_VERIFY_FAILED", "its certificate is not signed by a CA this machine trusts"),
                     ("WRONG_VERSION_NUMBER", "it does not answer in TLS (a plain-HTTP registry?)")]
        guard let (code, words) = known.first(where: { text.contains($0.0) }) else { return text }
        return "\(words) (\(code))"
    }

    /// The registry's error message (`{"errors": [{"code": …, "message": …}]}`), or its status.
    static func errorText(_ response: HTTPClientResponse) async -> String {
        struct Errors: Decodable { struct Entry: Decodable { var code: String?; var message: String? }; var errors: [Entry] }
        guard let body = try? await response.body.collect(upTo: 64 << 10),
              let errors = try? JSONDecoder().decode(Errors.self, from: Data(body.readableBytesView)), !errors.errors.isEmpty else {
            return "HTTP \(response.status.code)"
        }
        return errors.errors.map { [$0.code, $0.message].compactMap { $0 }.joined(separator: ": ") }.joined(separator: "; ")
    }

    /// A URL or path without its query (upload URLs carry state there, not for messages).
    static func pathOnly(_ target: String) -> String {
        String(target.prefix { $0 != "?" })
    }

    /// The response's body, drained, so the connection can serve the next request.
    static func discard(_ response: HTTPClientResponse) async {
        do { for try await _ in response.body {} } catch {}
    }
}
