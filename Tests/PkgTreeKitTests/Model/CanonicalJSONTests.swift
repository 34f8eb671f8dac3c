import Testing
@testable import PkgTreeKit

@Suite struct CanonicalJSONTests {
    @Test func keysAreSortedAndWhitespaceIsGone() {
        let value = JSONValue.object(["b": .int(1), "a": .array([.bool(true), .null]), "é": "x", "B": .double(2.0)])
        #expect(CanonicalJSON.string(value) == #"{"B":2,"a":[true,null],"b":1,"é":"x"}"#)
    }

    @Test func stringsAreEscapedMinimally() {
        #expect(CanonicalJSON.string("a\"b\\c\nd\u{1}/é") == #""a\"b\\c\nd\u0001/é""#)
    }

    @Test func theSameValueParsedFromDifferentSpellingsEncodesTheSame() throws {
        let one = try JSONFile.parse(Data("{ \"x\" : [1, 2.5], \"a\": {\"z\":1,\"y\":2} }".utf8), displayPath: "one")
        let two = try JSONFile.parse(Data("{\"a\":{\"y\":2,\"z\":1},\"x\":[1.0,2.5]}".utf8), displayPath: "two")
        #expect(CanonicalJSON.bytes(one) == CanonicalJSON.bytes(two))
    }

    @Test func overlaysMergeObjectsKeyByKeyAndReplaceEverythingElse() {
        let base = JSONValue.object(["environment": .object(["A": "1", "B": "2"]), "requires": .array(["x"])])
        let overlay = JSONValue.object(["environment": .object(["B": "3"]), "requires": .array(["y"])])
        #expect(base.merging(overlay) == .object(["environment": .object(["A": "1", "B": "3"]), "requires": .array(["y"])]))
    }
}

import Foundation
