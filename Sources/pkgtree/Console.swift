import Foundation
import PkgTreeKit

/// Writes to the terminal. Reports go to stdout in one write (a 5,000-line plan should not
/// pay for 5,000 writes); warnings and errors go to stderr.
enum Console {
    static func output(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }

    static func warn(_ problems: [Problem]) {
        for problem in problems { error("warning: \(problem)") }
    }
}
