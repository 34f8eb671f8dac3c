import Foundation
import Testing

/// The areas of Sources/PkgTreeKit depend one way, in the order docs/architecture.md gives.
@Suite struct LayerCheckTests {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func documentedOrder() throws -> [String] {
        let document = try String(contentsOf: repository.appendingPathComponent("docs/architecture.md"), encoding: .utf8)
        return LayerCheck.order(fromArchitectureDocument: document)
    }

    @Test func noAreaUsesAnAreaAboveIt() throws {
        let files = try LayerCheck.files(under: Self.repository.appendingPathComponent("Sources/PkgTreeKit"))
        let violations = LayerCheck.violations(order: try Self.documentedOrder(), files: files)
        #expect(violations.isEmpty, "\(violations.map(\.description).joined(separator: "\n"))")
    }

    @Test func theDocumentPlacesEveryAreaOnce() throws {
        let order = try Self.documentedOrder()
        let sources = Self.repository.appendingPathComponent("Sources/PkgTreeKit")
        let areas = Set(try LayerCheck.files(under: sources).map(\.area))
        #expect(order.count == Set(order).count, "an area is listed twice: \(order)")
        #expect(Set(order) == areas, "listed but absent: \(Set(order).subtracting(areas).sorted()); not listed: \(areas.subtracting(order).sorted())")
    }

    // The checker itself, on small sources.

    static let order = ["Low", "High"]
    static let high = LayerCheck.SourceFile(area: "High", path: "High/Tower.swift", text: """
        public struct Tower {
            struct Floor {}
        }

        extension Digest {
            var hexString: String { "" }
            private var secret: Int { 0 }
        }

        extension Tower {
            func climb() {}
        }
        """)

    static func violations(_ low: String) -> [String] {
        let file = LayerCheck.SourceFile(area: "Low", path: "Low/Cellar.swift", text: low)
        return LayerCheck.violations(order: order, files: [high, file]).map(\.description)
    }

    @Test func aTypeOfAHigherAreaIsReportedWithFileAndLine() {
        #expect(Self.violations("struct Cellar {\n    var above: Tower?\n}\n")
            == ["Low/Cellar.swift:2 uses Tower (High) above its own area (Low)"])
    }

    @Test func aLowerAreaUsedFromAboveIsFine() {
        let cellar = LayerCheck.SourceFile(area: "Low", path: "Low/Cellar.swift", text: "struct Cellar {}\n")
        let stairs = LayerCheck.SourceFile(area: "High", path: "High/Stairs.swift", text: "let down = Cellar()\n")
        #expect(LayerCheck.violations(order: Self.order, files: [cellar, stairs]).isEmpty)
    }

    @Test func commentsAndStringsDoNotCountButInterpolationsDo() {
        let text = """
            // Tower
            /* Tower /* nested */ Tower */ let a = "Tower \\" Tower"
            let b = #"Tower "quoted" Tower"#
            let c = \"""
                Tower
                \"""
            let d = "at \\(Tower()) and \\("Tower")"
            """
        #expect(Self.violations(text) == ["Low/Cellar.swift:7 uses Tower (High) above its own area (Low)"])
    }

    @Test func aMemberAddedToAnOutsideTypeAboveIsReported() {
        #expect(Self.violations("let hex = SHA256.hash(data: data).hexString\nlet other = value.secret\n")
            == ["Low/Cellar.swift:1 uses hexString (High) above its own area (Low)"])
    }

    @Test func aRequirementOfTheOwnAreaFulfilledAboveIsNotReported() {
        let text = "protocol Hexable {\n    var hexString: String { get }\n}\nlet hex = value.hexString\n"
        #expect(Self.violations(text).isEmpty)
    }

    @Test func nestedAndOwnNamesAreNotTheHigherType() {
        #expect(Self.violations("enum Cellar {\n    struct Tower {}\n    static let floor = Cellar.Floor()\n}\n").isEmpty)
    }

    @Test func theOrderIsReadFromTheNumberedList() {
        let document = "# Architecture\n\n1. `Support/` — errors\n2. `Model/` — the tree\n- `Other/` is not a layer\n"
        #expect(LayerCheck.order(fromArchitectureDocument: document) == ["Support", "Model"])
    }
}
