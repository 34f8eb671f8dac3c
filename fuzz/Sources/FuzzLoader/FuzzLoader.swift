import CLibFuzzer
import Foundation
@testable import PkgTreeKit

/// SwiftPM makes this the process's `main` and so hides libFuzzer's (see
/// fuzz/Sources/CLibFuzzer/libfuzzer.h): hand the command line to libFuzzer's driver.
@main enum FuzzLoaderMain {
    static func main() {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzLoader))
    }
}

/// `PKGTREE_FUZZ_VERBOSE=1` prints what each input did, for replaying a finding by hand.
let verbose = ProcessInfo.processInfo.environment["PKGTREE_FUZZ_VERBOSE"] == "1"

/// libFuzzer's entry point: one input is one file of a package tree, read the way the loader
/// reads it. The same bytes are checked as a treeinfo and as a buildinfo (each reader rejects
/// the other's fields, so one corpus reaches both), then merged for every architecture and
/// hashed canonically, as resolving does. Whatever the input, this must return, not crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLoader(_ bytes: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = Data(UnsafeBufferPointer(start: bytes, count: size))  // the one use of libFuzzer's raw buffer: copy it
    let json: JSONValue
    do {
        json = try JSONFile.parse(input, displayPath: "fuzz/buildinfo.json", package: "fuzz")
    } catch {
        report("parse: \(error)")
        return 0
    }
    checkCanonicalForm(of: json)

    var treeInfo = TreeInfoReader(file: "fuzz/treeinfo.json")
    let tree = treeInfo.read(json)
    report("as treeinfo: \(tree) \(treeInfo.problems)")

    let definition = TreeLoader.definition(json, file: "fuzz/buildinfo.json", name: "fuzz", variant: nil,
                                           directory: URL(fileURLWithPath: "fuzz"), entries: ["buildinfo.json"])
    let package: PackageDefinition
    switch definition {
    case .success(let loaded): package = loaded
    case .failure(let problems): report("as buildinfo: \(problems)"); return 0
    }
    for arch in Architecture.allCases {
        switch package.buildInfo(for: arch) {
        case .success(let info):
            report("\(arch): \(CanonicalJSON.string(info.identityJSON))")
            checkCanonicalForm(of: info.identityJSON)
        case .failure(let problems): report("\(arch): \(problems)")
        }
    }
    return 0
}

/// Package ids hash the canonical JSON of a buildinfo, so it must be stable: reading it back
/// and writing it again gives the same bytes.
func checkCanonicalForm(of value: JSONValue) {
    let bytes = CanonicalJSON.bytes(value)
    guard let reread = try? JSONFile.parse(Data(bytes), displayPath: "canonical") else {
        fatalError("canonical JSON does not parse: \(CanonicalJSON.string(value))")
    }
    let again = CanonicalJSON.bytes(reread)
    precondition(again == bytes, "canonical JSON is not stable: \(CanonicalJSON.string(value)) became \(CanonicalJSON.string(reread))")
}

func report(_ line: @autoclosure () -> String) {
    if verbose { FileHandle.standardError.write(Data((line() + "\n").utf8)) }
}
