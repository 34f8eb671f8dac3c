import Foundation
import Testing
@testable import PkgTreeKit

/// The live block of `--progress tty`, without a terminal: events in, lines out.
@Suite struct ProgressBlockTests {
    static let start = Date(timeIntervalSince1970: 1_000_000)
    static let log = URL(fileURLWithPath: "/nonexistent/x.log")

    static func event(_ name: String, _ arch: Architecture, _ kind: BuildScheduler.Event.Kind) -> BuildScheduler.Event {
        BuildScheduler.Event(arch: arch, name: name, id: "\(name)--\(arch)", kind: kind)
    }

    /// Two cached, one built, one failed, one skipped, two still running, of ten.
    static func midway() -> ProgressBlock {
        var block = ProgressBlock(total: 10)
        let events: [BuildScheduler.Event] = [
            event("base", .x86_64, .cached), event("base", .aarch64, .cached),
            event("lib", .x86_64, .started(position: 1, total: 8, log: log)),
            event("lib", .aarch64, .started(position: 2, total: 8, log: log)),
            event("lib", .x86_64, .built(seconds: 3, log: log)),
            event("tool", .x86_64, .started(position: 3, total: 8, log: log)),
            event("lib", .aarch64, .failed(reason: "exit 2", log: log)),
            event("app", .aarch64, .skipped(reason: "requires lib, which failed")),
            event("hello", .aarch64, .started(position: 4, total: 8, log: log)),
        ]
        for (offset, event) in events.enumerated() { block.apply(event, at: start + Double(offset * 10)) }
        return block
    }

    @Test func theHeaderCountsEveryOutcomeOfTheWholeRun() {
        let lines = Self.midway().lines(now: Self.start + 100, width: 120, height: 40)
        #expect(lines[0] == "[5/10] 1 built, 2 cached, 1 failed, 1 skipped; 2 running")
    }

    @Test func eachRunningBuildShowsItsArchitectureElapsedTimeAndLastLogLine() {
        var block = Self.midway()
        block.readLastLines { _ in "\u{1B}[32mCC\u{1B}[0m\tmain.o" }
        let lines = block.lines(now: Self.start + 130, width: 120, height: 40)
        #expect(lines.count == 3)
        #expect(lines[1] == "  x86_64/tool    1m20s CC main.o")   // started at +50
        #expect(lines[2] == "  aarch64/hello  50s   CC main.o")   // started at +80
    }

    @Test(arguments: [20, 33, 60])
    func noLineIsWiderThanTheTerminal(width: Int) {
        var block = Self.midway()
        block.readLastLines { _ in String(repeating: "very long compiler output ", count: 20) }
        let lines = block.lines(now: Self.start + 100, width: width, height: 40)
        #expect(lines.allSatisfy { $0.count <= width }, "\(lines)")
        #expect(lines[1].hasSuffix("…"))
    }

    @Test func aShortTerminalShowsHowManyMoreAreRunning() {
        var block = ProgressBlock(total: 10)
        for name in ["a", "b", "c", "d", "e"] {
            block.apply(Self.event(name, .x86_64, .started(position: 1, total: 5, log: Self.log)), at: Self.start)
        }
        let lines = block.lines(now: Self.start, width: 80, height: 5)
        #expect(lines.count == 4)   // a row stays free below the block
        #expect(lines[1].hasPrefix("  x86_64/a ") && lines[2].hasPrefix("  x86_64/b "))
        #expect(lines[3] == "  … and 3 more")
    }

    @Test func aBuildThatAnotherProcessFinishedLeavesTheRunningList() {
        var block = ProgressBlock(total: 1)
        block.apply(Self.event("lib", .x86_64, .started(position: 1, total: 1, log: Self.log)), at: Self.start)
        block.apply(Self.event("lib", .x86_64, .cached), at: Self.start)
        #expect(block.running.isEmpty)
        #expect(block.lines(now: Self.start, width: 80, height: 24) == ["[1/1] 0 built, 1 cached, 0 failed, 0 skipped; 0 running"])
    }

    @Test(arguments: [
        ("plain text", "plain text"),
        ("  50%\r  75%\r100% done\r", "100% done"),
        ("\u{1B}[1;31merror:\u{1B}[0m missing ;", "error: missing ;"),
        ("bell\u{07} and del\u{7F}", "bell and del"),
        ("tab\tseparated", "tab separated"),
    ])
    func logLinesLoseWhatWouldMoveTheCursor(raw: String, shown: String) {
        #expect(ProgressBlock.displayable(raw) == shown)
    }

    @Test(arguments: [(5.0, "5s"), (65.0, "1m05s"), (3599.0, "59m59s"), (3720.0, "1h02m")])
    func elapsedTimesStayShort(seconds: Double, text: String) {
        #expect(ProgressBlock.elapsed(seconds) == text)
    }
}

/// Reading the end of a build log.
@Suite struct LogTailTests {
    static func file(_ text: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pkgtree-logtail-\(UUID().uuidString).log")
        try Data(text.utf8).write(to: url)
        return url
    }

    @Test func theLastLinesWithOrWithoutAFinalNewline() throws {
        #expect(LogTail.lines(of: try Self.file("one\ntwo\nthree\n"), count: 2) == ["two", "three"])
        #expect(LogTail.lines(of: try Self.file("one\ntwo\nthree"), count: 5) == ["one", "two", "three"])
        #expect(LogTail.lines(of: try Self.file(""), count: 3) == [])
        #expect(LogTail.lines(of: URL(fileURLWithPath: "/nonexistent/build.log"), count: 3) == nil)
    }

    @Test func onlyTheEndOfALargeLogIsReadAndAPartLineIsDropped() throws {
        let lines = (1...10_000).map { "line \($0) " + String(repeating: "x", count: 50) }
        let url = try Self.file(lines.joined(separator: "\n") + "\n")
        let tail = try #require(LogTail.lines(of: url, count: 1_000, maxBytes: 4096))
        #expect(tail.count < 80)
        #expect(tail.last == lines.last)
        #expect(tail.allSatisfy { lines.contains($0) })
    }

    @Test func theLastLineSkipsTrailingBlankLines() throws {
        #expect(LogTail.lastLine(of: try Self.file("configure\nmake all\n\n   \n")) == "make all")
    }

    /// A log as `PackageBuilder` writes it: the header, the script's output, pkgtree's verdict.
    static func buildLog(script: [String], after: [String] = []) throws -> URL {
        let command = ToolCommand("docker", ["run", "--rm", "--platform", "linux/arm64", "-v", "/x:/opt/pkgtree:ro", "img", "/pkg/build/build"])
        let header = BuildLog.header(id: "hello--0123", arch: .aarch64, runner: .docker, command: command)
        return try file(header + (script + after).map { $0 + "\n" }.joined())
    }

    @Test func aFailureShowsTheScriptsLinesAndVerdictButNotTheRunnersCommandLine() throws {
        let log = try Self.buildLog(script: ["checking for gcc... gcc", "error: zlib.h not found"], after: ["pkgtree: ELF check: bin/x is x86_64"])
        #expect(BuildLog.failureTail(of: log) == ["checking for gcc... gcc", "error: zlib.h not found", "pkgtree: ELF check: bin/x is x86_64"])
        #expect(BuildLog.failureTail(of: try Self.buildLog(script: [])) == [])
        #expect(try String(contentsOf: log, encoding: .utf8).contains("pkgtree: run: docker run --rm --platform linux/arm64"))
    }

    @Test func theLiveLastLineIsTheScriptsOwn() throws {
        #expect(BuildLog.lastScriptLine(of: try Self.buildLog(script: [])) == nil)
        #expect(BuildLog.lastScriptLine(of: try Self.buildLog(script: ["make all", ""], after: ["pkgtree: interrupted; nothing was stored"])) == "make all")
    }
}
