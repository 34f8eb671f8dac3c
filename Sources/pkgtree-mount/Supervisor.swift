import Glibc

/// Runs COMMAND (bwrap) as a child and stays as its supervisor, for one reason: when pkgtree
/// is killed, the whole sandbox must go. The kernel's parent-death signal reaches this process
/// (and kills bwrap, which has its own); but a sandbox bwrap has just cloned waits, before it
/// sets its own parent-death signal, on an eventfd that only the outer bwrap writes, and once
/// that one is dead it waits forever (seen here: `eventfd_read`, parent 1, after a kill). It is
/// still in this process group, which the supervisor kills. A build cancelled by pkgtree gets
/// SIGTERM on the group: the supervisor kills it at once, as SIGKILL would 10 s later.
/// Standard streams, the working directory and the mounts are shared with the child.
enum Supervisor {
    /// What pkgtree's death sends this process, and what cancelling a build sends its group.
    static let stopSignals: [Int32] = [SIGTERM, SIGHUP]

    /// Blocks the signals the supervisor waits for (and ^C's, which belong to a person's
    /// shell, not to it) and returns the mask to give back to the child.
    static func blockSignals() -> sigset_t {
        var blocked = sigset_t(), previous = sigset_t()
        sigemptyset(&blocked)
        for signal in stopSignals + [SIGCHLD, SIGINT, SIGQUIT] { sigaddset(&blocked, signal) }
        sigprocmask(SIG_BLOCK, &blocked, &previous)
        return previous
    }

    /// Starts `command` with the signal mask `mask`, dying with this process; waits for it and
    /// ends as it ended, or kills the process group when told to stop. Never returns.
    static func run(_ command: [String], mask: sigset_t) -> Never {
        let supervisor = getpid()
        let child = fork()
        if child == -1 { fail("fork: \(String(cString: strerror(errno)))") }
        if child == 0 {
            var mask = mask
            sigprocmask(SIG_SETMASK, &mask, nil)
            guard setProcessControl(setParentDeathSignal, UInt(SIGKILL)) == 0, getppid() == supervisor else { _exit(125) }
            var argv: [UnsafeMutablePointer<CChar>?] = command.map { strdup($0) } + [nil]
            execvp(command[0], &argv)
            fail("\(command[0]): \(String(cString: strerror(errno)))")
        }
        var waited = sigset_t()
        sigemptyset(&waited)
        for signal in stopSignals + [SIGCHLD] { sigaddset(&waited, signal) }
        while true {
            var info = siginfo_t()
            let signal = sigwaitinfo(&waited, &info)
            if signal == -1 { continue }  // EINTR
            if stopSignals.contains(signal) {
                // A build runs in a process group of its own; a person's shell (`pkgtree shell`)
                // in pkgtree's, which is not this process's to kill: there, bwrap alone.
                kill(getpgrp() == supervisor ? 0 : child, SIGKILL)
            }
            var status: Int32 = 0
            if waitpid(child, &status, WNOHANG) == child { endAs(status) }
        }
    }

    /// Exits with the child's status, or dies of the signal that killed it.
    private static func endAs(_ status: Int32) -> Never {
        let signal = status & 0x7f
        if signal == 0 { exit((status >> 8) & 0xff) }
        Glibc.signal(signal, SIG_DFL)
        var all = sigset_t()
        sigfillset(&all)
        sigprocmask(SIG_UNBLOCK, &all, nil)
        raise(signal)
        exit(128 + signal)
    }
}
