import Foundation
import Testing
@testable import PkgTreeKit

/// Inputs the loader fuzz target (fuzz/README.md) caught, kept in Fixtures/FuzzRegressions.
@Suite struct LoaderFuzzRegressionTests {
    /// `123456789012345639.508` reads as the double 123456789012345632, which the canonical
    /// form printed as `1.2345678901234563e+17`; read back, that text is the integer
    /// 123456789012345630. A canonical form that changes when re-read is not canonical.
    @Test func canonicalJSONOfALargeWholeDoubleIsStable() throws {
        let url = try #require(Bundle.module.resourceURL)
            .appendingPathComponent("Fixtures/FuzzRegressions/crash-canonical-json-large-whole-double.json")
        let value = try JSONFile.parse(try Data(contentsOf: url), displayPath: url.path)
        let canonical = CanonicalJSON.bytes(value)
        let reread = try JSONFile.parse(Data(canonical), displayPath: "canonical")
        #expect(CanonicalJSON.bytes(reread) == canonical, "\(CanonicalJSON.string(value))")
        #expect(CanonicalJSON.string(value).contains(#""d":123456789012345632"#), "\(CanonicalJSON.string(value))")
    }

    /// A fraction too small for a double to hold leaves a whole double, printed as an integer
    /// like the integer the same text would be without its fraction.
    @Test(arguments: [("4503599627370497.5", "4503599627370498"), ("4503599627370498", "4503599627370498"),
                      ("1e15", "1000000000000000"), ("-0.0", "0"), ("2.5", "2.5"), ("1e19", "1e+19")])
    func wholeNumbersPrintAsTheIntegersTheyAre(_ json: String, _ expected: String) throws {
        let value = try JSONFile.parse(Data(json.utf8), displayPath: "number")
        #expect(CanonicalJSON.string(value) == expected)
    }
}
