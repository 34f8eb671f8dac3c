import Foundation
import Testing
@testable import PkgTreeKit

/// The post-build ELF architecture check, on binaries from the real compilers and on
/// headers written byte by byte.
@Suite struct ELFCheckTests {
    let fixture: ArchiveFixture
    var output: URL { fixture.url("output") }

    init() throws {
        fixture = try ArchiveFixture()
        try fixture.mkdir("output")
    }

    static let crossCompiler = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        .split(separator: ":").map { "\($0)/aarch64-linux-gnu-gcc" }
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Compiles a tiny C program with `compiler` to `output/<path>`.
    private func compile(_ compiler: String, to path: String) async throws {
        let source = try fixture.write("hello.c", "int main(void) { return 0; }\n")
        try fixture.mkdir("output/" + (path as NSString).deletingLastPathComponent)
        try await ArchiveFixture.run([compiler, "-o", fixture.url("output/\(path)").path, source.path])
    }

    /// The first 64 bytes of an ELF executable: the 64-bit header with `machine` as e_machine.
    static func header(machine: UInt16, bigEndian: Bool = false, is64Bit: Bool = true) -> Data {
        var bytes = [UInt8](repeating: 0, count: 64)
        bytes[0 ..< 4] = [0x7F, 0x45, 0x4C, 0x46]
        bytes[4] = is64Bit ? 2 : 1  // EI_CLASS
        bytes[5] = bigEndian ? 2 : 1  // EI_DATA
        bytes[6] = 1  // EI_VERSION
        let type: UInt16 = 2, machineBytes = [UInt8(machine & 0xFF), UInt8(machine >> 8)], typeBytes = [UInt8(type), 0]
        bytes[16 ..< 18] = ArraySlice(bigEndian ? typeBytes.reversed() : typeBytes)
        bytes[18 ..< 20] = ArraySlice(bigEndian ? machineBytes.reversed() : machineBytes)
        return Data(bytes)
    }

    private func place(_ data: Data, at path: String) throws {
        let file = fixture.url("output/\(path)")
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: file)
    }

    @Test func hostBinaryPassesForTheHostAndIsNamedForAnotherArchitecture() async throws {
        let host = Architecture.host
        try await compile("cc", to: "bin/hello")
        #expect(try ELFCheck.mismatches(in: output, for: host).isEmpty)
        let other: Architecture = host == .aarch64 ? .x86_64 : .aarch64
        let mismatches = try ELFCheck.mismatches(in: output, for: other)
        #expect(mismatches == [ELFCheck.Mismatch(path: "bin/hello", expected: other,
                                                 found: "\(host) (e_machine \(host.elfMachine))")])
        #expect(mismatches.first?.description == "bin/hello: built for \(host) (e_machine \(host.elfMachine)), expected \(other)")
    }

    @Test(.enabled(if: crossCompiler != nil, "aarch64-linux-gnu-gcc is not installed"))
    func crossCompiledBinaryPassesForAarch64() async throws {
        try await compile("aarch64-linux-gnu-gcc", to: "bin/hello")
        #expect(try ELFCheck.mismatches(in: output, for: .aarch64).isEmpty)
        #expect(try ELFCheck.mismatches(in: output, for: .x86_64).map(\.description)
            == ["bin/hello: built for aarch64 (e_machine 183), expected x86_64"])
    }

    /// Every architecture against a handmade header, so the check is tested without any
    /// cross compiler.
    @Test(arguments: Architecture.allCases)
    func handmadeHeaderPassesOnlyForItsArchitecture(_ arch: Architecture) throws {
        try place(Self.header(machine: arch.elfMachine, bigEndian: arch == .s390x, is64Bit: arch != .armv7), at: "lib/libx.so")
        for target in Architecture.allCases {
            let mismatches = try ELFCheck.mismatches(in: output, for: target)
            #expect(mismatches.isEmpty == (target == arch), "\(arch) binary checked for \(target): \(mismatches)")
        }
    }

    @Test func foreignByteOrderAndUnknownMachinesAreNamed() throws {
        try place(Self.header(machine: 21, bigEndian: true), at: "bin/ppc64")
        try place(Self.header(machine: 8, is64Bit: false), at: "bin/mips")
        try place(Self.header(machine: 183, bigEndian: true), at: "bin/aarch64_be")
        let found = try ELFCheck.mismatches(in: output, for: .ppc64le).map(\.description)
        #expect(found == [
            "bin/aarch64_be: built for aarch64_be (big-endian, e_machine 183), expected ppc64le",
            "bin/mips: built for unknown (e_machine 8), expected ppc64le",
            "bin/ppc64: built for ppc64 (big-endian, e_machine 21), expected ppc64le",
        ])
    }

    @Test func textScriptsSymlinksAndTinyFilesAreIgnored() throws {
        try fixture.write("output/share/README", "plain text\n")
        try fixture.write("output/bin/run", "#!/bin/sh\nexec hello\n", mode: 0o755)
        try place(Data([0x7F, 0x45, 0x4C]), at: "share/three-bytes")
        // An x86_64 binary outside the output, reachable only through symlinks.
        try fixture.write("elsewhere/.keep", "")
        try Self.header(machine: 62).write(to: fixture.url("elsewhere/tool"))
        try fixture.symlink("output/bin/tool", to: "../../elsewhere/tool")
        try fixture.symlink("output/lib", to: "../elsewhere")
        #expect(try ELFCheck.mismatches(in: output, for: .aarch64).isEmpty)
    }

    /// A file with the ELF magic but no complete header cannot be run or linked anywhere:
    /// it is reported, as a broken output, rather than passed over.
    @Test func truncatedELFIsReportedAsUnreadable() throws {
        try place(Data([0x7F, 0x45, 0x4C, 0x46]), at: "bin/broken")
        var badClass = Self.header(machine: 183)
        badClass[4] = 7
        try place(badClass, at: "bin/bad-class")
        let found = try ELFCheck.mismatches(in: output, for: .aarch64)
        #expect(found.map(\.description) == [
            "bin/bad-class: unreadable: invalid ELF class 7, expected an aarch64 ELF file",
            "bin/broken: unreadable: truncated ELF header (4 of 20 bytes), expected an aarch64 ELF file",
        ])
    }

    @Test func nestedFilesAreFoundAndSorted() throws {
        for path in ["z/deep/er/a", "a/b", "m"] {
            try place(Self.header(machine: 62), at: path)
        }
        #expect(try ELFCheck.mismatches(in: output, for: .riscv64).map(\.path) == ["a/b", "m", "z/deep/er/a"])
    }
}
