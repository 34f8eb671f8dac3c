import Glibc
import MountPlan

// pkgtree-mount PLAN PARENT_PID COMMAND…: carries out the mount plan pkgtree wrote for one
// bwrap build (see `MountPlan`), inside the private mount namespace `unshare` made for it, then
// runs COMMAND (bwrap) there and supervises it (`Supervisor`); the mounts stay with the
// namespace. A separate, small program: it starts in a few milliseconds, where pkgtree's own
// start would cost every build more than its mounts.
//
// pkgtree (PARENT_PID) may be killed at any moment, also before bwrap's own --die-with-parent
// takes hold. So this process asks for a signal when its parent dies, first thing, and then
// checks that the parent is still the one that started it: a build whose pkgtree is gone never
// starts, and the sandbox of one that started is killed with it, to the last process.

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
let childMask = Supervisor.blockSignals()  // before the death signal can arrive
guard setProcessControl(setParentDeathSignal, UInt(SIGTERM)) == 0 else { fail("prctl: \(String(cString: strerror(errno)))") }
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
// The build gets the umask an engine gives its containers (and pkgpanda's docker its builds),
// not that of whoever runs pkgtree: under a umask of 002 every file the script made was
// group-writable in the artifact, and a bwrap build differed from a podman one.
umask(0o022)
Supervisor.run(Array(arguments[3...]), mask: childMask)
