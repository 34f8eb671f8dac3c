import Foundation
import Testing
@testable import PkgTreeKit

/// The pieces of the SBOM that SPDX validators are strict about: element ids and download
/// locations (spdx-tools' rule, which the CLI tests run on a whole release's SBOM).
@Suite struct SPDXDocumentTests {
    @Test(arguments: [
        ("https://zlib.net/zlib-1.3.1.tar.gz", true),
        ("http://deb.example.org/pool/z/zlib_1.2.13.orig.tar.gz", true),
        ("git+https://github.com/madler/zlib.git@51b7f2abdade71cd9bb0e7a373ef2610ec6f9daf", true),
        ("ftp://ftp.gnu.org/gnu/make/make-4.4.tar.gz", true),
        ("http://127.0.0.1:8080/zlib.tar.gz", false),
        ("http://localhost/zlib.tar.gz", false),
        ("git+file:///srv/git/zlib.git@abc", false),
        ("/srv/git/zlib.git", false),
    ])
    func downloadLocationsFollowTheValidatorsRule(location: String, valid: Bool) {
        #expect(SPDXDocument.isDownloadLocation(location) == valid)
    }

    @Test func elementIDsHoldOnlyLettersDigitsDotsAndDashes() {
        #expect(SPDXDocument.elementID("Package", "c++_runtime--1.0@x~y") == "SPDXRef-Package-c---runtime--1.0-x-y")
        let a = ReleaseSBOM.packageElement("c++--1"), b = ReleaseSBOM.packageElement("c__--1")
        #expect(a != b && a.hasPrefix("SPDXRef-Package-c----1-"))
    }

    @Test func timesAreWrittenAsSPDXWritesThem() {
        #expect(SPDXDocument.time(0) == "1970-01-01T00:00:00Z")
        #expect(SPDXDocument.time(1_700_000_000) == "2023-11-14T22:13:20Z")
    }
}
