import Foundation
import Testing
@testable import PkgTreeKit

/// The scan that refuses a key repeated in one JSON object, on text Foundation has parsed.
@Suite struct JSONDuplicateKeysTests {
    @Test(arguments: [
        (#"{"requires": [], "requires": ["a"]}"#, "requires"),
        (#"{"environment": {"CC": "gcc", "CC": "clang"}}"#, "environment.CC"),
        (#"{"requires": ["x", {"name": "a", "name": "b"}]}"#, "requires[1].name"),
        (#"{"sources": {"s": {"kind": "url"}, "t": {"url": "u", "url": "v"}}}"#, "sources.t.url"),
        (#"{"\u0072equires": [], "requires": []}"#, "requires"),
        (#"[{"a": 1}, {"b": 1, "b": 2}]"#, "[1].b"),
    ])
    func aRepeatedKeyIsNamedByItsPath(json: String, field: String) {
        #expect(JSONDuplicateKeys.first(in: Data(json.utf8))?.field == field)
    }

    @Test(arguments: [
        #"{"a": {"x": 1}, "b": {"x": 1}}"#,
        #"{"a": "\"a\": 1, \"a\"", "b": "{\"a\""}"#,
        #"{"list": ["a", "a", {"a": 1}, {"a": 2}]}"#,
        #"{"a\\": 1, "a": 2}"#,
        "{}",
    ])
    func distinctKeysAndKeyLikeStringsAreFine(json: String) {
        #expect(JSONDuplicateKeys.first(in: Data(json.utf8)) == nil)
    }

    @Test func theOffsetPointsAtTheSecondKey() throws {
        let json = "{\"a\": 1,\n \"a\": 2}"
        let found = try #require(JSONDuplicateKeys.first(in: Data(json.utf8)))
        #expect(JSONFile.lineAndColumn(of: found.offset, in: Data(json.utf8)) == (2, 2))
    }
}
