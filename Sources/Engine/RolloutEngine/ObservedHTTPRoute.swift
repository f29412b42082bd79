import KubeModels

/// What the controller found for the HTTPRoute a canary names.
public enum HTTPRouteObservation: Sendable, Hashable {
    case found(ObservedHTTPRoute)
    /// The cluster serves HTTPRoutes but this one does not exist.
    case notFound
    /// The cluster does not serve `gateway.networking.k8s.io/v1` HTTPRoutes (the Gateway API CRDs
    /// are not installed); the text says what the API server answered.
    case apiUnavailable(String)
}

/// A Gateway API HTTPRoute reduced to what a canary sets: the weights of its backendRefs.
public struct ObservedHTTPRoute: Sendable, Hashable {
    /// One `spec.rules[rule].backendRefs[index]`.
    public struct BackendRef: Sendable, Hashable {
        public var rule: Int
        public var index: Int
        /// `name` of the referenced object (a Service when `kind` is absent or `Service`).
        public var name: String
        /// `kind`, absent meaning Service; `group`, absent or empty meaning core.
        public var kind: String?
        public var group: String?
        /// `weight`; the Gateway API default when absent is 1.
        public var weight: Int?

        public init(rule: Int, index: Int, name: String, kind: String? = nil, group: String? = nil, weight: Int? = nil) {
            self.rule = rule
            self.index = index
            self.name = name
            self.kind = kind
            self.group = group
            self.weight = weight
        }

        /// The Gateway API default weight.
        public static let defaultWeight = 1

        public var effectiveWeight: Int { weight ?? Self.defaultWeight }

        /// Whether this ref points at the Service `name` (core group, kind Service).
        public func refers(toService service: String) -> Bool {
            name == service && (kind ?? "Service") == "Service" && (group ?? "").isEmpty
        }
    }

    public var name: String
    /// The version the weights were read at: weight patches are guarded by it.
    public var resourceVersion: String
    public var backendRefs: [BackendRef]

    public init(name: String, resourceVersion: String, backendRefs: [BackendRef]) {
        self.name = name
        self.resourceVersion = resourceVersion
        self.backendRefs = backendRefs
    }

    public init(json object: JSONValue) {
        let meta = object.meta
        var refs: [BackendRef] = []
        for (ruleIndex, rule) in (object[path: "spec", "rules"]?.arrayValue ?? []).enumerated() {
            for (refIndex, ref) in (rule["backendRefs"]?.arrayValue ?? []).enumerated() {
                refs.append(
                    BackendRef(
                        rule: ruleIndex, index: refIndex, name: ref["name"]?.stringValue ?? "",
                        kind: ref["kind"]?.stringValue, group: ref["group"]?.stringValue,
                        weight: ref["weight"]?.intValue.map { Int($0) }))
            }
        }
        self.init(name: meta.name, resourceVersion: meta.resourceVersion, backendRefs: refs)
    }
}
