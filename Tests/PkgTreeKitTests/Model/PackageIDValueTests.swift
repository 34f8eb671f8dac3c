import Foundation
import Testing
@testable import PkgTreeKit

/// `PackageID`, the one place an id is written and split, and the typed facts a planned
/// package carries instead of reading its inputs back.
struct PackageIDValueTests {
    static let hash = String(repeating: "0123456789", count: 4)

    @Test(arguments: [
        ("plain", nil as String?), ("tagged", "1.2.3"), ("rc", "1.0-rc1"), ("ends-in-dash-", nil), ("lib@x86_64+gcc", "2-1"),
    ])
    func anIDSplitsIntoThePartsItWasWrittenFrom(name: String, versionExtra: String?) throws {
        let id = PackageID(name: name, versionExtra: versionExtra, hash: Self.hash)
        let parsed = try #require(PackageID(id.description))
        #expect(parsed == id)
        #expect(id.description == "\(name)--\(versionExtra.map { "\($0)-" } ?? "")\(Self.hash)")
    }

    @Test func aNameIsNoID() {
        #expect(PackageID("hello") == nil)
        #expect(PackageID("hello-world") == nil)
        #expect(PackageID("hello--") != nil)  // what `requires` must not name, said so by the reader
    }

    @Test func plannedPackagesCarryTheirIDsPartsAndArchitectures() throws {
        let fixture = try TreeFixture.tree(["plain": "{}", "tagged": #"{"version_extra": "1.2.3"}"#,
                                            "c": #"{"arch": {"aarch64": {"cross": true}}}"#])
        let plan = try fixture.plan(.aarch64)
        let tagged = try #require(plan.package(named: "tagged"))
        #expect(tagged.packageID.name == "tagged" && tagged.packageID.versionExtra == "1.2.3")
        #expect(tagged.hash.count == PackageIDs.hashLength && tagged.id.hasSuffix(tagged.hash))
        for package in plan.packages {
            #expect(package.arch == .aarch64)
            #expect(package.inputs.objectValue?["build_arch"]?.stringValue == package.buildArch.rawValue)
        }
        let cross = try #require(plan.package(named: "c"))
        #expect(cross.isCrossBuild && cross.buildArch == .x86_64)
        #expect(!tagged.isCrossBuild && tagged.buildArch == .aarch64)
    }
}
