import Glibc
import MountPlan

// pkgtree-mount PLAN PARENT_PID COMMAND…: carries out the mount plan pkgtree wrote for one
// bwrap build (see `MountPlan`), inside the private mount namespace `unshare` made for it, then
// execs COMMAND (bwrap) there; the mounts stay with the namespace. A separate, small program: it
// starts in a few milliseconds, where pkgtree's own start would cost every build more than its
// mounts.
//
// pkgtree (PARENT_PID) may be killed at any moment, also before bwrap's own --die-with-parent
// takes hold. So this process asks for SIGKILL when its parent dies, first thing, and then
// checks that the parent is still the one that started it: a build whose pkgtree is gone never
// starts, and one that started dies with it. The death signal is kept across the exec.

func fail(_ message: String) -> Never {
    let line = Array("pkgtree-mount: \(message)\n".utf8)
    _ = write(STDERR_FILENO, line, line.count)
    exit(125)
}

/// prctl(2) is variadic in C, which Swift cannot call; PR_SET_PDEATHSIG takes one argument.
@_silgen_name("prctl") func setProcessControl(_ option: Int32, _ argument: UInt) -> Int32
let setParentDeathSignal: Int32 = 1  // PR_SET_PDEATHSIG

let arguments = CommandLine.arguments
guard arguments.count >= 4, let parent = pid_t(arguments[2]) else {
    fail("usage: pkgtree-mount PLAN PARENT_PID COMMAND… (pkgtree runs this for bwrap builds)")
}
guard setProcessControl(setParentDeathSignal, UInt(SIGKILL)) == 0 else { fail("prctl: \(String(cString: strerror(errno)))") }
guard getppid() == parent else { exit(125) }  // pkgtree died before the build started
let descriptor = open(arguments[1], O_RDONLY | O_CLOEXEC)
guard descriptor != -1 else { fail("\(arguments[1]): \(String(cString: strerror(errno)))") }
var bytes: [UInt8] = []
var chunk = [UInt8](repeating: 0, count: 1 << 20)
while true {
    let count = read(descriptor, &chunk, chunk.count)
    guard count != -1 else { fail("\(arguments[1]): \(String(cString: strerror(errno)))") }
    if count == 0 { break }
    bytes.append(contentsOf: chunk[..<count])
}
close(descriptor)
do {
    try MountPlan(decoding: bytes).run()
} catch {
    fail("\(arguments[1]): \(error)")
}
let command = Array(arguments[3...])
var argv: [UnsafeMutablePointer<CChar>?] = command.map { strdup($0) } + [nil]
execvp(command[0], &argv)
fail("\(command[0]): \(String(cString: strerror(errno)))")
