import Testing
@testable import PkgTreeKit

/// The path rules every entry passes, on their own (no archive involved).
@Suite struct ArchiveEntryPathTests {
    @Test(arguments: [
        ("bin/tool", "bin/tool"), ("./bin/tool", "bin/tool"), ("bin//tool/", "bin/tool"),
        ("./", ""), (".", ""), ("a/./b", "a/b"), ("...", "..."), ("a..b/c", "a..b/c"),
    ])
    func normalizes(_ raw: String, _ expected: String) throws {
        #expect(try EntryPath.normalize(raw, archive: "x.tar") == expected)
    }

    @Test(arguments: ["/etc/passwd", "../x", "a/../../x", "a/..", "//x"])
    func refusesPathsThatLeave(_ raw: String) {
        #expect(throws: ArchiveError.self) { try EntryPath.normalize(raw, archive: "x.tar") }
    }

    @Test(arguments: [
        ("lib/libz.so.1", "libz.so.1.3"), ("bin/lib", "../lib"), ("a/b/c/l", "../../../x"),
        ("self", "."), ("a/up", ".."), ("l", "./x/./y"), ("l", "dangling/path"),
    ])
    func acceptsSymlinksThatStayInside(_ path: String, _ target: String) throws {
        try EntryPath.checkSymlinkTarget(target, of: path, archive: "x.tar")
    }

    @Test(arguments: [
        ("l", "/etc"), ("l", ".."), ("a/l", "../.."), ("l", "s/.."), ("a/l", "../b/../../x"), ("l", ""),
    ])
    func refusesSymlinksThatCouldLeave(_ path: String, _ target: String) {
        #expect(throws: ArchiveError.self) { try EntryPath.checkSymlinkTarget(target, of: path, archive: "x.tar") }
    }

    /// The install-root form of the rule: where a link of `packages/p--1/…` leads once the
    /// root is installed at /opt/mesosphere.
    @Test(arguments: [
        ("packages/p--1/lib/libx.so", "/opt/mesosphere/active/dep/lib/libx.so", "../../../active/dep/lib/libx.so"),
        ("packages/p--1/bin/tool", "/opt/mesosphere/", "../../.."),
        ("top", "/opt/mesosphere", "."),
        ("packages/p--1/lib/l", "libx.so.1", "libx.so.1"),
        ("packages/p--1/lib/l", "../../../bin/x", "../../../bin/x"),
    ])
    func absoluteTargetsUnderTheInstallRootBecomeRelative(_ path: String, _ target: String, _ expected: String) {
        #expect(SymlinkRefusal.installedTarget(target, at: path, installRoot: "/opt/mesosphere") == .success(expected))
    }

    @Test(arguments: [
        ("packages/p--1/x", "/etc/shadow", SymlinkRefusal.absolute),
        ("packages/p--1/x", "/opt/mesosphereX/y", .absolute),
        ("packages/p--1/x", "/opt/mesosphere/../../etc", .climbsOut),
        ("packages/p--1/x", "/opt/mesosphere/a/../b", .dotDotAfterName),
        ("packages/p--1/lib/x", "../../../../etc/shadow", .climbsOut),
        ("packages/p--1/lib/x", "sub/../../y", .dotDotAfterName),
    ])
    func linksThatLeaveTheInstallRootAreRefused(_ path: String, _ target: String, _ refusal: SymlinkRefusal) {
        #expect(SymlinkRefusal.installedTarget(target, at: path, installRoot: "/opt/mesosphere/") == .failure(refusal))
    }

    @Test func parentsAreListedShortestFirst() {
        #expect(EntryPath.parents("a/b/c") == ["a", "a/b"])
        #expect(EntryPath.parents("top").isEmpty)
    }

    @Test func sourceDateEpochIsParsedStrictly() {
        #expect(SourceDate.parse("1700000000") == 1_700_000_000)
        #expect(SourceDate.parse(nil) == nil)
        #expect(SourceDate.parse("") == nil)
        #expect(SourceDate.parse("-5") == nil)
        #expect(SourceDate.parse("17e8") == nil)
    }
}
