@testable import KubeClient
import KubeModels
import Testing

@Suite struct WatchLineDecoderTests {
    /// A recorded stream: bookmarks, a multi-byte name, escaped newlines inside strings, a CRLF
    /// line ending, a blank keep-alive line and an ERROR Status.
    static let recorded: [UInt8] = Array(
        (#"{"type":"ADDED","object":{"kind":"Pod","metadata":{"name":"p-é-😀","resourceVersion":"10"},"spec":{"note":"a\nb"}}}"# + "\n"
            + #"{"type":"MODIFIED","object":{"kind":"Pod","metadata":{"name":"p2","resourceVersion":"11"},"status":{"phase":"Running"}}}"# + "\r\n"
            + "\n"
            + #"{"type":"BOOKMARK","object":{"kind":"Pod","metadata":{"resourceVersion":"12"}}}"# + "\n"
            + #"{"type":"DELETED","object":{"kind":"Pod","metadata":{"name":"p2","resourceVersion":"13"}}}"# + "\n"
            + #"{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","status":"Failure","code":410,"reason":"Expired","message":"too old"}}"# + "\n").utf8)

    static func decode(_ chunks: [ArraySlice<UInt8>], finishing: Bool = true) throws -> [WatchEvent] {
        var decoder = WatchLineDecoder()
        var events: [WatchEvent] = []
        for chunk in chunks {
            let bytes = Array(chunk)
            events += try bytes.withUnsafeBytes { try decoder.feed($0) }
        }
        if finishing, let last = try decoder.finish() { events.append(last) }
        return events
    }

    @Test func splittingAtEveryByteBoundaryGivesTheSameEvents() throws {
        let expected = try Self.decode([Self.recorded[...]])
        #expect(expected.map(\.type) == [.added, .modified, .bookmark, .deleted, .error])
        #expect(expected[0].object[path: "metadata", "name"] == "p-é-😀")
        #expect(expected[0].object[path: "spec", "note"] == "a\nb")
        #expect(expected[4].object["code"] == 410)
        let bytes = Self.recorded
        for cut in 0...bytes.count {
            #expect(try Self.decode([bytes[..<cut], bytes[cut...]]) == expected, "split at byte \(cut)")
        }
    }

    @Test func everyThreeWaySplitOfTheFirstEventsDecodes() throws {
        let bytes = Array(Self.recorded.prefix(260))
        var decoder = WatchLineDecoder()
        let expected = try bytes.withUnsafeBytes { try decoder.feed($0) }
        for first in stride(from: 0, through: bytes.count, by: 3) {
            for second in stride(from: first, through: bytes.count, by: 7) {
                // The prefix ends inside an event: only complete lines may come out.
                let events = try Self.decode([bytes[..<first], bytes[first..<second], bytes[second...]], finishing: false)
                #expect(events == expected)
            }
        }
    }

    @Test func byteAtATimeDecodes() throws {
        let chunks = Self.recorded.indices.map { Self.recorded[$0...$0] }
        #expect(try Self.decode(chunks).count == 5)
    }

    @Test func aFinalEventWithoutNewlineIsDelivered() throws {
        let bytes = Array(#"{"type":"ADDED","object":{"metadata":{"name":"x"}}}"#.utf8)
        #expect(try Self.decode([bytes[...]]).map(\.type) == [.added])
    }

    @Test func truncatedOrMalformedEventsAreErrors() {
        let truncated = Array(#"{"type":"ADDED","object":{"metad"#.utf8)
        #expect(throws: KubernetesError.self) { try Self.decode([truncated[...]]) }
        let unknown = Array((#"{"type":"SURPRISE","object":{}}"# + "\n").utf8)
        #expect {
            try Self.decode([unknown[...]])
        } throws: { error in
            "\(error)".contains("unknown type \"SURPRISE\"")
        }
        let noObject = Array((#"{"type":"ADDED"}"# + "\n").utf8)
        #expect(throws: KubernetesError.self) { try Self.decode([noObject[...]]) }
    }
}

@Suite struct WatchLineDecoderLimitTests {
    static func line(_ size: Int) -> [UInt8] {
        let prefix = #"{"type":"ADDED","object":{"kind":"ConfigMap","data":{"a":""#
        let suffix = "\"}}}\n"
        return Array((prefix + String(repeating: "x", count: size - prefix.utf8.count - suffix.utf8.count) + suffix).utf8)
    }

    static func isTooLarge(_ error: any Error) -> Bool {
        if case .responseTooLarge? = error as? KubernetesError { return true }
        return false
    }

    @Test func aLineAtTheLimitIsDecoded() throws {
        var decoder = WatchLineDecoder(maximumLineBytes: 1000)
        let events = try Self.line(1001).withUnsafeBytes { try decoder.feed($0) }  // 1000 bytes and its newline
        #expect(events.count == 1)
    }

    @Test func aLongerLineInOneChunkIsRefused() {
        var decoder = WatchLineDecoder(maximumLineBytes: 1000)
        #expect(performing: { try Self.line(1002).withUnsafeBytes { try decoder.feed($0) } }, throws: Self.isTooLarge)
    }

    /// A line that never ends is refused once it passes the limit, not buffered for ever.
    @Test func anUnendingLineIsRefusedOnceItPassesTheLimit() throws {
        var decoder = WatchLineDecoder(maximumLineBytes: 1000)
        let chunk = Array(String(repeating: "x", count: 400).utf8)
        for _ in 0..<2 { _ = try chunk.withUnsafeBytes { try decoder.feed($0) } }
        #expect(performing: { try chunk.withUnsafeBytes { try decoder.feed($0) } }, throws: Self.isTooLarge)
    }
}
