import Foundation
import Testing
@testable import PkgTreeKit

/// Editing one member of a JSON file in its text, every other byte kept.
@Suite struct JSONTextEditorTests {
    static func edited(_ text: String, _ edit: (inout JSONTextEditor) -> Void) throws -> String {
        var editor = JSONTextEditor(Data(text.utf8))
        edit(&editor)
        let result = String(decoding: editor.data, as: UTF8.self)
        _ = try JSONFile.parse(editor.data, displayPath: "edited")  // still valid JSON
        return result
    }

    @Test func aMemberIsAddedAfterTheLastInTheFilesIndent() throws {
        let text = "{\n\t\"requires\": [\"a\"],\n\t\"docker\": \"x\"\n}\n"
        let result = try Self.edited(text) { editor in
            #expect(editor.unit == "\t")
            editor.set(["arch"]) { indent, multiline in "{" + (multiline ? "\n" + indent + "\t\"k\": 1\n" + indent + "}" : "") }
        }
        #expect(result == "{\n\t\"requires\": [\"a\"],\n\t\"docker\": \"x\",\n\t\"arch\": {\n\t\t\"k\": 1\n\t}\n}\n")
    }

    @Test func aOneLineObjectStaysOnOneLine() throws {
        let result = try Self.edited("{\"requires\": []}") { editor in
            editor.set(["arch"]) { _, multiline in multiline ? "?" : "{}" }
        }
        #expect(result == "{\"requires\": [], \"arch\": {}}")
    }

    @Test func anEmptyFileBecomesAnObject() throws {
        #expect(try Self.edited("") { $0.set(["cross"]) { _, _ in "true" } } == "{\n  \"cross\": true\n}\n")
        #expect(try Self.edited("{}") { $0.set(["cross"]) { _, _ in "true" } } == "{\n  \"cross\": true\n}")
    }

    @Test func aValueIsReplacedInPlace() throws {
        let text = "{\n    \"arch\": {\n        \"arm64\": {\"cross\": true},  \"armv7\": {}\n    }\n}\n"
        var memberIndent = ""
        let result = try Self.edited(text) { editor in
            editor.set(["arch", "arm64"]) { indent, _ in
                memberIndent = indent
                return "{\"docker\": \"y\"}"
            }
        }
        #expect(result == text.replacingOccurrences(of: "{\"cross\": true}", with: "{\"docker\": \"y\"}"))
        #expect(memberIndent == "        ")
    }

    @Test(arguments: [
        ("{\"a\": 1, \"b\": 2, \"c\": 3}", "b", "{\"a\": 1, \"c\": 3}"),
        ("{\"a\": 1, \"b\": 2, \"c\": 3}", "a", "{\"b\": 2, \"c\": 3}"),
        ("{\"a\": 1, \"b\": 2, \"c\": 3}", "c", "{\"a\": 1, \"b\": 2}"),
        ("{\n  \"a\": 1,\n  \"b\": 2\n}\n", "b", "{\n  \"a\": 1\n}\n"),
        ("{\"a\": 1}", "a", "{}"),
    ])
    func aMemberIsRemovedWithItsComma(_ text: String, _ key: String, _ expected: String) throws {
        #expect(try Self.edited(text) { $0.remove([key]) } == expected)
    }
}
