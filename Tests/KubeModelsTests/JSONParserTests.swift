import KubeModels
import Testing

@Suite struct JSONParserTests {
    @Test func parsesEveryKindOfValue() throws {
        let value = try JSONValue(parsing: #" {"a":[1,-2,3.5,-0.25e2,true,false,null],"b":{"c":"d"},"e":"" } "#)
        #expect(value["a"] == [1, -2, 3.5, -25.0, true, false, nil])
        #expect(value[path: "b", "c"] == "d")
        #expect(value["e"] == "")
    }

    @Test func integersStayIntegersAndLargeOnesBecomeDoubles() throws {
        #expect(try JSONValue(parsing: "9223372036854775807") == .int(Int64.max))
        #expect(try JSONValue(parsing: "-9223372036854775808") == .int(Int64.min))
        #expect(try JSONValue(parsing: "9223372036854775808") == .double(9_223_372_036_854_775_808))
        #expect(try JSONValue(parsing: "3") == .int(3))
        #expect(try JSONValue(parsing: "3.0") == .double(3))
        #expect(try JSONValue(parsing: "1e2") == .double(100))
        #expect(try JSONValue(parsing: "-0") == .int(0))
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        let value = try JSONValue(parsing: #""a\"b\\c\/d\b\f\n\r\t\u00e9\u20AC\ud83d\ude00""#)
        #expect(value == .string("a\"b\\c/d\u{8}\u{c}\n\r\t\u{e9}\u{20ac}\u{1F600}"))
        #expect(try JSONValue(parsing: "\"h\u{e9}llo \u{1F600}\"") == .string("h\u{e9}llo \u{1F600}"))
    }

    @Test(arguments: [
        ("", 0, "end of input"),
        ("{", 1, "end of input"),
        (#"{"a" 1}"#, 5, "expected ':'"),
        ("[1,]", 3, "expected a value"),
        ("[1 2]", 3, "expected ',' or ']'"),
        ("01", 1, "leading zeros"),
        ("1.", 2, "after '.'"),
        ("-", 1, "after '-'"),
        ("1e", 2, "exponent"),
        ("tru", 0, "expected 'true'"),
        ("nul", 0, "'null'"),
        (#""abc"#, 0, "unterminated string"),
        (#""a\x""#, 2, "invalid escape"),
        (#""\ud83d""#, 1, "not followed by a low surrogate"),
        (#""\ud83d\u0041""#, 1, "not a low surrogate"),
        (#""\ude00""#, 1, "lone low surrogate"),
        (#""\u12G4""#, 5, "invalid hex digit"),
        ("\"a\u{1}\"", 2, "control character"),
        ("{} x", 3, "after the end of the document"),
        (#"{1:2}"#, 1, "expected a string key"),
    ])
    func rejectsInvalidDocumentsWithOffsets(text: String, offset: Int, fragment: String) {
        #expect {
            try JSONValue(parsing: text)
        } throws: { error in
            guard let error = error as? JSONParseError else { return false }
            return error.offset == offset && error.message.contains(fragment) && error.description.contains("byte offset \(offset)")
        }
    }

    @Test func rejectsInvalidUTF8() {
        let bytes: [UInt8] = [UInt8(ascii: "\""), 0xC3, 0x28, UInt8(ascii: "\"")]
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: bytes) }
    }

    @Test func enforcesTheDepthLimit() throws {
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        #expect {
            try JSONValue(parsing: deep)
        } throws: { error in
            (error as? JSONParseError)?.message.contains("nesting deeper than the limit of 512") == true
        }
        let ok = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        _ = try JSONValue(parsing: ok)
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: ok, maxDepth: 50) }
    }

    @Test func parsesNonContiguousCollections() throws {
        let bytes = Array(#"{"k":[1,2]}"#.utf8).lazy.map { $0 }
        #expect(try JSONValue(parsing: bytes) == ["k": [1, 2]])
    }

    @Test func duplicateKeysKeepTheLastValue() throws {
        #expect(try JSONValue(parsing: #"{"a":1,"a":2}"#) == ["a": 2])
    }
}

@Suite struct JSONWriterTests {
    @Test func sortedKeysGiveTheCanonicalForm() throws {
        let value: JSONValue = ["b": 1, "a": ["z": nil, "y": [true, 1.5, "s"]], "B": -7]
        #expect(value.jsonString(sortedKeys: true) == #"{"B":-7,"a":{"y":[true,1.5,"s"],"z":null},"b":1}"#)
    }

    @Test func escapesStrings() {
        let value: JSONValue = .string("q\"b\\n\n\t\u{1}\u{1F}é😀/")
        #expect(value.jsonString() == #""q\"b\\n\n\t\u0001\u001fé😀/""#)
    }

    @Test func writesNumbers() {
        #expect(JSONValue.int(Int64.min).jsonString() == "-9223372036854775808")
        #expect(JSONValue.int(0).jsonString() == "0")
        #expect(JSONValue.int(1234567890).jsonString() == "1234567890")
        #expect(JSONValue.double(0.5).jsonString() == "0.5")
        #expect(JSONValue.double(.nan).jsonString() == "null")
    }

    @Test func roundTripsLosslessly() throws {
        let text = #"{"apiVersion":"v1","items":[{"n":1,"d":2.25,"s":"\u00e9\n","o":{},"a":[]}],"big":9007199254740993,"neg":-1e-7}"#
        let value = try JSONValue(parsing: text)
        let again = try JSONValue(parsing: value.serialized())
        #expect(again == value)
        #expect(again["big"] == .int(9_007_199_254_740_993))
        #expect(try JSONValue(parsing: value.jsonString(sortedKeys: true)) == value)
    }
}

@Suite struct JSONCodableBridgeTests {
    struct Sample: Codable, Equatable {
        var name: String
        var replicas: Int
        var ratio: Double?
        var tags: [String]
    }

    @Test func decodesAndEncodesCodableModels() throws {
        let value: JSONValue = ["name": "web", "replicas": 3, "ratio": 0.5, "tags": ["a"], "extra": true]
        let sample = try value.decode(Sample.self)
        #expect(sample == Sample(name: "web", replicas: 3, ratio: 0.5, tags: ["a"]))
        let encoded = try JSONValue(encoding: sample)
        #expect(encoded["replicas"] == .int(3))
        #expect(encoded["name"] == "web")
    }

    @Test func decodingReportsTheMissingField() {
        let value: JSONValue = ["name": "web", "tags": []]
        #expect(throws: DecodingError.self) { try value.decode(Sample.self) }
    }
}
