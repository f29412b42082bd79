import Synchronization
import Testing

@testable import ControllerRuntime

@Suite("WorkQueue")
struct WorkQueueTests {
    @Test("keys are deduplicated while waiting")
    func dedupe() async {
        let queue = WorkQueue<String>(name: "dedupe")
        queue.add("a")
        queue.add("a")
        queue.add("b")
        queue.add("a")
        #expect(queue.count == 2)
        #expect(await queue.get() == "a")
        #expect(await queue.get() == "b")
        #expect(queue.count == 0)
    }

    @Test("a key added while in flight is queued once more after done")
    func dirtyRequeue() async {
        let queue = WorkQueue<String>(name: "dirty")
        queue.add("a")
        let key = await queue.get()
        #expect(key == "a")
        queue.add("a")
        queue.add("a")
        #expect(queue.count == 0, "not handed out while in flight")
        queue.done("a")
        #expect(queue.count == 1)
        #expect(await queue.get() == "a")
        queue.done("a")
        #expect(queue.count == 0)
    }

    @Test("8 workers never process one key concurrently, and every add after a start is processed")
    func noConcurrentKey() async {
        let queue = WorkQueue<Int>(name: "concurrency")
        struct Tracker {
            var inFlight = Set<Int>()
            var violations = 0
            var processed = 0
            var pendingAfterStart = Set<Int>()
            var adderDone = false
        }
        let tracker = Locked(Tracker())
        let adds = 4000
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    while let key = await queue.get() {
                        tracker.withLock { state in
                            if !state.inFlight.insert(key).inserted { state.violations += 1 }
                            state.pendingAfterStart.remove(key)
                        }
                        await Task.yield()
                        tracker.withLock { state in
                            state.inFlight.remove(key)
                            state.processed += 1
                        }
                        queue.done(key)
                    }
                }
            }
            group.addTask {
                for index in 0..<adds {
                    let key = index % 16
                    tracker.withLock { _ = $0.pendingAfterStart.insert(key) }
                    queue.add(key)
                    if index % 8 == 0 { await Task.yield() }
                }
                tracker.withLock { $0.adderDone = true }
            }
            // 4,500 task switches: in a full parallel run, where a hundred suites share two
            // cores, each costs a turn of the whole cooperative pool, so the wait is long.
            await waitUntil(timeout: .seconds(240), "all adds processed") {
                tracker.withLock { $0.adderDone && $0.pendingAfterStart.isEmpty } && queue.count == 0 && queue.processingCount == 0
            }
            queue.shutDown()
        }
        let final = tracker.withLock { $0 }
        #expect(final.violations == 0)
        #expect(final.processed > 0 && final.processed <= adds)
    }

    @Test("per-key exponential backoff, capped, reset by forget")
    func backoff() async {
        let config = RateLimiterConfig(baseDelay: .milliseconds(40), maxDelay: .milliseconds(300), qps: 1000, burst: 1000)
        #expect(config.perKeyDelay(failures: 1) == .milliseconds(40))
        #expect(config.perKeyDelay(failures: 3) == .milliseconds(160))
        #expect(config.perKeyDelay(failures: 10) == .milliseconds(300))
        #expect(RateLimiterConfig.default.perKeyDelay(failures: 40) == .seconds(1000))

        let queue = WorkQueue<String>(name: "backoff", rateLimiter: config)
        for expected in [40, 80, 160] {
            let start = ContinuousClock.now
            queue.addRateLimited("k")
            #expect(queue.count == 0, "not available before its backoff")
            let key = await queue.get()
            let waited = ContinuousClock.now - start
            #expect(key == "k")
            #expect(waited >= .milliseconds(expected), "waited \(waited), backoff \(expected) ms")
            queue.done("k")
        }
        #expect(queue.numRequeues("k") == 3)
        queue.forget("k")
        #expect(queue.numRequeues("k") == 0)
    }

    @Test("the overall token bucket spaces out retries across keys")
    func overallRateLimit() async {
        let config = RateLimiterConfig(baseDelay: .zero, maxDelay: .zero, qps: 20, burst: 2)
        let queue = WorkQueue<Int>(name: "bucket", rateLimiter: config)
        let start = ContinuousClock.now
        for key in 0..<6 { queue.addRateLimited(key) }
        for _ in 0..<6 {
            if let key = await queue.get() { queue.done(key) }
        }
        // 2 immediately, 4 more at 20/s.
        #expect(ContinuousClock.now - start >= .milliseconds(190))
    }

    @Test("addAfter delays a key and keeps the earliest time")
    func addAfter() async {
        let queue = WorkQueue<String>(name: "after")
        let start = ContinuousClock.now
        queue.addAfter("late", .milliseconds(150))
        queue.addAfter("x", .seconds(60))
        queue.addAfter("x", .milliseconds(100))
        queue.addAfter("x", .seconds(30))
        #expect(queue.count == 0)
        #expect(queue.delayedCount == 2)
        // Each key has its own timer, so on a loaded machine two due keys may come out in either
        // order; what matters is that neither comes early and that "x" kept its earliest time.
        var arrivals: [String: Duration] = [:]
        for _ in 0..<2 {
            if let key = await queue.get() { arrivals[key] = ContinuousClock.now - start }
        }
        #expect(Set(arrivals.keys) == ["x", "late"])
        #expect((arrivals["x"] ?? .zero) >= .milliseconds(100))
        #expect((arrivals["x"] ?? .seconds(60)) < .seconds(30))
        #expect((arrivals["late"] ?? .zero) >= .milliseconds(150))
        #expect(queue.delayedCount == 0)
    }

    @Test("reschedule replaces a key's timer, later as well as earlier, and nil cancels it")
    func rescheduleReplacesTheTimer() async {
        let queue = WorkQueue<String>(name: "reschedule")
        let start = ContinuousClock.now
        queue.addAfter("done", .milliseconds(50))
        queue.reschedule("done", after: nil)
        #expect(queue.delayedCount == 0, "a finished key kept its old timer")
        queue.addAfter("x", .milliseconds(50))
        queue.reschedule("x", after: .milliseconds(200))
        #expect(queue.delayedCount == 1)
        let key = await queue.get()
        #expect(key == "x")
        #expect(ContinuousClock.now - start >= .milliseconds(200), "the replaced, earlier timer still fired")
        #expect(queue.count == 0 && queue.delayedCount == 0)
    }

    @Test("shutdown wakes waiters and drains in-flight keys")
    func shutdownDrain() async {
        let queue = WorkQueue<String>(name: "drain")
        queue.add("busy")
        let key = await queue.get()
        #expect(key == "busy")
        let finished = Locked(false)
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                // A waiting worker is woken with nil.
                #expect(await queue.get() == nil)
            }
            group.addTask {
                await queue.shutDownWithDrain()
                #expect(finished.withLock { $0 }, "drain returned before the in-flight key was done")
            }
            await waitUntil("shutting down") { queue.isShuttingDown }
            finished.withLock { $0 = true }
            queue.done("busy")
        }
        queue.add("after")
        #expect(queue.count == 0, "adds after shutdown are ignored")
        #expect(await queue.get() == nil)
    }

    @Test("a cancelled get returns nil")
    func cancelledGet() async {
        let queue = WorkQueue<String>(name: "cancel")
        let task = Task { await queue.get() }
        task.cancel()
        #expect(await task.value == nil)
        queue.add("a")
        #expect(await queue.get() == "a")
    }
}
