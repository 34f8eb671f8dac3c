import ArgumentParser
import Foundation
import PkgTreeKit

struct Port: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fold a tree forked for one architecture back into this tree, as arch overlays and shared scripts.",
        discussion: """
            For every package both trees have: buildinfo differences become an arch overlay for --arch; \
            build scripts that differ only in architecture names become one script using $PKG_ARCH, \
            $PKG_GOARCH, $PKG_TRIPLET (checked by expanding them for both architectures); other script \
            differences become a per-architecture script chosen by the overlay's build_script, and \
            extra/ or docker/ differences a per-architecture copy, listed for review. Without --write \
            it only prints the plan. See docs/porting.md.
            Exit codes: 0 everything folded, 1 some differences need review, 2 bad input or usage.
            """
    )

    @Option(name: .long, help: ArgumentHelp("This tree.", valueName: "dir"))
    var packages: String = "packages"

    @Option(name: .long, help: ArgumentHelp("The forked tree's packages directory.", valueName: "dir"))
    var from: String

    @Option(name: .long, help: ArgumentHelp("The architecture the fork was made for: \(Architecture.acceptedNames).", valueName: "arch"),
            completion: Architecture.completion, transform: Architecture.init(parsingOne:))
    var arch: Architecture

    @Option(name: .long, help: ArgumentHelp("The architecture this tree was written for; its scripts must read as before for it. Default: x86_64.",
                                            valueName: "arch"),
            completion: Architecture.completion, transform: Architecture.init(parsingOne:))
    var baseArch: Architecture = .x86_64

    @Flag(name: .long, help: "Edit this tree; without it, only print what would change.")
    var write = false

    @Flag(name: .long, help: "Print one JSON document instead of diagnostics.")
    var json = false

    func validate() throws {
        if arch == baseArch {
            throw ValidationError("--arch and --base-arch are both \(arch); --arch names the fork's architecture, --base-arch this tree's")
        }
    }

    func run() throws {
        let plan = try TreePort.plan(.init(packages: URL(fileURLWithPath: packages), fork: URL(fileURLWithPath: from),
                                           target: arch, base: baseArch))
        if write { try PortWriter.write(plan) }
        Console.output(json ? PortReport.json(plan, written: write) : PortReport.text(plan, written: write))
        if plan.needsReview { throw ExitCode(ExitStatus.failure) }
    }
}
