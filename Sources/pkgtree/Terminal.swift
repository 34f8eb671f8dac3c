#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The terminal on standard output, as the live progress needs it.
enum Terminal {
    /// Whether `--progress auto` draws live: for a person watching a terminal that can move its
    /// cursor, not for a CI system that captures the output (`CI` set).
    static func wantsLiveProgress(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        isatty(STDOUT_FILENO) == 1 && environment["TERM"] != "dumb" && environment["CI"] == nil
    }

    /// Columns and rows: the terminal's own (asked each time, so a resized window redraws to
    /// fit), else `$COLUMNS` and `$LINES`, else 80 by 24.
    static func size(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> (columns: Int, rows: Int) {
        var window = winsize()
        let asked = withUnsafeMutablePointer(to: &window) { ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), $0) }
        if asked == 0, window.ws_col > 0 {
            return (Int(window.ws_col), window.ws_row > 0 ? Int(window.ws_row) : 24)
        }
        return (environment["COLUMNS"].flatMap(Int.init).flatMap { $0 > 0 ? $0 : nil } ?? 80,
                environment["LINES"].flatMap(Int.init).flatMap { $0 > 0 ? $0 : nil } ?? 24)
    }

    /// ANSI: back to the start of the `lines` last written lines, and clear from there down.
    static func erase(lines: Int) -> String {
        lines > 0 ? "\r\u{1B}[\(lines)A\u{1B}[J" : ""
    }
}
