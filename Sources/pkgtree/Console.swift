import Foundation
import PkgTreeKit

/// Writes to the terminal. Reports go to stdout in one write (a 5,000-line plan should not
/// pay for 5,000 writes); warnings and errors go to stderr. pkgtree ignores SIGPIPE, so a write
/// whose reader has gone fails instead of killing it: during a build that stops the build as
/// an interruption (`SignalCancellation.outputClosed`), which removes its containers; at any
/// other time pkgtree exits 141, as the signal would have made it.
enum Console {
    static func output(_ text: String) {
        write(text, to: .standardOutput)
    }

    static func error(_ text: String) {
        write(text.hasSuffix("\n") ? text : text + "\n", to: .standardError)
    }

    private static func write(_ text: String, to handle: FileHandle) {
        do {
            try handle.write(contentsOf: Data(text.utf8))
        } catch {
            if SignalCancellation.outputClosed() { return }
            if handle !== FileHandle.standardError {
                try? FileHandle.standardError.write(contentsOf: Data("pkgtree: stopped: the program reading its output has exited\n".utf8))
            }
            Foundation.exit(128 + SIGPIPE)
        }
    }

    static func warn(_ problems: [Problem]) {
        for problem in problems { error("warning: \(problem)") }
    }
}
