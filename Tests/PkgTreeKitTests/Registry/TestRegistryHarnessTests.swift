import Foundation
import RegistryTestSupport
import Testing

/// The registry the remote-cache tests run against is real and behaves as a company's does:
/// TLS that only the test's CA vouches for, credentials required, and gone once the test ends.
/// Checked with Python's own HTTP client, independent of pkgtree's.
@Suite(.tags(.registry), .enabled(if: TestRegistry.isAvailable, "\(TestRegistry.missingTools ?? "")"))
struct TestRegistryHarnessTests {
    /// GET https://HOST/v2/ with `python3`'s urllib: the status, or the error it raised.
    static func ping(_ host: String, caFile: URL?, user: String? = nil, password: String? = nil) async throws -> String {
        let script = """
            import base64, ssl, sys, urllib.error, urllib.request
            host, cafile, auth = sys.argv[1], sys.argv[2], sys.argv[3]
            context = ssl.create_default_context(cafile=cafile or None)
            request = urllib.request.Request(f"https://{host}/v2/")
            if auth: request.add_header("Authorization", "Basic " + base64.b64encode(auth.encode()).decode())
            try:
                with urllib.request.urlopen(request, context=context, timeout=10) as response: print(response.status)
            except urllib.error.HTTPError as error: print(error.code, error.headers.get("WWW-Authenticate"))
            except Exception as error: print(type(error).__name__)
            """
        let auth = user.map { "\($0):\(password ?? "")" } ?? ""
        return try await ArchiveFixture.python(script, host, caFile?.path ?? "", auth).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func theRegistryWantsCredentialsOverTLSThatOnlyTheTestCAVouchesFor() async throws {
        let host = try await TestRegistry.with { registry in
            let (user, password) = try #require(registry.credentials)
            #expect(try await Self.ping(registry.host, caFile: registry.certificates.caFile, user: user, password: password) == "200")
            #expect(try await Self.ping(registry.host, caFile: registry.certificates.caFile) == #"401 Basic realm="pkgtree-test""#)
            #expect(try await Self.ping(registry.host, caFile: registry.certificates.caFile, user: user, password: "wrong").hasPrefix("401"))
            #expect(try await Self.ping(registry.host, caFile: nil, user: user, password: password) == "URLError")  // the system CAs do not know it
            return registry.host
        }
        #expect(try await Self.ping(host, caFile: nil) == "URLError")  // stopped: the port refuses
    }

    @Test func aRestartedRegistryKeepsItsStorage() async throws {
        try await TestRegistry.with(auth: .none) { registry in
            try FileManager.default.createDirectory(at: registry.storage, withIntermediateDirectories: true)
            let marker = registry.storage.appendingPathComponent("marker")
            try Data("kept".utf8).write(to: marker)
            await registry.stop()
            #expect(try await Self.ping(registry.host, caFile: registry.certificates.caFile) == "URLError")
            try await registry.start()
            #expect(try await Self.ping(registry.host, caFile: registry.certificates.caFile) == "200")
            #expect(FileManager.default.fileExists(atPath: marker.path))
        }
    }
}
