import Foundation

/// The live status block of `pkgtree build --progress tty`, as plain lines: what is done of
/// the whole run, then each running build with its architecture, elapsed time and the last
/// line of its log. Only state and text here; drawing it on a terminal is the caller's job,
/// so the block can be checked without one.
public struct ProgressBlock: Sendable {
    public struct Running: Sendable {
        public var arch: Architecture
        public var name: String
        public var id: String
        public var started: Date
        public var log: URL
        /// Refreshed from the log by the caller (`readLastLines`).
        public var lastLine = ""
    }

    /// Every package of every architecture's plan in the run.
    public let total: Int
    public private(set) var cached = 0
    public private(set) var built = 0
    public private(set) var failed = 0
    public private(set) var skipped = 0
    /// In the order they started.
    public private(set) var running: [Running] = []

    public init(total: Int) {
        self.total = total
    }

    public var done: Int { cached + built + failed + skipped }

    public mutating func apply(_ event: BuildScheduler.Event, at now: Date) {
        switch event.kind {
        case .cached: cached += 1
        case .started(_, _, let log): running.append(Running(arch: event.arch, name: event.name, id: event.id, started: now, log: log))
        case .built: built += 1
        case .failed: failed += 1
        case .skipped, .interrupted: skipped += 1
        }
        if case .started = event.kind { return }
        running.removeAll { $0.id == event.id }
    }

    /// Sets each running build's last log line from `read` (nil: nothing to show yet).
    public mutating func readLastLines(_ read: (URL) -> String?) {
        for index in running.indices {
            running[index].lastLine = read(running[index].log).map(Self.displayable) ?? ""
        }
    }

    /// The block for a terminal `width` columns wide and `height` rows high: no line is wider
    /// than `width` (a wrapped line would break the redraw), and the block leaves a row free.
    public func lines(now: Date, width: Int, height: Int) -> [String] {
        let width = max(width, 20)
        var lines = ["[\(done)/\(total)] \(built) built, \(cached) cached, \(failed) failed, \(skipped) skipped; \(running.count) running"]
        let room = max(height - 2, 1)
        let shown = running.count > room ? running.prefix(room - 1) : running[...]
        let labelWidth = shown.map { "\($0.arch)/\($0.name)".count }.max() ?? 0
        for build in shown {
            let label = "\(build.arch)/\(build.name)"
            let elapsed = Self.elapsed(now.timeIntervalSince(build.started))
            lines.append("  " + label.padding(toLength: labelWidth, withPad: " ", startingAt: 0)
                         + "  " + elapsed.padding(toLength: 6, withPad: " ", startingAt: 0) + build.lastLine)
        }
        if shown.count < running.count { lines.append("  … and \(running.count - shown.count) more") }
        return lines.map { Self.truncated($0, to: width) }
    }

    /// `42s`, `3m07s`, `1h05m`.
    static func elapsed(_ seconds: TimeInterval) -> String {
        let whole = max(0, Int(seconds))
        if whole < 60 { return "\(whole)s" }
        if whole < 3600 { return "\(whole / 60)m" + String(format: "%02ds", whole % 60) }
        return "\(whole / 3600)h" + String(format: "%02dm", whole % 3600 / 60)
    }

    /// A log line as one row of text: what a carriage return last overwrote, without colour
    /// codes or other control characters that would move the cursor.
    static func displayable(_ line: String) -> String {
        let segment = line.split(separator: "\r").last { !$0.allSatisfy(\.isWhitespace) } ?? ""
        var text = ""
        var inEscape = false
        for scalar in segment.unicodeScalars {
            if inEscape {
                // CSI sequences end with a letter; anything else ends the escape as well.
                if scalar.properties.isAlphabetic || scalar == "~" { inEscape = false }
            } else if scalar == "\u{1B}" {
                inEscape = true
            } else if scalar == "\t" {
                text += " "
            } else if scalar.value >= 0x20 && scalar.value != 0x7F {
                text.unicodeScalars.append(scalar)
            }
        }
        return text.trimmingCharacters(in: .whitespaces)
    }

    static func truncated(_ line: String, to width: Int) -> String {
        line.count <= width ? line : String(line.prefix(width - 1)) + "…"
    }
}
