import Foundation

/// A certificate authority made for one test, and a server certificate it signed for
/// 127.0.0.1 and localhost: TLS that verifies only against this CA, as a company registry's
/// does. EC P-256 keys, made with openssl in milliseconds.
public struct TestCertificates: Sendable {
    public let directory: URL
    /// The CA certificate (PEM): what `--cert-dir` and `--ca-file` options point at.
    public var caFile: URL { directory.appendingPathComponent("ca.crt") }
    /// A directory laid out as podman's and skopeo's `--cert-dir` expects (`*.crt` CA files):
    /// only the CA certificate, since those tools take a `*.key` there for a client key.
    public var certDir: URL { directory.appendingPathComponent("certs.d") }
    public var serverCertificate: URL { directory.appendingPathComponent("server.crt") }
    public var serverKey: URL { directory.appendingPathComponent("server.key") }

    /// Makes a CA (its key stays in `directory`) and a server certificate signed by it.
    public static func make(in directory: URL) async throws -> TestCertificates {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let certificates = TestCertificates(directory: directory)
        let newKey = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"]
        try await ToolProcess.run(["openssl", "req", "-x509"] + newKey + [
            "-keyout", "ca.key", "-out", "ca.crt", "-subj", "/CN=pkgtree test CA", "-days", "2",
        ], in: directory)
        try await ToolProcess.run(["openssl", "req"] + newKey + [
            "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1",
        ], in: directory)
        try Data("subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n".utf8)
            .write(to: directory.appendingPathComponent("server.ext"))
        try await ToolProcess.run(["openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
                             "-CAcreateserial", "-out", "server.crt", "-days", "2", "-extfile", "server.ext"], in: directory)
        try FileManager.default.createDirectory(at: certificates.certDir, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: certificates.caFile, to: certificates.certDir.appendingPathComponent("ca.crt"))
        return certificates
    }
}
