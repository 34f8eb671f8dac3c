import ArgumentParser
import Foundation
import PkgTreeKit

extension Release {
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a release directory: the signature of SHA256SUMS, every file's digest, and no file left unlisted.",
            discussion: """
                With --trusted-key, SHA256SUMS.sig must be the Ed25519 signature of SHA256SUMS by one of the keys \
                (the release key's NAME.pub from `pkgtree key generate`); without, only the digests are checked. \
                Exit 1 when anything does not match; docs/release.md shows the same check with openssl.
                """)

        @Argument(help: ArgumentHelp("The release directory (or its release.json).", valueName: "release"))
        var release: String

        @Option(name: .customLong("trusted-key"),
                help: ArgumentHelp("A public key (NAME:BASE64, or a .pub file) whose signature is accepted; repeat for more.", valueName: "key"))
        var trustedKeys: [String] = []

        func run() throws {
            let directory = try ReleaseList.directory(named: release)
            var problems: [Problem] = []
            var keys: [TrustedKey] = []
            for text in trustedKeys {
                do { keys.append(try TrustedKey(fileOrText: text, source: "--trusted-key")) } catch { problems += error.all }
            }
            if !problems.isEmpty { throw Problems(problems) }
            let result = try ReleaseVerification.verify(directory, trusted: keys)
            for failure in result.failures { Console.error("FAILED \(failure)") }
            guard result.failures.isEmpty else {
                Console.error("pkgtree: release \(DisplayPath.of(directory)) does not verify: \(result.failures.count) problem(s)")
                throw ExitCode(ExitStatus.failure)
            }
            let signature = result.signer.map { "signed by \($0.name)" } ?? "signature not checked (pass --trusted-key KEY.pub)"
            Console.output("release \(DisplayPath.of(directory)): \(result.checked) file(s) match SHA256SUMS, \(signature)\n")
        }
    }
}
