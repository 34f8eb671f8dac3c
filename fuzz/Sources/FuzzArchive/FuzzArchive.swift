import CLibFuzzer
import Foundation
import PkgTreeKit

/// Small enough that a compression bomb hits them in milliseconds, large enough for every
/// seed: the fuzzer is after escapes and crashes, not after how long 64 GiB takes to write.
let limits = ExtractLimits(maxEntries: 10_000, maxTotalBytes: 32 << 20, maxEntryBytes: 8 << 20)
let scratch = Scratch()
/// `PKGTREE_FUZZ_VERBOSE=1` prints what each input did, for replaying a finding by hand.
let verbose = ProcessInfo.processInfo.environment["PKGTREE_FUZZ_VERBOSE"] == "1"

/// SwiftPM makes this the process's `main` and so hides libFuzzer's (see
/// fuzz/Sources/CLibFuzzer/libfuzzer.h): hand the command line to libFuzzer's driver.
@main enum FuzzArchiveMain {
    static func main() {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzArchive))
    }
}

/// libFuzzer's entry point: one input is one archive file. It is listed with `ArchiveReader`
/// (every entry's data read) and extracted with `ArchiveExtractor`, then `ExtractionOracle`
/// checks that nothing was written outside the destination, no limit was bypassed and, when
/// both succeeded, that the files on disk hold what the listing read.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzArchive(_ bytes: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = Data(UnsafeBufferPointer(start: bytes, count: size))  // the one use of libFuzzer's raw buffer: copy it
    scratch.prepare(input)
    let listed = listFiles(of: scratch.input)
    var extracted = false
    do {
        let result = try ArchiveExtractor.extract(scratch.input, into: scratch.destination, limits: limits)
        report("extracted: \(result)")
        extracted = true
    } catch let error as ArchiveError {
        report("extract: \(error)")
    } catch {
        fatalError("extract threw something other than an ArchiveError: \(error)")
    }
    ExtractionOracle(scratch: scratch, limits: limits).check(files: extracted ? listed : nil)
    scratch.clean()
    return 0
}

/// Reads every header and every entry's data, as `cache verify` and the tests do. Returns the
/// content of each path whose last entry is a regular file, or nil when the listing failed.
func listFiles(of archive: URL) -> [String: Data]? {
    do {
        let reader = try ArchiveReader(archive)
        var files: [String: Data] = [:]
        var total: Int64 = 0
        while let entry = try reader.next() {
            let data = try reader.readData(maxBytes: Int(limits.maxEntryBytes))
            report("entry \(entry.path) \(entry.kind) size \(entry.size.map(String.init) ?? "unset") data \(data.count) link \(entry.linkTarget ?? "-")")
            files[ExtractionOracle.lexicalPath(entry.path)] = entry.kind == .file ? data : nil
            total += Int64(data.count)
            // Like the extractor, stop at the total limit: a listing caller bounds that itself.
            if total > limits.maxTotalBytes { return nil }
        }
        return files
    } catch let error as ArchiveError {
        report("list: \(error)")
        return nil
    } catch {
        fatalError("ArchiveReader threw something other than an ArchiveError: \(error)")
    }
}

func report(_ line: @autoclosure () -> String) {
    if verbose { FileHandle.standardError.write(Data((line() + "\n").utf8)) }
}
