import Foundation
import Testing
@testable import PkgTreeKit

/// How a build script is started: pkgpanda's dcos-builder line in the tree's default builder,
/// `docker run IMAGE SCRIPT` semantics in an image the package names.
@Suite struct ScriptLaunchTests {
    static let script = "/pkg/build/build"

    @Test func theDefaultBuilderRunsEveryScriptWithPkgpandasBashLine() {
        for firstLine in ["#!/bin/sh", "#!/usr/bin/env python3", "make all"] {
            #expect(ScriptLaunch.command(Self.script, firstLine: firstLine, builder: .treeDefault)
                    == ["/bin/bash", "-o", "nounset", "-o", "pipefail", "-o", "errexit", Self.script])
        }
    }

    @Test func aPackageImageWithAnEntrypointGetsTheScriptAsItsArgument() {
        #expect(ScriptLaunch.command(Self.script, firstLine: "#!/bin/sh", builder: .packageImage(entrypoint: ["/entry"])) == [Self.script])
    }

    /// `pkgtree shell --run` replaces the entrypoint with its own shell, which runs the script
    /// the way the container would have.
    @Test func replacingTheEntrypointNamesItBeforeTheScript() {
        #expect(ScriptLaunch.command(Self.script, firstLine: "#!/bin/sh", builder: .packageImage(entrypoint: ["/entry", "-x"]),
                                     replacingEntrypoint: true) == ["/entry", "-x", Self.script])
        #expect(ScriptLaunch.command(Self.script, firstLine: "#!/bin/sh", builder: .packageImage(entrypoint: []),
                                     replacingEntrypoint: true) == ["/bin/sh", Self.script])
        #expect(ScriptLaunch.command(Self.script, firstLine: "#!/bin/sh", builder: .treeDefault, replacingEntrypoint: true)
                == ScriptLaunch.pkgpandaShell + [Self.script])
    }

    @Test(arguments: [
        ("#!/bin/sh", ["/bin/sh", script]),
        ("#! /usr/bin/env python3", ["/usr/bin/env", "python3", script]),
        ("#!/bin/bash -eu -o pipefail", ["/bin/bash", "-eu -o pipefail", script]),
        ("set -e", ["/bin/bash", "-o", "nounset", "-o", "pipefail", "-o", "errexit", script]),
        ("#!", ["/bin/bash", "-o", "nounset", "-o", "pipefail", "-o", "errexit", script]),
    ])
    func withoutAnEntrypointTheShebangDecidesElseBash(firstLine: String, expected: [String]) {
        #expect(ScriptLaunch.command(Self.script, firstLine: firstLine, builder: .packageImage(entrypoint: [])) == expected)
    }

    @Test func theFirstLineIsReadFromTheScriptFile() throws {
        let fixture = try TreeFixture(["p/build": "#!/bin/sh -e\necho hi\n"])
        #expect(ScriptLaunch.firstLine(of: fixture.root.appending(path: "p/build")) == "#!/bin/sh -e")
        #expect(ScriptLaunch.firstLine(of: fixture.root.appending(path: "p/missing")) == "")
    }
}
