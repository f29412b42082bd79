import Foundation
import KubeModels
import Testing

@Suite struct TruncationTests {
    @Test func shortTextIsUnchanged() {
        #expect("ready".truncated(toUTF8Bytes: 5) == "ready")
    }

    @Test func longTextIsCutToTheLimitWithAnEllipsis() {
        let cut = String(repeating: "a", count: 100).truncated(toUTF8Bytes: 10)
        #expect(cut.utf8.count == 10)
        #expect(cut == "aaaaaaa…")
    }

    /// A multi-byte character that does not fit is left out whole: a cut character is invalid
    /// UTF-8, which the API server refuses.
    @Test func cutsAtACharacterBoundary() {
        // 8 bytes leave 5 after the 3 of the ellipsis: "ab" fits, the 4-byte emoji after it does not.
        let cut = "ab😀😀😀".truncated(toUTF8Bytes: 8)
        #expect(cut == "ab…")
        #expect("ab😀😀😀".truncated(toUTF8Bytes: 9) == "ab😀…")
    }

    @Test func conditionMessagesAreCutToTheAPILimit() {
        var conditions: [Condition] = []
        conditions.set("Ready", status: .false, reason: "CrashLoop", message: String(repeating: "x", count: 40_000), now: Date())
        let message = conditions.condition("Ready")?.message ?? ""
        #expect(message.utf8.count == Condition.maximumMessageBytes)
        #expect(message.hasSuffix("…"))
    }
}
