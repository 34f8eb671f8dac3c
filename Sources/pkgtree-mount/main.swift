import Glibc
import MountPlan

// pkgtree-mount PLAN: carries out the mount plan pkgtree wrote for one bwrap build (see
// `MountPlan`), inside the private mount namespace `unshare` made for it, then exits; the
// mounts stay with the namespace, and the shell that ran this execs bwrap in it. A separate,
// small program: it starts in a few milliseconds, where pkgtree's own start would cost every
// build more than its mounts.

func fail(_ message: String) -> Never {
    let line = Array("pkgtree-mount: \(message)\n".utf8)
    _ = write(STDERR_FILENO, line, line.count)
    exit(125)
}

let arguments = CommandLine.arguments
guard arguments.count == 2 else { fail("usage: pkgtree-mount PLAN (pkgtree runs this for bwrap builds)") }
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
