import Testing
@testable import PkgTreeKit

@Suite struct ArchitectureTests {
    @Test(arguments: [
        ("x86_64", Architecture.x86_64), ("amd64", .x86_64), ("aarch64", .aarch64), ("arm64", .aarch64),
        ("armv7", .armv7), ("armhf", .armv7), ("arm", .armv7), ("ppc64le", .ppc64le), ("ppc64el", .ppc64le),
        ("s390x", .s390x), ("riscv64", .riscv64), ("ARM64", .aarch64),
    ])
    func aliasesResolveToTheCanonicalName(name: String, arch: Architecture) {
        #expect(Architecture(name: name) == arch)
    }

    @Test func eachArchitectureKnowsItsOtherNames() {
        #expect(Architecture.aarch64.goArch == "arm64")
        #expect(Architecture.aarch64.debianArch == "arm64")
        #expect(Architecture.aarch64.gnuTriplet == "aarch64-linux-gnu")
        #expect(Architecture.aarch64.ociPlatform == "linux/arm64")
        #expect(Architecture.armv7.debianArch == "armhf")
        #expect(Architecture.armv7.ociPlatform == "linux/arm/v7")
        #expect(Architecture.ppc64le.debianArch == "ppc64el")
        #expect(Architecture.x86_64.elfMachine == 62)
        #expect(Architecture.aarch64.elfMachine == 183)
        #expect(Architecture(name: "sparc") == nil)
    }
}
