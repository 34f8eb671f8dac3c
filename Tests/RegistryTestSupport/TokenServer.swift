import Foundation

/// A token server for the distribution registry's `token` auth (the Docker token protocol):
/// GET /token?service=…&scope=… with the right basic credentials returns a JWT, signed RS256
/// (by openssl) with a key whose certificate the registry trusts, granting the asked scopes.
/// Python's http.server over TLS from the test's CA, on 127.0.0.1 and a port the kernel picks.
final class TokenServer: @unchecked Sendable {
    static let issuer = "pkgtree-test-issuer"
    static let service = "pkgtree-test-registry"

    let port: Int
    let signingCertificate: URL
    private let process: BackgroundProcess

    private static let script = #"""
import base64, json, ssl, subprocess, sys, time, uuid, http.server, urllib.parse
key, certificate, user, password, tls_certificate, tls_key, issuer = sys.argv[1:8]
def b64(data): return base64.urlsafe_b64encode(data).rstrip(b"=").decode()
class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        query = urllib.parse.parse_qs(urllib.parse.urlparse(self.path).query)
        expected = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
        if self.headers.get("Authorization", "") != expected:
            self.send_response(401); self.send_header("Content-Length", "0"); self.end_headers(); return
        access = []
        for scope in query.get("scope", []):
            kind, name, actions = scope.split(":")
            access.append({"type": kind, "name": name, "actions": actions.split(",")})
        now = int(time.time())
        header = {"typ": "JWT", "alg": "RS256", "x5c": [certificate]}
        claims = {"iss": issuer, "sub": user, "aud": query.get("service", [""])[0], "exp": now + 600,
                  "nbf": now - 10, "iat": now, "jti": str(uuid.uuid4()), "access": access}
        signing_input = b64(json.dumps(header).encode()) + "." + b64(json.dumps(claims).encode())
        signature = subprocess.run(["openssl", "dgst", "-sha256", "-sign", key], input=signing_input.encode(),
                                   capture_output=True, check=True).stdout
        token = signing_input + "." + b64(signature)
        body = json.dumps({"token": token, "expires_in": 600}).encode()
        self.send_response(200); self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
        print("token", user, " ".join(query.get("scope", [])), flush=True)
    def log_message(self, *args): pass
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER); context.load_cert_chain(tls_certificate, tls_key)
server.socket = context.wrap_socket(server.socket, server_side=True)
print("listening", server.server_address[1], flush=True)
server.serve_forever()
"""#

    /// The log: one `token USER SCOPE` line per token issued.
    let log: URL

    init(directory: URL, certificates: TestCertificates, user: String, password: String) async throws {
        let key = directory.appendingPathComponent("token.key")
        signingCertificate = directory.appendingPathComponent("token.crt")
        try await ToolProcess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.path,
                                   "-out", signingCertificate.path, "-subj", "/CN=pkgtree test token signer", "-days", "2"])
        // The JWT's x5c header wants the certificate's DER in base64: the body of the PEM file.
        let derBase64 = try String(contentsOf: signingCertificate, encoding: .utf8).split(separator: "\n")
            .filter { !$0.hasPrefix("-----") }.joined()
        log = directory.appendingPathComponent("token-server.log")
        process = try await BackgroundProcess(["python3", "-u", "-c", Self.script, key.path, derBase64, user, password,
                                         certificates.serverCertificate.path, certificates.serverKey.path, Self.issuer], log: log)
        port = try await process.port(after: "listening ", in: log, command: ["python3", "token server"])
    }

    var realm: String { "https://127.0.0.1:\(port)/token" }

    /// The scopes of the tokens issued so far, one per token.
    var issuedScopes: [String] {
        ((try? String(contentsOf: log, encoding: .utf8)) ?? "").split(separator: "\n")
            .filter { $0.hasPrefix("token ") }.map { String($0.split(separator: " ", maxSplits: 2).dropFirst(2).first ?? "") }
    }

    func stop() async { await process.stop() }

    /// SIGKILL without waiting, for a `deinit`.
    func kill() { process.kill() }
}
