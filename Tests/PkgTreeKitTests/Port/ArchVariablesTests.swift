import Testing
@testable import PkgTreeKit

/// A script as a build for one architecture reads it.
@Suite struct ArchVariablesTests {
    @Test func variablesTheShellExpandsAreWrittenOut() {
        let script = """
            ./configure --host=$PKG_TRIPLET --target=linux-${PKG_ARCH}
            echo "GOARCH=$PKG_GOARCH deb=${PKG_DEB_ARCH} $PKG_PLATFORM"
            echo '$PKG_ARCH stays' $PKG_ARCHIVE \\$PKG_ARCH ${PKG_ARCH:-x}
            """
        #expect(ArchVariables.expand(script, for: .aarch64) == """
            ./configure --host=aarch64-linux-gnu --target=linux-aarch64
            echo "GOARCH=arm64 deb=arm64 linux/arm64"
            echo '$PKG_ARCH stays' $PKG_ARCHIVE \\$PKG_ARCH ${PKG_ARCH:-x}
            """)
    }

    @Test func thePortBlockIsAppliedAndRemoved() {
        let script = """
            #!/bin/bash
            \(PortNameBlock.marker)
            \(PortNameBlock.caseLine)
                aarch64) PORT_ARCH_NAME_1='arm64'; PORT_ARCH_NAME_2='/lib/ld-linux-aarch64.so.1' ;;
                *) PORT_ARCH_NAME_1='x64'; PORT_ARCH_NAME_2='/lib64/ld-linux-x86-64.so.2' ;;
            esac
            tar xf node-linux-${PORT_ARCH_NAME_1}.tar.xz; patchelf --set-interpreter $PORT_ARCH_NAME_2 bin/node

            """
        #expect(ArchVariables.expand(script, for: .aarch64)
                    == "#!/bin/bash\ntar xf node-linux-arm64.tar.xz; patchelf --set-interpreter /lib/ld-linux-aarch64.so.1 bin/node\n")
        // An architecture without an arm of its own reads what the script said before the port.
        #expect(ArchVariables.expand(script, for: .armv7)
                    == "#!/bin/bash\ntar xf node-linux-x64.tar.xz; patchelf --set-interpreter /lib64/ld-linux-x86-64.so.2 bin/node\n")
    }

    @Test func aHandWrittenCaseIsLeftAsItIs() {
        let script = """
            case "$PKG_ARCH" in
                aarch64) PORT_ARCH_NAME_1='arm64' ;;
                *) PORT_ARCH_NAME_1='x64' ;;
            esac
            echo $PORT_ARCH_NAME_1

            """
        // Without the marker it is the script's own code: only $PKG_ARCH is written out.
        #expect(ArchVariables.expand(script, for: .aarch64) == script.replacingOccurrences(of: "\"$PKG_ARCH\"", with: "\"aarch64\""))
    }

    @Test func theBlockReadsBackAsItWasWritten() throws {
        var block = PortNameBlock()
        let first = block.add(value: "arm64", for: .aarch64, fallback: "x64")
        let second = block.add(value: "arm64v8", for: .aarch64, fallback: "amd64")
        let found = try #require(PortNameBlock.find(in: "#!/bin/sh\n" + block.text + "echo\n"))
        #expect(found.block == block)
        #expect(found.block.values(for: .aarch64) == [first: "arm64", second: "arm64v8"])
        #expect(found.block.values(for: .x86_64) == [first: "x64", second: "amd64"])
    }
}
