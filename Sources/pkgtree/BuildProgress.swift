import Foundation
import PkgTreeKit

/// Where `pkgtree build` sends what happens while it builds: each event, and notes for
/// standard error (the runner chosen, an image being made). `close` ends the output before
/// the summary is printed.
protocol BuildProgress: Sendable {
    func report(_ event: TreeBuild.Event)
    func note(_ text: String)
    func close()
}

/// `--progress plain`: one line per event, for CI logs; a failure adds its log's tail on stderr.
struct PlainProgress: BuildProgress {
    /// The run builds several architectures, so each line names its own.
    var showingArch: Bool

    func report(_ event: TreeBuild.Event) {
        Console.output(BuildReport.line(event, showingArch: showingArch) + "\n")
        if case .failed(_, let log) = event.kind { Console.error(BuildReport.failureDetails(log)) }
    }

    func note(_ text: String) { Console.error(text) }
    func close() {}
}

/// `--progress json`: one JSON object per event, for other tools.
struct JSONProgress: BuildProgress {
    func report(_ event: TreeBuild.Event) { BuildReport.json(event) }
    func note(_ text: String) { Console.error(text) }
    func close() {}
}
