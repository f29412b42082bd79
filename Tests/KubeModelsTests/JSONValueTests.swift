import Foundation
import KubeModels
import Testing

@Suite struct JSONValueTests {
    @Test func integersSurviveARoundTrip() throws {
        let text = #"{"replicas":3,"ratio":0.5,"big":9007199254740993,"labels":{"app":"web"},"none":null}"#
        let value = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        #expect(value["replicas"] == .int(3))
        #expect(value["big"] == .int(9_007_199_254_740_993))
        #expect(value["ratio"] == .double(0.5))
        #expect(value[path: "labels", "app"]?.stringValue == "web")
        #expect(value["none"] == .null)
        let again = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(value))
        #expect(again == value)
    }
}
