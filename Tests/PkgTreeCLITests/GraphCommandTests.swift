import Foundation
import Testing

@Suite struct GraphCommandTests {
    static let dot = CLIRunner.which("dot")

    @Test(.enabled(if: dot != nil, "Graphviz 'dot' is not installed (apt-get install graphviz)"))
    func dotOutputRendersWithGraphviz() async throws {
        let scratch = try ScratchTree(PlanCommandTests.smallTree)
        let graph = try await CLIRunner.run(["graph", "--arch", "aarch64", "--format", "dot", "--packages", scratch.packages.path])
        #expect(graph.status == 0)
        #expect(graph.stdout.contains(#""hello" -> "libgreet";"#))
        #expect(graph.stdout.contains("style=dashed"))
        let rendered = try await CLIRunner.runTool(Self.dot!, ["-Tsvg"], input: graph.stdout)
        #expect(rendered.status == 0, "\(rendered.stderr)")
        #expect(rendered.stdout.contains("<svg"))
        #expect(rendered.stdout.contains("libgreet"))
    }

    @Test func jsonOutputListsNodesAndEdges() async throws {
        let scratch = try ScratchTree(PlanCommandTests.smallTree)
        let graph = try await CLIRunner.run(["graph", "--arch", "aarch64", "--format", "json", "--packages", scratch.packages.path])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(graph.stdout.utf8)) as? [String: Any])
        let edges = try #require(document["edges"] as? [[String: String]])
        #expect(edges.contains(["from": "hello", "to": "libgreet"]))
        #expect(edges.contains(["from": "needs-x86", "to": "x86only"]))
        let nodes = try #require(document["nodes"] as? [[String: Any]])
        #expect(Set(nodes.compactMap { $0["status"] as? String }) == ["build", "unsupported", "skipped"])
    }
}
