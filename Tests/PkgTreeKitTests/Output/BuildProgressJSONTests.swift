import Foundation
import Testing
@testable import PkgTreeKit

/// `--progress json` is read by other tools: each line must carry exactly the keys docs/cli.md
/// lists for its event, in sorted order, with the documented values, and be one line.
@Suite struct BuildProgressJSONTests {
    static let log = URL(fileURLWithPath: "/src/cache/logs/x86_64/hello/hello--0a1b.log")

    static func event(_ kind: BuildScheduler.Event.Kind, arch: Architecture = .x86_64) -> BuildScheduler.Event {
        BuildScheduler.Event(arch: arch, name: "hello", id: "hello--0a1b", kind: kind)
    }

    static let events: [BuildScheduler.Event] = [
        event(.cached),
        event(.started(position: 1, total: 2, log: log)),
        event(.built(seconds: 2.5, log: log)),
        event(.failed(reason: "the build script exited with status 2", log: log)),
        event(.skipped(reason: "requires libgreet, which failed")),
        event(.interrupted(log: log)),
    ]

    /// The schema table of docs/cli.md: event name → its keys.
    static func documentedKeys() throws -> [String: [String]] {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("docs/cli.md")
        let text = try String(contentsOf: docs, encoding: .utf8)
        let section = try #require(text.range(of: "## The `--progress json` schema")).upperBound
        var table: [String: [String]] = [:]
        for line in text[section...].split(separator: "\n") where line.hasPrefix("| `") {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            if cells[0] == "`event`" { continue }  // the header row
            let keys = cells[1].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: ["`"]) }
            table[cells[0].trimmingCharacters(in: ["`"])] = keys
        }
        return table
    }

    static func keys(ofLine line: String) throws -> (event: String, keys: [String]) {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        return (try #require(object["event"] as? String), object.keys.sorted())
    }

    /// Keys in the order they appear in the line.
    static func keyOrder(_ line: String) -> [String] {
        let key = try! Regex(#"[{,]"([a-z_]+)":"#, as: (Substring, Substring).self)
        return line.matches(of: key).map { String($0.output.1) }
    }

    static func summary(variant: String? = nil, bootstrap: Bootstrapper.Result? = nil) -> BuildSession.ArchResult {
        var summary = BuildScheduler.Summary(arch: .aarch64)
        summary.built = ["hello"]
        summary.cached = ["base"]
        summary.failed = [(name: "tool", log: log)]
        summary.skipped = [(name: "app", reason: "requires tool, which failed")]
        summary.interrupted = ["slow"]
        let plan = BuildPlan(arch: .aarch64, treeVariant: variant, installRoot: "/opt/mesosphere", defaultBuilder: nil,
                             packages: [], unsupported: [Unbuildable(name: "cpuid", variant: nil, requires: [], reason: "unsupported on aarch64")],
                             skipped: [], bootstrapPackages: [], warnings: [])
        return BuildSession.ArchResult(plan: plan, summary: summary, bootstrap: bootstrap)
    }

    @Test(arguments: events)
    func eachEventHasExactlyTheDocumentedKeys(event: BuildScheduler.Event) throws {
        let line = BuildProgressJSON.line(event)
        let (name, keys) = try Self.keys(ofLine: line)
        #expect(keys == (try Self.documentedKeys()[name]), "\(line)")
        #expect(Self.keyOrder(line) == keys, "keys are written sorted")
    }

    @Test func theSummaryHasExactlyTheDocumentedKeys() throws {
        let line = BuildProgressJSON.summary([Self.summary()])
        let (name, keys) = try Self.keys(ofLine: line)
        #expect(name == "summary")
        #expect(keys == (try Self.documentedKeys()["summary"]))
        #expect(Self.keyOrder(line).filter(keys.contains) == keys)
    }

    @Test func theDocumentedTableNamesEveryEventKind() throws {
        var names = try Self.events.map { try Self.keys(ofLine: BuildProgressJSON.line($0)).event }
        names.append("summary")
        #expect(try Self.documentedKeys().keys.sorted() == names.sorted())
    }

    @Test func eventsEncodeTheirValues() {
        let lines = Self.events.map(BuildProgressJSON.line).joined()
        #expect(lines == """
            {"arch":"x86_64","event":"cached","id":"hello--0a1b","package":"hello"}
            {"arch":"x86_64","event":"started","id":"hello--0a1b","log":"/src/cache/logs/x86_64/hello/hello--0a1b.log","package":"hello","position":1,"total":2}
            {"arch":"x86_64","event":"finished","id":"hello--0a1b","log":"/src/cache/logs/x86_64/hello/hello--0a1b.log","package":"hello","seconds":2.5}
            {"arch":"x86_64","event":"failed","id":"hello--0a1b","log":"/src/cache/logs/x86_64/hello/hello--0a1b.log","package":"hello","reason":"the build script exited with status 2"}
            {"arch":"x86_64","event":"skipped","package":"hello","reason":"requires libgreet, which failed"}
            {"arch":"x86_64","event":"interrupted","id":"hello--0a1b","log":"/src/cache/logs/x86_64/hello/hello--0a1b.log","package":"hello"}

            """)
    }

    @Test func theSummaryEncodesItsListsAndTheBootstrap() {
        let bootstrap = Bootstrapper.Result(id: "b0", tarball: URL(fileURLWithPath: "/out/bootstrap/aarch64/b0.bootstrap.tar.xz"),
                                            activeList: URL(fileURLWithPath: "/out/b0.active.json"), packageIDs: ["hello--0a1b"],
                                            reused: false, size: 10, fragmentsMade: 3)
        #expect(BuildProgressJSON.summary([Self.summary(variant: "downstream", bootstrap: bootstrap), Self.summary()]) == """
            {"arch":"aarch64","bootstrap":{"fragments_made":3,"id":"b0","path":"/out/bootstrap/aarch64/b0.bootstrap.tar.xz","reused":false},"built":["hello"],"cached":["base"],"event":"summary","failed":[{"log":"/src/cache/logs/x86_64/hello/hello--0a1b.log","package":"tool"}],"interrupted":["slow"],"skipped":[{"package":"app","reason":"requires tool, which failed"}],"unsupported":[{"package":"cpuid","reason":"unsupported on aarch64"}],"variant":"downstream"}
            {"arch":"aarch64","bootstrap":null,"built":["hello"],"cached":["base"],"event":"summary","failed":[{"log":"/src/cache/logs/x86_64/hello/hello--0a1b.log","package":"tool"}],"interrupted":["slow"],"skipped":[{"package":"app","reason":"requires tool, which failed"}],"unsupported":[{"package":"cpuid","reason":"unsupported on aarch64"}],"variant":null}

            """)
    }

    @Test(arguments: events)
    func eachEventIsOneLine(event: BuildScheduler.Event) {
        var event = event
        if case .failed = event.kind { event.kind = .failed(reason: "line one\nline two", log: Self.log) }
        let line = BuildProgressJSON.line(event)
        #expect(line.hasSuffix("\n"))
        #expect(line.dropLast().contains("\n") == false, "a newline in a value is escaped")
    }
}
