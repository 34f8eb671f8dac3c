import Foundation
import Testing

/// The bundled `packages/` tree plans for both architectures and both tree variants.
@Suite struct BundledTreeTests {
    static let packages = CLIRunner.repositoryRoot.appendingPathComponent("packages").path

    @Test(arguments: ["x86_64", "aarch64"], [nil, "installer"] as [String?])
    func bundledTreePlans(arch: String, variant: String?) async throws {
        let result = try await CLIRunner.run(["plan", "--arch", arch, "--packages", Self.packages]
                                             + (variant.map { ["--variant", $0] } ?? []))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty, "warnings on the bundled tree: \(result.stderr)")
    }

    @Test func bundledTreeHasAtLeastEightPackagesAndAnX86OnlyOne() async throws {
        let result = try await CLIRunner.run(["plan", "--arch", "aarch64", "--json", "--packages", Self.packages])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let built = try #require(document["packages"] as? [[String: Any]])
        let unsupported = try #require(document["unsupported"] as? [[String: Any]])
        #expect(built.count + unsupported.count >= 8)
        #expect(!unsupported.isEmpty)
    }
}
