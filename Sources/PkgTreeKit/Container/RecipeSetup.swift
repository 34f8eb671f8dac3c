import Foundation

/// A recipe's `setup` commands, run by mmdebstrap in the new root filesystem once its packages
/// are installed (a customize hook: `chroot` into it, so a foreign architecture's commands run
/// under QEMU). Each command runs as a Dockerfile's `RUN` does: its own `sh -e -c`, in `/`,
/// with the recipe's environment and nothing of mmdebstrap's; the first to fail stops the image.
enum RecipeSetup {
    /// The shell script the hook runs in the root filesystem.
    static func script(_ recipe: BuilderRecipe) -> String {
        let environment = ["HOME": "/root"].merging(recipe.resolvedEnvironment) { _, recipe in recipe }
        let assignments = environment.sorted { $0.key < $1.key }.map { ToolCommand.quote("\($0.key)=\($0.value)") }
        var lines = ["set -e", "cd /"]
        for (index, command) in recipe.setup.enumerated() {
            let number = index + 1
            lines += [
                // printf, not echo: dash's echo would expand a command's backslashes.
                "printf '%s\\n' \(ToolCommand.quote("\(marker) \(number): \(command)"))",
                "if ! /usr/bin/env -i \(assignments.joined(separator: " ")) /bin/sh -e -c \(ToolCommand.quote(command)) </dev/null; then",
                "    printf '%s\\n' \(ToolCommand.quote("\(marker) \(number) failed"))",
                "    exit 1",
                "fi",
            ]
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// mmdebstrap's `--customize-hook`, run by `sh -c` with the root filesystem as `$1`.
    static func hook(script: String) -> String {
        #"chroot "$1" /bin/sh -c "$(cat \#(ToolCommand.quote(script)))""#
    }

    /// The index of the setup command whose failure the log reports, if one failed.
    static func failedCommand(log: URL, recipe: BuilderRecipe) -> Int? {
        guard let text = try? String(contentsOf: log, encoding: .utf8) else { return nil }
        for (index, _) in recipe.setup.enumerated().reversed() where text.contains("\(marker) \(index + 1) failed") {
            return index
        }
        return nil
    }

    static let marker = "pkgtree: setup command"
}
