import Testing
@testable import PkgTreeKit

/// Finding architecture names, triplets, compiler flags and loaders in a line of text.
@Suite struct ArchMentionTests {
    /// (line, target, the foreign mentions expected as "rule:text:arch").
    @Test(arguments: [
        ("GOARCH=amd64 go build", Architecture.aarch64, ["arch-name:amd64:x86_64"]),
        ("curl -LO https://example.invalid/node-v20-linux-x64.tar.xz", .aarch64, ["arch-name:x64:x86_64"]),
        ("export CC=x86_64-linux-gnu-gcc", .aarch64, ["arch-triplet:x86_64-linux-gnu:x86_64"]),
        ("ls /usr/lib/x86_64-pc-linux-gnu/", .aarch64, ["arch-triplet:x86_64-pc-linux-gnu:x86_64"]),
        ("install -d /usr/lib/i386-linux-gnu", .aarch64, ["arch-triplet:i386-linux-gnu:x86_64"]),
        ("CFLAGS='-O2 -msse4.2 -mavx2'", .aarch64, ["arch-flag:-msse4.2:x86_64", "arch-flag:-mavx2:x86_64"]),
        ("cc -march=x86-64-v3 -mtune=haswell", .aarch64, ["arch-flag:-march=x86-64-v3:x86_64", "arch-flag:-mtune=haswell:x86_64"]),
        ("cc -mno-sse2 x.c", .aarch64, ["arch-flag:-mno-sse2:x86_64"]),
        ("ld --dynamic-linker=/lib64/ld-linux-x86-64.so.2", .aarch64, ["arch-loader:/lib64/ld-linux-x86-64.so.2:x86_64"]),
        ("echo x86_64 and X86-64", .aarch64, ["arch-name:x86_64:x86_64", "arch-name:X86-64:x86_64"]),
        ("wget https://example.invalid/tool_i686.deb", .aarch64, ["arch-name:i686:x86_64"]),
        ("GOARCH=arm64 go build", .x86_64, ["arch-name:arm64:aarch64"]),
        ("cc -mcpu=neoverse-n1 -march=armv8.2-a", .x86_64, ["arch-flag:-mcpu=neoverse-n1:aarch64", "arch-flag:-march=armv8.2-a:aarch64"]),
        ("cc -mcpu=cortex-a72 x.c", .x86_64, ["arch-flag:-mcpu=cortex-a72:aarch64"]),
        ("cc -mcpu=cortex-a9 -mfpu=neon x.c", .x86_64, ["arch-flag:-mcpu=cortex-a9:armv7", "arch-flag:-mfpu=neon:armv7"]),
        ("patchelf --set-interpreter /lib/ld-linux-aarch64.so.1 a", .x86_64, ["arch-loader:/lib/ld-linux-aarch64.so.1:aarch64"]),
        ("cp /usr/lib/aarch64-linux-gnu/libz.so .", .x86_64, ["arch-triplet:aarch64-linux-gnu:aarch64"]),
        ("docker pull arm64v8/debian", .x86_64, ["arch-name:arm64v8:aarch64"]),
        ("./configure --host=arm-linux-gnueabihf", .x86_64, ["arch-triplet:arm-linux-gnueabihf:armv7"]),
        ("cc -mcpu=power9 x.c", .x86_64, ["arch-flag:-mcpu=power9:ppc64le"]),
        ("cc -march=z13 x.c", .x86_64, ["arch-flag:-march=z13:s390x"]),
        ("cc -march=rv64gc -mabi=lp64d x.c", .x86_64, ["arch-flag:-march=rv64gc:riscv64", "arch-flag:-mabi=lp64d:riscv64"]),
        ("GOARCH=arm go build", .x86_64, ["arch-name:arm:armv7"]),
        ("ppc64el s390x riscv64", .x86_64, ["arch-name:ppc64el:ppc64le", "arch-name:s390x:s390x", "arch-name:riscv64:riscv64"]),
    ])
    func foreignMentionsAreFound(line: String, target: Architecture, expected: [String]) {
        let found = ArchMention.foreign(in: line, target: target).map { "\($0.rule.id):\($0.text):\($0.arch)" }
        #expect(found == expected)
    }

    /// Words that only look like architecture names, flags every compiler takes, and the
    /// target's own names.
    @Test(arguments: [
        ("the farm has a charm; ARM servers", Architecture.x86_64),
        ("printf '%x' 0x64 0x86", .aarch64),
        ("cc -m64 -march=native -mtune=generic x.c", .aarch64),
        ("libfoo-amd64x, armv7x and xamd64", .aarch64),
        ("cp -r lib64 /lib64/", .aarch64),
        ("CC=aarch64-linux-gnu-gcc GOARCH=arm64 -march=armv8-a+crc", .aarch64),
        ("i686 x86 x64 -mavx2", .x86_64),
        ("./build-arm.sh  # 'arm' is used loosely for aarch64", .aarch64),
    ])
    func harmlessTextIsNotFound(line: String, target: Architecture) {
        #expect(ArchMention.foreign(in: line, target: target).isEmpty)
    }

    @Test func columnsCountCharactersAndTheLongerMentionWins() throws {
        let mentions = ArchMention.find(in: "é x86_64-linux-gnu")
        let mention = try #require(mentions.first)
        #expect(mentions.count == 1)
        #expect(mention.column == 3)
        #expect(mention.kind == .triplet)
    }

    /// The table is built from `Architecture`, so every architecture is looked for under every
    /// name it is accepted as, and its Go, Debian and GNU names.
    @Test(arguments: Architecture.allCases)
    func everyNameOfEveryArchitectureIsFound(arch: Architecture) {
        let other: Architecture = arch == .x86_64 ? .aarch64 : .x86_64
        for name in Set(arch.names + [arch.goArch, arch.debianArch, arch.gnuTriplet]) {
            let found = ArchMention.foreign(in: "see \(name) here", target: other)
            #expect(found.map(\.arch) == [arch], "\(name)")
        }
    }

    @Test func retargetingReplacesEachNameWithTheTargetsOwn() {
        #expect(OverlaySuggestion.retargeted("https://x.invalid/foo-1.0-linux-amd64.tar.gz", target: .aarch64)
                == "https://x.invalid/foo-1.0-linux-arm64.tar.gz")
        #expect(OverlaySuggestion.retargeted("tool-x86_64-linux-gnu-x86_64.zip", target: .aarch64)
                == "tool-aarch64-linux-gnu-aarch64.zip")
        #expect(OverlaySuggestion.retargeted("node-linux-x64", target: .aarch64) == "node-linux-x64")
    }
}
