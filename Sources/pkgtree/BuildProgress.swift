import Foundation
import PkgTreeKit

/// `--progress plain`: one line per event, for CI logs; a failure adds its log's tail on stderr.
struct PlainProgress: BuildProgress {
    /// The run builds several architectures, so each line names its own.
    var showingArch: Bool

    func report(_ event: BuildScheduler.Event) {
        Console.output(BuildReport.line(event, showingArch: showingArch) + "\n")
        if case .failed(_, let log) = event.kind { Console.error(BuildReport.failureDetails(log)) }
    }

    func note(_ text: String) { Console.error(text) }
    func close() {}
}

/// `--progress json`: one JSON object per event, for other tools.
struct JSONProgress: BuildProgress {
    func report(_ event: BuildScheduler.Event) { Console.output(BuildProgressJSON.line(event)) }
    func note(_ text: String) { Console.error(text) }
    func close() {}
}
