import Testing
import MountPlan

/// The plan pkgtree writes and `pkgtree-mount` reads: every step survives the encoding, and
/// a damaged plan is refused before anything is mounted.
@Suite struct MountPlanTests {
    static let plan = MountPlan([
        .directory("/l/root"),
        .mount(source: "overlay", target: "/l/root", type: "overlay", flags: [], data: "lowerdir=/a\\,b,upperdir=/u"),
        .symlink("/l/root/opt/x/active/a", target: "../packages/a--1"),
        .file("/l/root/opt/x/environment", contents: Array("A=1\n\0binary\0".utf8)),
        .mount(source: "none", target: "/l/root/opt/x", type: "", flags: [.remount, .ro, .nosuid, .nodev], data: ""),
        .changeDirectory("/l"),
        .detach("/l/groups/1"),
    ])

    @Test func everyStepSurvivesTheEncoding() throws {
        #expect(try MountPlan(decoding: Self.plan.encoded()) == Self.plan)
        #expect(try MountPlan(decoding: []) == MountPlan([]))
    }

    @Test(arguments: [
        Array("directory\0/a".utf8),                     // a field without its end
        Array("file\0/a\09\0short".utf8),                 // contents cut short
        Array("mount\0s\0t\0tmpfs\0bind,sticky\0\0".utf8),  // a flag pkgtree never writes
        Array("unmount\0/a\0".utf8),                      // a step pkgtree never writes
    ])
    func aDamagedPlanIsRefused(bytes: [UInt8]) {
        #expect(throws: MountPlan.DecodingError.self) { try MountPlan(decoding: bytes) }
    }
}
