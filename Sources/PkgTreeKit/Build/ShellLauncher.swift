import Foundation

/// What `pkgtree shell` adds to a build environment: a directory mounted at `/pkgtree-shell`
/// holding the script that starts the shell (`launch`, run by `/bin/sh`), bash's startup file
/// (`bashrc`: the prompt, and for `--run` the build script), and the file bash reads before the
/// build script (`BASH_ENV`), whose exit trap writes the script's last working directory.
enum ShellLauncher {
    static let mountPoint = "/pkgtree-shell"

    /// Its arguments are the build script's command, for `--run`. bash when the image has it,
    /// with those arguments for `bashrc`; else sh, which runs the script first and starts in `/`.
    static func launch(prompt: String) -> String {
        """
        # Written by pkgtree shell, which runs it with /bin/sh in a package's build environment.
        cd /
        if command -v bash >/dev/null 2>&1; then
            exec bash --rcfile \(mountPoint)/bashrc -i -s "$@"
        fi
        if [ "$#" -gt 0 ]; then
            "$@"
            echo "pkgtree: the build script exited with status $?; this image has no bash, so this shell is sh and starts in /" >&2
        fi
        PS1='\(prompt) $ '
        export PS1
        exec sh -i

        """
    }

    /// bash reads it after the image's own startup files, so that the prompt is pkgtree's. The
    /// build script runs from here, in the interactive shell, because only an interactive bash
    /// takes the terminal inside bwrap's PID namespace: the script is then a job of its own,
    /// which the terminal's ^C stops alone, not bwrap outside the sandbox (which would end the
    /// session) nor this file (SIGINT is trapped while the script runs, so the file goes on).
    static func bashrc(prompt: String) -> String {
        """
        # Written by pkgtree shell.
        PS1='\(prompt) \\w \\$ '
        if [ "$#" -gt 0 ]; then
            trap : INT
            BASH_ENV=\(mountPoint)/record-directory "$@"
            pkgtree_status=$?
            trap - INT
            pkgtree_directory=/
            if [ -s \(mountPoint)/directory ]; then pkgtree_directory=$(cat \(mountPoint)/directory); fi
            if [ "$pkgtree_status" -eq 0 ]; then
                echo "pkgtree: the build script succeeded; this shell starts in its last working directory, $pkgtree_directory" >&2
            else
                echo "pkgtree: the build script failed with status $pkgtree_status; this shell starts in its last working directory, $pkgtree_directory" >&2
            fi
            cd "$pkgtree_directory" || cd /
            unset pkgtree_status pkgtree_directory
            set --
        fi

        """
    }

    /// Read by the first bash the build script's command starts (bash reads `$BASH_ENV` before
    /// a script), and by no other: the script sees the build's environment unchanged. A script
    /// that sets an exit trap of its own replaces this one, and the shell starts in `/`.
    static let recordDirectory = """
        # Written by pkgtree shell: where the build script was when it ended.
        unset BASH_ENV
        trap 'printf "%s\\n" "$PWD" > \(mountPoint)/directory' EXIT

        """

    /// `[pkgtree NAME ARCH]`. Package names and architectures have no quote in them
    /// (PackageName), so the prompt goes into single quotes as it is.
    static func prompt(package: String, arch: Architecture) -> String {
        "[pkgtree \(package) \(arch.rawValue)]"
    }

    /// Writes the files into `directory`, the host side of the mount.
    static func write(into directory: URL, package: String, arch: Architecture) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let prompt = prompt(package: package, arch: arch)
        try Data(launch(prompt: prompt).utf8).write(to: directory.child("launch"))
        try Data(bashrc(prompt: prompt).utf8).write(to: directory.child("bashrc"))
        try Data(recordDirectory.utf8).write(to: directory.child("record-directory"))
    }

    /// The container's command: `launch`, running `script` first when given.
    static func command(running script: [String]?) -> [String] {
        ["/bin/sh", "\(mountPoint)/launch"] + (script ?? [])
    }
}
