import Testing
@testable import PkgTreeKit

/// One build script out of this tree's (x86_64) and a fork's (aarch64), or a refusal.
@Suite struct ScriptUnifierTests {
    static let unifier = ScriptUnifier(base: .x86_64, target: .aarch64)

    static func unified(_ original: String, _ fork: String) throws -> String {
        let result = try unifier.unify(original: original, fork: fork).get()
        // What makes it right: read for each architecture, it is that tree's script.
        #expect(ArchVariables.expand(result.text, for: .x86_64) == ArchVariables.expand(original, for: .x86_64))
        #expect(ArchVariables.expand(result.text, for: .aarch64) == ArchVariables.expand(fork, for: .aarch64))
        return result.text
    }

    static func refusal(_ original: String, _ fork: String) -> ScriptUnifier.Refusal? {
        if case .failure(let refusal) = unifier.unify(original: original, fork: fork) { return refusal }
        return nil
    }

    @Test(arguments: [
        ("./Configure linux-x86_64\n", "./Configure linux-aarch64\n", "./Configure linux-${PKG_ARCH}\n"),
        ("ln -s /usr/lib/x86_64-linux-gnu/libz.so\n", "ln -s /usr/lib/aarch64-linux-gnu/libz.so\n",
         "ln -s /usr/lib/${PKG_TRIPLET}/libz.so\n"),
        ("GOARCH=amd64 go build\n", "GOARCH=arm64 go build\n", "GOARCH=${PKG_GOARCH} go build\n"),
        ("echo \"for x86_64\" # x86_64 only\n", "echo \"for aarch64\" # aarch64 only\n",
         "echo \"for ${PKG_ARCH}\" # ${PKG_ARCH} only\n"),
        ("make x86_64_defconfig\n", "make aarch64_defconfig\n", "make ${PKG_ARCH}_defconfig\n"),
    ])
    func namesBecomeVariables(_ original: String, _ fork: String, _ expected: String) throws {
        #expect(try Self.unified(original, fork) == expected)
    }

    @Test func aNameNoVariableHoldsGoesIntoThePortBlock() throws {
        let original = "#!/bin/bash\ncp -r node-linux-x64/. \"$PKG_PATH\"\nls node-linux-x64\n"
        let fork = "#!/bin/bash\ncp -r node-linux-arm64/. \"$PKG_PATH\"\nls node-linux-arm64\n"
        let text = try Self.unified(original, fork)
        #expect(text == "#!/bin/bash\n" + """
            \(PortNameBlock.marker)
            \(PortNameBlock.caseLine)
                aarch64) PORT_ARCH_NAME_1='arm64' ;;
                *) PORT_ARCH_NAME_1='x64' ;;
            esac

            """ + "cp -r node-linux-${PORT_ARCH_NAME_1}/. \"$PKG_PATH\"\nls node-linux-${PORT_ARCH_NAME_1}\n")
        // A third architecture reads this tree's names, as it did before the port.
        #expect(ArchVariables.expand(text, for: .ppc64le) == original)
    }

    @Test func variablesAlreadyThereAreKept() throws {
        let original = "cc -o x --target=$PKG_TRIPLET x86_64.c\n"
        let fork = "cc -o x --target=aarch64-linux-gnu aarch64.c\n"
        #expect(try Self.unified(original, fork) == "cc -o x --target=$PKG_TRIPLET ${PKG_ARCH}.c\n")
        #expect(try Self.unified("GOARCH=amd64\n", "GOARCH=$PKG_GOARCH\n") == "GOARCH=$PKG_GOARCH\n")
    }

    @Test func aSecondPortKeepsTheFirst() throws {
        let original = "tar xf node-linux-x64.tar.xz\n"
        let first = try Self.unified(original, "tar xf node-linux-arm64.tar.xz\n")
        let second = try ScriptUnifier(base: .x86_64, target: .armv7)
            .unify(original: first, fork: "tar xf node-linux-armv7l.tar.xz\n").get().text
        #expect(ArchVariables.expand(second, for: .x86_64) == original)
        #expect(ArchVariables.expand(second, for: .aarch64) == "tar xf node-linux-arm64.tar.xz\n")
        #expect(ArchVariables.expand(second, for: .armv7) == "tar xf node-linux-armv7l.tar.xz\n")
    }

    @Test func singleQuotesRefuseAVariable() throws {
        let refusal = try #require(Self.refusal("echo 'x86_64'\n", "echo 'aarch64'\n"))
        #expect(refusal.line == 1)
        #expect(refusal.reason.contains("does not expand"))
    }

    @Test(arguments: [
        ("CFLAGS_x86_64=-O2\n", "CFLAGS_aarch64=-O2\n"),
        ("echo $FLAGS_x86_64\n", "echo $FLAGS_aarch64\n"),
        ("x86_64_flags=1\n", "aarch64_flags=1\n"),
    ])
    func aNameInsideAVariableNameIsRefused(_ original: String, _ fork: String) {
        #expect(Self.refusal(original, fork) != nil)
    }

    @Test func differencesBeyondNamesAreRefusedAtTheirLine() throws {
        let original = "set -e\nmake\nmake install\n"
        let changed = try #require(Self.refusal(original, "set -e\nmake USE_JEMALLOC=0\nmake install\n"))
        #expect(changed.line == 2)
        #expect(changed.reason == "differs beyond architecture names")
        let added = try #require(Self.refusal(original, "set -e\nexport CC=gcc\nmake\nmake install\n"))
        #expect(added.line == 2)
        #expect(added.reason == "the fork adds or removes lines")
        // A flag removed in the fork is not a spelling.
        #expect(Self.refusal("CFLAGS=\"-O2 -msse4.2\"\n", "CFLAGS=\"-O2\"\n") != nil)
    }
}
