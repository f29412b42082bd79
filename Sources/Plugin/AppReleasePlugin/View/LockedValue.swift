import Synchronization

/// A value shared between the tasks of one command (the watch that updates it, the timer or the
/// renderer that reads it), behind a lock.
final class LockedValue<Value: Sendable>: Sendable {
    private let state: Mutex<Value>

    init(_ value: Value) { state = Mutex(value) }

    var value: Value { state.withLock { $0 } }

    func set(_ value: Value) { state.withLock { $0 = value } }

    @discardableResult
    func update<T: Sendable>(_ body: (inout Value) -> T) -> T { state.withLock { body(&$0) } }
}
