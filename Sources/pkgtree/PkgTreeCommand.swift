import ArgumentParser
import Foundation
import PkgTreeKit

/// The `pkgtree` command. Subcommands are thin: each loads what it needs through
/// `PkgTreeKit` and prints a report.
@main
struct PkgTreeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pkgtree",
        abstract: "Build a tree of packages for several CPU architectures and pack it into installer tarballs.",
        discussion: """
            Reads a pkgpanda-style tree (packages/<name>/buildinfo.json + build), computes content-hashed \
            package ids per architecture, and builds them in per-architecture containers.
            Exit codes: 0 ok, 1 build failure or findings, 2 bad input or usage.
            """,
        version: "pkgtree \(PkgTreeVersion.current) (\(LibArchive.versionDetails))",
        subcommands: [Plan.self, Show.self, Graph.self, Lint.self, Port.self, Build.self, Shell.self, Why.self, Log.self, Bootstrap.self, Release.self, Install.self, Cache.self, Image.self, Key.self]
    )

    /// Runs the command line; usage errors and bad trees exit 2, as README.md and docs/cli.md promise
    /// (ArgumentParser's own default for usage errors is 64).
    static func main() async {
        // A closed output is handled where it is written (`Console`); programs pkgtree starts
        // get SIGPIPE back at its default, as swift-subprocess resets signal actions.
        signal(SIGPIPE, SIG_IGN)
        var action = "running pkgtree"
        do {
            var command = try parseAsRoot()
            action = "running pkgtree \(type(of: command).configuration.commandName ?? "\(type(of: command))".lowercased())"
            if var asynchronous = command as? AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch let interrupted as Interrupted {
            Console.error("pkgtree: \(interrupted); what was built or cached stays, and the next run resumes from it.")
            Foundation.exit(interrupted.exitStatus)
        } catch let problems as Problems {
            reject(problems)
        } catch let problem as Problem {
            reject(Problems([problem]))  // one file's problem, like a malformed pkgtree.json
        } catch {
            // A system error that no command put words on yet: said here, never as the library's dump.
            if let explained = UserFacingError(explaining: error, action: action) {
                Console.error(explained.description)
                Foundation.exit(explained.exitStatus)
            }
            let code = exitCode(for: error)
            if code == .validationFailure {
                Console.error(fullMessage(for: error))
                Foundation.exit(ExitStatus.badInput)
            }
            exit(withError: error)
        }
    }

    private static func reject(_ problems: Problems) -> Never {
        Console.error(problems.description)
        Console.error("pkgtree: \(problems.all.count) problem\(problems.all.count == 1 ? "" : "s") found; nothing was built or changed.")
        Foundation.exit(ExitStatus.badInput)
    }
}

/// Exit codes shared by every subcommand.
enum ExitStatus {
    static let failure: Int32 = 1
    static let badInput: Int32 = 2
}
