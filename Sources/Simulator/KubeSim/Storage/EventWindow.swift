import DequeModule

/// The bounded history watches resume from. Events older than the window are gone: a watch
/// asking for them gets 410, exactly like etcd compaction on a real cluster.
struct EventWindow {
    private(set) var events: Deque<StoreEvent> = []
    let capacity: Int
    /// Every event with a resourceVersion at or below this has been discarded.
    private(set) var compactedThrough: UInt64 = 0

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    mutating func append(_ event: StoreEvent) {
        if events.count >= capacity, let dropped = events.popFirst() {
            compactedThrough = dropped.resourceVersion
        }
        events.append(event)
    }

    /// Drops the whole history so any watch resuming from before `resourceVersion` is refused.
    mutating func compact(through resourceVersion: UInt64) {
        events.removeAll()
        compactedThrough = max(compactedThrough, resourceVersion)
    }

    /// Whether every event after `resourceVersion` is still held.
    func canResume(from resourceVersion: UInt64) -> Bool {
        resourceVersion >= compactedThrough
    }

    /// Events strictly after `resourceVersion`, oldest first.
    func events(after resourceVersion: UInt64) -> some Sequence<StoreEvent> {
        var low = 0
        var high = events.count
        while low < high {
            let mid = (low + high) / 2
            if events[mid].resourceVersion <= resourceVersion { low = mid + 1 } else { high = mid }
        }
        return events[low...]
    }
}
