import KubeModels

/// One committed change, as watches and in-process controllers see it.
public struct StoreEvent: Sendable {
    public enum EventType: String, Sendable, Hashable {
        case added = "ADDED"
        case modified = "MODIFIED"
        case deleted = "DELETED"
    }

    public var type: EventType
    public var key: ResourceKey
    public var namespace: String?
    public var name: String
    /// The object after the change (for `.deleted`, its last state with the deletion's resourceVersion).
    public var object: JSONValue
    /// The object before the change; nil for `.added`. Lets selector-filtered watches turn a
    /// label change into ADDED / DELETED as the API server does.
    public var oldObject: JSONValue?
    public var resourceVersion: UInt64
    /// Only HTTP watches receive these: "everything up to `resourceVersion` has been delivered",
    /// so a watch can send a BOOKMARK that is safe to resume from.
    public var isProgressNotification = false
}
