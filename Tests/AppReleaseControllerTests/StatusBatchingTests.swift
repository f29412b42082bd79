import Foundation
import Testing

@testable import AppReleaseController

@Suite("Status batching")
struct StatusBatchingTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    @Test("the first write goes out at once; the next progress waits out the period from the last write")
    func periodFromTheLastWrite() {
        let batching = StatusBatching(period: 1)
        #expect(batching.wait(owner: "a", now: start) == nil)
        batching.wrote(owner: "a", at: start)
        #expect(batching.wait(owner: "a", now: start.addingTimeInterval(0.25)) == .milliseconds(750))
        #expect(batching.wait(owner: "b", now: start.addingTimeInterval(0.25)) == nil, "one AppRelease's write delayed another's")
        #expect(batching.wait(owner: "a", now: start.addingTimeInterval(1)) == nil)
    }

    @Test("while the client's rate limit holds requests back, progress yields for at most ten periods")
    func yieldsToABacklogWithinItsLimit() {
        let batching = StatusBatching(period: 1)
        batching.wrote(owner: "a", at: start)
        #expect(batching.wait(owner: "a", now: start.addingTimeInterval(2), backlog: .milliseconds(300)) == .seconds(1))
        #expect(batching.wait(owner: "a", now: start.addingTimeInterval(9.5), backlog: .milliseconds(300)) == .milliseconds(500))
        #expect(batching.wait(owner: "a", now: start.addingTimeInterval(10), backlog: .milliseconds(300)) == nil, "figures left stale beyond the limit")
        #expect(batching.wait(owner: "a", now: start.addingTimeInterval(2), backlog: .zero) == nil)
    }

    @Test("a period of 0 writes every change at once; a forgotten AppRelease starts afresh")
    func zeroPeriodAndForget() {
        let off = StatusBatching(period: 0)
        off.wrote(owner: "a", at: start)
        #expect(off.wait(owner: "a", now: start, backlog: .seconds(5)) == nil)
        let batching = StatusBatching(period: 1)
        batching.wrote(owner: "a", at: start)
        batching.forget(owner: "a")
        #expect(batching.wait(owner: "a", now: start) == nil)
    }
}
