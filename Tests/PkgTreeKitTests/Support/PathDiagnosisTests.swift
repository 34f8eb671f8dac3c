import Foundation
import Testing
@testable import PkgTreeKit

/// What is wrong at a path is found by looking at each of its components, and said in words;
/// a Foundation error over it becomes a sentence with the component at fault.
struct PathDiagnosisTests {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("pkgtree-diagnosis-\(UUID().uuidString)")

    init() throws {
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    enum Layout: String, CaseIterable {
        case fileWhereTheDirectoryGoes, fileInTheMiddle, danglingLink, linkLoop, soundPath
    }

    @Test(arguments: Layout.allCases)
    func theComponentAtFaultIsNamed(layout: Layout) throws {
        let manager = FileManager.default
        let cache = root.appendingPathComponent("cache")
        let expected: (path: URL, problem: String)?
        switch layout {
        case .fileWhereTheDirectoryGoes:
            try Data().write(to: cache)
            expected = (cache, "is a file, not a directory")
        case .fileInTheMiddle:
            try manager.createDirectory(at: cache, withIntermediateDirectories: true)
            try Data().write(to: cache.appendingPathComponent("images"))
            expected = (cache.appendingPathComponent("images"), "is a file, not a directory")
        case .danglingLink:
            try manager.createDirectory(at: cache, withIntermediateDirectories: true)
            try manager.createSymbolicLink(atPath: cache.appendingPathComponent("images").path, withDestinationPath: "/nonexistent/images")
            expected = (cache.appendingPathComponent("images"), "is a dangling symbolic link to /nonexistent/images")
        case .linkLoop:
            try manager.createDirectory(at: cache, withIntermediateDirectories: true)
            try manager.createSymbolicLink(atPath: cache.appendingPathComponent("images").path, withDestinationPath: "images")
            expected = (cache.appendingPathComponent("images"), "is a symbolic link in a loop")
        case .soundPath:
            try manager.createDirectory(at: cache.appendingPathComponent("images"), withIntermediateDirectories: true)
            expected = nil
        }
        // What `mkdir -p cache/images/x86_64` reports, whatever is in the way.
        let failing = cache.appendingPathComponent("images/x86_64")
        let diagnosis = PathDiagnosis.of(failing.path, code: layout == .soundPath ? nil : EEXIST)
        #expect(diagnosis?.path == expected?.path.path)
        #expect(diagnosis?.problem.hasPrefix(expected?.problem ?? "-") ?? (expected == nil), "\(String(describing: diagnosis))")

        if layout != .soundPath {
            let error = try #require(throws: Error.self) { try manager.createDirectory(at: failing, withIntermediateDirectories: true) }
            let said = try #require(UserFacingError(explaining: error, action: "making the images"))
            #expect(said.description.hasPrefix("error: making the images: \(DisplayPath.of(expected!.path)): \(expected!.problem)"), "\(said)")
            #expect(!said.description.contains("Domain="), "\(said)")
            #expect(said.exitStatus == 2)
        }
    }

    @Test func errnoIsSaidInWords() {
        #expect(SystemError.describe(ENOSPC) == "no space left on the device")
        #expect(SystemError.describe(EACCES) == "permission denied")
        #expect(SystemError.reason(CocoaError(.fileWriteOutOfSpace)) == "no space left on the device")
        #expect(SystemError.isNoSpace(POSIXError(.ENOSPC)))
        #expect(SystemError.code(of: NSError(domain: NSCocoaErrorDomain, code: CocoaError.fileWriteFileExists.rawValue,
                                             userInfo: [NSUnderlyingErrorKey: POSIXError(.ENOTDIR)])) == ENOTDIR)
    }

    @Test func aMissingDirectoryWithAWritableParentIsFine() throws {
        #expect(PathDiagnosis.ofDirectory(root.appendingPathComponent("release/bootstrap").path) == nil)
        try Data().write(to: root.appendingPathComponent("release"))
        #expect(PathDiagnosis.ofDirectory(root.appendingPathComponent("release").path)?.problem == "is a file, not a directory")
    }
}
