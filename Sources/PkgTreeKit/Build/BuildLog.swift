import Foundation

/// What a build log holds: pkgtree's header (which runner builds what, and the runner's whole
/// command line, to rerun it by hand), the script's output, then whatever pkgtree concludes
/// (an ELF check, an interruption). The terminal shows the script's part: the command line,
/// with every mount and variable, is for whoever reads the whole log, and says nothing about
/// why a build failed.
public enum BuildLog {
    /// Every line pkgtree itself writes into a build log starts with this.
    static let ownPrefix = "pkgtree: "
    private static let headerPrefixes = ["pkgtree: building ", "pkgtree: run: "]

    /// The lines written before the script starts.
    static func header(id: String, arch: Architecture, runner: RunnerKind, command: ToolCommand) -> String {
        "pkgtree: building \(id) for \(arch) with \(runner.rawValue)\npkgtree: run: \(command)\n"
    }

    /// The end of a failed build's log, for the terminal: the script's last lines and what
    /// pkgtree said after them, without the header. Nil when the log cannot be read.
    public static func failureTail(of log: URL, count: Int = 30) -> [String]? {
        LogTail.lines(of: log, count: count) { line in !headerPrefixes.contains { line.hasPrefix($0) } }
    }

    /// The last line the script printed (nil before it prints any), for a live view.
    public static func lastScriptLine(of log: URL) -> String? {
        LogTail.lastLine(of: log) { !$0.hasPrefix(ownPrefix) }
    }
}
