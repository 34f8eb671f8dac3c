import Foundation
import Testing
@testable import PkgTreeKit

/// Folding a fork, package by package, through `TreePort` and `PortWriter` on real files.
@Suite struct TreePortTests {
    static let sum = String(repeating: "1", count: 64)
    static let otherSum = String(repeating: "2", count: 64)

    /// This tree and the fork, each one package `p` (plus `files`), folded for aarch64 and written.
    static func port(_ original: [String: String], _ fork: [String: String]) throws -> (plan: PortPlan, tree: TreeFixture) {
        let tree = try TreeFixture(original)
        let forked = try TreeFixture(fork)
        let plan = try TreePort.plan(.init(packages: tree.root, fork: forked.root, target: .aarch64, base: .x86_64))
        try PortWriter.write(plan)
        return (plan, tree)
    }

    static func text(_ tree: TreeFixture, _ path: String) throws -> String {
        try String(contentsOf: tree.root.appendingPathComponent(path), encoding: .utf8)
    }

    static let script = "#!/bin/bash\necho build\n"

    @Test func aRemovedKeyWithADefaultIsFoldedAndOneWithoutIsForReview() throws {
        let (plan, tree) = try Self.port(
            ["p/buildinfo.json": #"{"state_directory": true, "environment": {"CFLAGS": "-msse4.2", "LANG": "C"}}"#, "p/build": Self.script],
            ["p/buildinfo.json": #"{"environment": {"LANG": "C.UTF-8"}}"#, "p/build": Self.script])
        #expect(try Self.text(tree, "p/buildinfo.json")
                    == #"{"state_directory": true, "environment": {"CFLAGS": "-msse4.2", "LANG": "C"}, "arch": {"aarch64": {"state_directory": false, "environment": {"LANG": "C.UTF-8"}}}}"#)
        let review = plan.changes.filter { !$0.folded }
        #expect(review.count == 1)
        #expect(review.first?.kind == .buildinfo)
        #expect(review.first?.message.contains("'environment.CFLAGS'") == true)
    }

    @Test func architecturesGainOrLoseTheTarget() throws {
        let (gained, tree) = try Self.port(["p/buildinfo.json": #"{"architectures": ["amd64"]}"#, "p/build": Self.script],
                                           ["p/buildinfo.json": #"{"architectures": ["arm64"]}"#, "p/build": Self.script])
        #expect(try Self.text(tree, "p/buildinfo.json") == #"{"architectures": ["amd64", "aarch64"]}"#)
        #expect(!gained.needsReview)
        let (_, lost) = try Self.port(["p/buildinfo.json": #"{"architectures": ["x86_64", "aarch64"]}"#, "p/build": Self.script],
                                      ["p/buildinfo.json": #"{"architectures": ["x86_64"]}"#, "p/build": Self.script])
        #expect(try Self.text(lost, "p/buildinfo.json") == #"{"architectures": ["x86_64"]}"#)
        let (review, _) = try Self.port(["p/buildinfo.json": "{}", "p/build": Self.script],
                                        ["p/buildinfo.json": #"{"architectures": ["x86_64"]}"#, "p/build": Self.script])
        #expect(review.changes.map(\.kind) == [.architectures])
        #expect(review.needsReview)
    }

    @Test func anExistingOverlayIsReplacedUnderItsOwnSpellingAndTheRestIsKept() throws {
        let original = """
            {
                "docker": "golang:1.8",
                "arch": {
                    "armv7": {"docker": "arm32v7/golang:1.8"},
                    "arm64": {"cross": true}
                }
            }

            """
        let (plan, tree) = try Self.port(["p/buildinfo.json": original, "p/build": Self.script],
                                         ["p/buildinfo.json": #"{"docker": "arm64v8/golang:1.8"}"#, "p/build": Self.script])
        #expect(try Self.text(tree, "p/buildinfo.json") == original.replacingOccurrences(
            of: #""arm64": {"cross": true}"#, with: "\"arm64\": {\n            \"docker\": \"arm64v8/golang:1.8\"\n        }"))
        #expect(plan.changes.map(\.message).contains("arch.aarch64.cross: dropped; the fork's buildinfo for aarch64 does not need it"))
    }

    @Test func anOverlayJoinsTheOthersInThisFilesIndentWithTheForksTextReindented() throws {
        let original = "{\n    \"docker\": \"golang:1.8\",\n    \"arch\": {\n        \"armv7\": {\n            \"docker\": \"arm32v7/golang:1.8\"\n        }\n    }\n}\n"
        let fork = "{\n  \"docker\": \"arm64v8/golang:1.8\",\n  \"environment\": {\n    \"GOARCH\": \"arm64\"\n  }\n}\n"
        let (_, tree) = try Self.port(["p/buildinfo.json": original, "p/build": Self.script], ["p/buildinfo.json": fork, "p/build": Self.script])
        #expect(try Self.text(tree, "p/buildinfo.json") == original.replacingOccurrences(of: "        }\n    }\n}", with: """
                    },
                    "aarch64": {
                        "docker": "arm64v8/golang:1.8",
                        "environment": {
                            "GOARCH": "arm64"
                        }
                    }
                }
            }
            """))
    }

    @Test func aStaleOverlayIsRemovedWhenTheForkIsTheBase() throws {
        let (_, tree) = try Self.port(
            ["p/buildinfo.json": "{\n  \"docker\": \"x\",\n  \"arch\": {\"aarch64\": {\"docker\": \"y\"}}\n}\n", "p/build": Self.script],
            ["p/buildinfo.json": #"{"docker": "x"}"#, "p/build": Self.script])
        #expect(try Self.text(tree, "p/buildinfo.json") == "{\n  \"docker\": \"x\"\n}\n")
    }

    @Test func theForksOwnOverlayCountsAndARequirementOnlyItHasIsForReview() throws {
        let (plan, tree) = try Self.port(
            ["p/buildinfo.json": #"{"requires": ["q"]}"#, "p/build": Self.script, "q/buildinfo.json": "{}", "q/build": Self.script],
            ["p/buildinfo.json": #"{"requires": ["q"], "arch": {"arm64": {"requires": ["q", "r"]}}}"#, "p/build": Self.script,
             "q/buildinfo.json": "{}", "q/build": Self.script, "r/buildinfo.json": "{}", "r/build": Self.script])
        #expect(try Self.text(tree, "p/buildinfo.json") == #"{"requires": ["q"], "arch": {"aarch64": {"requires": ["q", "r"]}}}"#)
        #expect(plan.onlyInFork == ["r"])
        #expect(plan.changes.filter { !$0.folded }.map(\.kind) == [.buildinfo, .package])
    }

    @Test func variantsSharingAScriptWriteItOnce() throws {
        let original = ["p/buildinfo.json": "{}", "p/installer.buildinfo.json": "{}", "p/build": "#!/bin/bash\nmake x86_64\n"]
        var fork = original
        fork["p/build"] = "#!/bin/bash\nmake aarch64\n"
        let (plan, tree) = try Self.port(original, fork)
        #expect(plan.writes.filter { $0.hasSuffix("/build") }.count == 1)
        #expect(try Self.text(tree, "p/build") == "#!/bin/bash\nmake ${PKG_ARCH}\n")
        fork["p/build"] = "#!/bin/bash\nmake aarch64 V=1\n"
        let (perArchitecture, second) = try Self.port(original, fork)
        #expect(perArchitecture.writes.filter { $0.hasSuffix("/aarch64.build") }.count == 1)
        #expect(try Self.text(second, "p/installer.buildinfo.json")
                    == "{\n  \"arch\": {\n    \"aarch64\": {\n      \"build_script\": \"aarch64.build\"\n    }\n  }\n}")
        #expect(FileManager.default.isExecutableFile(atPath: second.root.appendingPathComponent("p/aarch64.build").path))
    }

    @Test func variantsWhoseForkScriptsDifferDoNotShareOneScript() throws {
        // Each fork script alone would unify with `build`, but into two different scripts.
        let original = ["p/buildinfo.json": "{}", "p/installer.buildinfo.json": "{}", "p/build": "#!/bin/bash\nmake x86_64 x86_64\n"]
        var fork = original
        fork["p/build"] = "#!/bin/bash\nmake aarch64 x86_64\n"
        fork["p/installer.buildinfo.json"] = #"{"build_script": "installer.build"}"#
        fork["p/installer.build"] = "#!/bin/bash\nmake aarch64 aarch64\n"
        let (plan, tree) = try Self.port(original, fork)
        #expect(try Self.text(tree, "p/build") == "#!/bin/bash\nmake ${PKG_ARCH} x86_64\n")
        #expect(try Self.text(tree, "p/aarch64.build") == "#!/bin/bash\nmake aarch64 aarch64\n")
        #expect(try Self.text(tree, "p/installer.buildinfo.json").contains(#""build_script": "aarch64.build""#))
        #expect(plan.changes.filter { !$0.folded }.map(\.message).first?.hasPrefix("another variant shares build") == true)
    }

    @Test func dockerAndChangedExtraAreCopiedForReviewAndOtherFilesListed() throws {
        let base = ["p/buildinfo.json": "{}", "p/build": Self.script, "p/docker/Dockerfile": "FROM debian\n",
                    "p/extra/a.conf": "arch=x86_64\n", "p/src/main.c": "int main(void) { return 0; }\n"]
        var fork = base
        fork["p/docker/Dockerfile"] = "FROM arm64v8/debian\n"
        fork["p/extra/a.conf"] = "arch=aarch64\n"
        fork["p/src/main.c"] = "int main(void) { return 1; }\n"
        let (plan, tree) = try Self.port(base, fork)
        #expect(plan.changes.map(\.kind) == [.packageFiles, .docker, .extra])
        #expect(plan.changes.allSatisfy { !$0.folded })
        #expect(try Self.text(tree, "p/docker.aarch64/Dockerfile") == "FROM arm64v8/debian\n")
        #expect(try Self.text(tree, "p/extra.aarch64/a.conf") == "arch=aarch64\n")
        #expect(try Self.text(tree, "p/extra/a.conf") == "arch=x86_64\n")
        // Run again: the copies are there already, the review stays.
        let again = try TreePort.plan(.init(packages: tree.root, fork: plan.fork, target: .aarch64, base: .x86_64))
        #expect(again.writes.isEmpty)
        #expect(again.changes.map(\.kind) == [.packageFiles, .docker, .extra])
    }
}
