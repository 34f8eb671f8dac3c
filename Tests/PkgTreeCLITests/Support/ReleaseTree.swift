import Foundation
import Testing

/// A two-package tree released for x86_64 and aarch64, small enough to build in seconds with
/// bwrap (aarch64 cross-compiled in the x86_64 builder), whose bootstrap runs on its own in an
/// image with nothing else in it: `static-hello` is a statically linked C program that says
/// which architecture it was compiled for and prints the text `greeting` installs. `greeting`
/// has a `url` source and a `git` source served on loopback, `static-hello` a `git_local` one
/// and `requires: ["greeting"]`: one of each thing the SBOM records.
struct ReleaseTree {
    static let installRoot = "/opt/pkgtree"

    static let program = #"""
        #include <stdio.h>
        #if defined(__aarch64__)
        #define ARCH "aarch64"
        #elif defined(__x86_64__)
        #define ARCH "x86_64"
        #else
        #define ARCH "unknown"
        #endif
        int main(void) {
            char line[256] = "";
            FILE *file = fopen("/opt/pkgtree/active/greeting/share/greeting.txt", "r");
            if (file == NULL || fgets(line, sizeof line, file) == NULL) return 1;
            printf("static-hello on %s: %s", ARCH, line);
            return 0;
        }
        """#

    static let helloBuild = """
        #!/bin/bash
        set -euo pipefail
        CC="${CC:-cc}"
        if [ -n "${PKG_BUILD_ARCH:-}" ] && [ "$PKG_BUILD_ARCH" != "$PKG_ARCH" ]; then
            CC="$PKG_TRIPLET-gcc"
        fi
        mkdir -p "$PKG_PATH/bin"
        "$CC" -static -O2 -o "$PKG_PATH/bin/static-hello" /pkg/src/static-hello/hello.c

        """

    static let greetingBuild = """
        #!/bin/bash
        set -euo pipefail
        mkdir -p "$PKG_PATH/share"
        cp /pkg/src/text/greeting.txt "$PKG_PATH/share/greeting.txt"
        cp /pkg/src/notes/NOTES "$PKG_PATH/share/NOTES"

        """

    let scratch: ScratchTree
    let sources: SourceServer
    var packages: URL { scratch.packages }

    init() async throws {
        let sources = try await SourceServer()
        let text = try await sources.file("greeting.txt", "hello from a released bootstrap\n")
        let notes = try await sources.gitRepository("notes", ["NOTES": "released by pkgtree\n"])
        scratch = try ScratchTree([
            "treeinfo.json": #"{"install_root": "\#(Self.installRoot)"}"#,
            "greeting/buildinfo.json": #"{"sources": {"text": \#(text), "notes": \#(notes)}}"#,
            "greeting/build": Self.greetingBuild,
            "static-hello/buildinfo.json": #"""
                {"requires": ["greeting"], "single_source": {"kind": "git_local", "rel_path": "src"},
                 "arch": {"aarch64": {"cross": true}}}
                """#,
            "static-hello/build": Self.helloBuild,
            "static-hello/src/hello.c": Self.program,
        ])
        self.sources = sources
    }
}
