import ArgumentParser
import Foundation
import PkgTreeKit

struct Key: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Make the Ed25519 key pair that signs what is pushed to a remote cache.",
        subcommands: [Generate.self]
    )

    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write NAME.key (secret, mode 0600) and NAME.pub, and print the public key for trusted_keys.",
            discussion: "The name travels with every signature, so pick one that says whose key it is, such as ci.example.org-1.")
        @Option(help: ArgumentHelp("The key's name: letters, digits and . _ -", valueName: "name"))
        var name: String
        @Option(help: ArgumentHelp("Where to write the two files.", valueName: "dir"))
        var output: String = "."

        func validate() throws {
            if !SigningKey.isValidName(name) { throw ValidationError("--name '\(name)': use letters, digits and . _ - only") }
        }

        func run() throws {
            let key = SigningKey.generate(name: name)
            let directory = URL(fileURLWithPath: output)
            let secret = directory.appendingPathComponent("\(name).key"), shared = directory.appendingPathComponent("\(name).pub")
            try key.write(secret: secret, public: shared)
            Console.output("wrote \(secret.path) (keep it secret) and \(shared.path)\ntrusted key: \(key.publicKey)\n")
        }
    }
}
