import KubeModels

/// What the API server needs to know about a resource beyond its URL: how discovery describes it
/// and which storage semantics apply (status subresource, generation tracking).
public struct ResourceInfo: Sendable, Hashable {
    public var gvr: GroupVersionResource
    public var singular: String
    public var hasStatus: Bool
    public var hasScale: Bool
    public var shortNames: [String]
    public var categories: [String]
    /// Whether `metadata.generation` is maintained. Custom resources always track it; built-ins
    /// only where a spec/status split exists.
    public var tracksGeneration: Bool

    public init(
        gvr: GroupVersionResource, singular: String? = nil, hasStatus: Bool = false, hasScale: Bool = false,
        shortNames: [String] = [], categories: [String] = [], tracksGeneration: Bool? = nil
    ) {
        self.gvr = gvr
        self.singular = singular ?? gvr.kind.lowercased()
        self.hasStatus = hasStatus
        self.hasScale = hasScale
        self.shortNames = shortNames
        self.categories = categories
        self.tracksGeneration = tracksGeneration ?? hasStatus
    }

    public var key: ResourceKey { ResourceKey(gvr) }
}

/// Storage identity of a resource: objects are stored once per group and plural, whatever
/// version a client used to write them.
public struct ResourceKey: Sendable, Hashable, CustomStringConvertible {
    public var group: String
    public var resource: String

    public init(group: String, resource: String) {
        self.group = group
        self.resource = resource
    }

    public init(_ gvr: GroupVersionResource) {
        self.init(group: gvr.group, resource: gvr.resource)
    }

    public var description: String { group.isEmpty ? resource : "\(resource).\(group)" }
}
