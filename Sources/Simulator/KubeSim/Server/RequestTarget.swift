/// What a request path addresses, before resolving the resource against the registry.
enum RequestTarget: Equatable {
    case version
    case coreVersions  // /api
    case groupList  // /apis
    case group(String)  // /apis/{group}
    case resourceList(group: String, version: String)  // /api/v1, /apis/{g}/{v}
    case openAPIV2
    case openAPIV3Index
    case openAPIV3(group: String, version: String)
    case health
    case faults  // /kubesim/faults
    case requests  // /kubesim/requests
    case resource(ResourcePath)
    case unknown

    struct ResourcePath: Equatable {
        var group: String
        var version: String
        var resource: String
        var namespace: String?
        var name: String?
        var subresource: String?
        /// The legacy `/watch/` path prefix.
        var watchPrefix = false
    }

    init(path: String) {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        switch segments.first {
        case "version": self = segments.count == 1 ? .version : .unknown
        case "healthz", "readyz", "livez": self = .health
        case "kubesim":
            switch segments.count == 2 ? segments[1] : nil {
            case "faults": self = .faults
            case "requests": self = .requests
            default: self = .unknown
            }
        case "openapi":
            if segments == ["openapi", "v2"] {
                self = .openAPIV2
            } else if segments == ["openapi", "v3"] {
                self = .openAPIV3Index
            } else if segments.count == 4, segments[1] == "v3", segments[2] == "api" {
                self = .openAPIV3(group: "", version: segments[3])
            } else if segments.count == 5, segments[1] == "v3", segments[2] == "apis" {
                self = .openAPIV3(group: segments[3], version: segments[4])
            } else {
                self = .unknown
            }
        case "api":
            switch segments.count {
            case 1: self = .coreVersions
            case 2: self = .resourceList(group: "", version: segments[1])
            default: self = Self.resource(group: "", version: segments[1], rest: Array(segments.dropFirst(2)))
            }
        case "apis":
            switch segments.count {
            case 1: self = .groupList
            case 2: self = .group(segments[1])
            case 3: self = .resourceList(group: segments[1], version: segments[2])
            default: self = Self.resource(group: segments[1], version: segments[2], rest: Array(segments.dropFirst(3)))
            }
        default: self = .unknown
        }
    }

    private static func resource(group: String, version: String, rest: [String]) -> RequestTarget {
        var rest = rest
        var watchPrefix = false
        if rest.first == "watch" {
            watchPrefix = true
            rest.removeFirst()
        }
        var path = ResourcePath(group: group, version: version, resource: "", watchPrefix: watchPrefix)
        // /namespaces/{ns}/{resource}/... unless it is the namespace object itself (or its status).
        if rest.first == "namespaces", rest.count >= 3, !(group.isEmpty && rest.count == 3 && ["status", "finalize"].contains(rest[2])) {
            path.namespace = rest[1]
            rest.removeFirst(2)
        }
        guard rest.count >= 1, rest.count <= 3 else { return .unknown }
        path.resource = rest[0]
        path.name = rest.count > 1 ? rest[1] : nil
        path.subresource = rest.count > 2 ? rest[2] : nil
        return .resource(path)
    }
}
