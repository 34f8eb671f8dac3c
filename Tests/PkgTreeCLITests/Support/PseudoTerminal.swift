import Foundation

/// Runs pkgtree on a pseudo-terminal, as a person at a terminal would: `script(1)` gives it
/// one, types `input` into it, and copies everything the terminal showed (typed lines echoed
/// too) to standard output; its exit status is pkgtree's.
enum PseudoTerminal {
    static let available = CLIRunner.which("script") != nil
    static let missingReason = "script(1) is not installed (util-linux's bsdutils package)"

    static func run(_ arguments: [String], cache: URL, input: String) async throws -> CLIRunner.Outcome {
        let command = ([CLIRunner.binary] + arguments).map(quote).joined(separator: " ")
        return try await CLIRunner.runTool(CLIRunner.which("script")!, ["--quiet", "--return", "--command", command, "/dev/null"],
                                           environment: CLIRunner.environment(cache: cache), input: input)
    }

    private static func quote(_ word: String) -> String {
        "'" + word.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }
}
