/// `v1` Event (the core group form that `kubectl describe` shows).
public struct Event: KubernetesResource, Hashable {
    public static let resource = GroupVersionResource.events

    public struct Source: Codable, Sendable, Hashable {
        public var component: String?
        public var host: String?
        public init(component: String? = nil, host: String? = nil) {
            self.component = component
            self.host = host
        }
    }

    public var apiVersion: String?
    public var kind: String?
    public var metadata: ObjectMeta
    public var involvedObject: ObjectReference
    public var reason: String?
    public var message: String?
    public var source: Source?
    public var firstTimestamp: String?
    public var lastTimestamp: String?
    public var count: Int32?
    /// Normal or Warning.
    public var type: String?
    public var eventTime: String?
    public var reportingComponent: String?
    public var reportingInstance: String?
    public var action: String?

    public init(
        metadata: ObjectMeta, involvedObject: ObjectReference, reason: String? = nil, message: String? = nil,
        source: Source? = nil, firstTimestamp: String? = nil, lastTimestamp: String? = nil, count: Int32? = nil,
        type: String? = nil, eventTime: String? = nil, reportingComponent: String? = nil,
        reportingInstance: String? = nil, action: String? = nil
    ) {
        self.apiVersion = "v1"
        self.kind = "Event"
        self.metadata = metadata
        self.involvedObject = involvedObject
        self.reason = reason
        self.message = message
        self.source = source
        self.firstTimestamp = firstTimestamp
        self.lastTimestamp = lastTimestamp
        self.count = count
        self.type = type
        self.eventTime = eventTime
        self.reportingComponent = reportingComponent
        self.reportingInstance = reportingInstance
        self.action = action
    }
}
