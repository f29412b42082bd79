import KubeModels

/// What the Endpoints object and EndpointSlices of a Service should contain, computed from the
/// pods its selector matches (upstream endpoints and endpointslice controllers): ready pods
/// serve, not-ready ones are listed apart, terminating pods leave Endpoints but stay in slices
/// marked `terminating`. Pods whose named target port cannot be resolved are left out of that
/// port's group.
struct EndpointsBuilder {
    static let maxEndpointsPerSlice = 100

    struct Port: Hashable, Comparable {
        var name: String
        var port: Int64
        var proto: String

        var json: JSONValue {
            var fields: [String: JSONValue] = ["port": .int(port), "protocol": .string(proto)]
            if !name.isEmpty { fields["name"] = .string(name) }
            return .object(fields)
        }

        static func < (a: Port, b: Port) -> Bool { (a.name, a.port, a.proto) < (b.name, b.port, b.proto) }
    }

    struct Member {
        var pod: JSONValue
        var ip: String
        var ready: Bool
        var terminating: Bool
        var podReady: Bool

        var targetRef: JSONValue {
            let meta = ObjectMetadata(pod)
            return [
                "kind": "Pod", "namespace": .string(meta.namespace), "name": .string(meta.name), "uid": .string(meta.uid),
            ]
        }
    }

    let service: JSONValue
    let groups: [(ports: [Port], members: [Member])]

    init(service: JSONValue, pods: [JSONValue]) {
        self.service = service
        let publishNotReady = service[path: "spec", "publishNotReadyAddresses"]?.boolValue ?? false
        let servicePorts = service[path: "spec", "ports"]?.arrayValue ?? []
        var grouped: [[Port]: [Member]] = [:]
        for pod in pods {
            let facts = PodFacts(pod)
            guard !facts.podIP.isEmpty, !facts.isTerminal else { continue }
            let terminating = ObjectMetadata(pod).isDeleting
            let member = Member(
                pod: pod, ip: facts.podIP, ready: (facts.isReady || publishNotReady) && !terminating, terminating: terminating,
                podReady: facts.isReady)
            let ports = servicePorts.compactMap { Self.resolve($0, in: pod) }.sorted()
            grouped[ports, default: []].append(member)
        }
        groups = grouped.map { ($0.key, $0.value.sorted { Self.ipLess($0.ip, $1.ip) }) }.sorted { $0.ports.lexicographicallyPrecedes($1.ports) }
    }

    /// `subsets` for the Endpoints object; terminating pods are not part of it.
    var subsets: [JSONValue] {
        groups.compactMap { group in
            let members = group.members.filter { !$0.terminating }
            guard !members.isEmpty else { return nil }
            func address(_ member: Member) -> JSONValue {
                var fields: [String: JSONValue] = ["ip": .string(member.ip), "targetRef": member.targetRef]
                let node = PodFacts(member.pod).nodeName
                if !node.isEmpty { fields["nodeName"] = .string(node) }
                return .object(fields)
            }
            var subset: [String: JSONValue] = [:]
            let ready = members.filter(\.ready).map(address)
            let notReady = members.filter { !$0.ready }.map(address)
            if !ready.isEmpty { subset["addresses"] = .array(ready) }
            if !notReady.isEmpty { subset["notReadyAddresses"] = .array(notReady) }
            if !group.ports.isEmpty { subset["ports"] = .array(group.ports.map(\.json)) }
            return .object(subset)
        }
    }

    /// The content (`endpoints`, `ports`) of each EndpointSlice, at most 100 endpoints each;
    /// one empty slice when nothing matches, as upstream keeps a placeholder.
    var slices: [(endpoints: [JSONValue], ports: [JSONValue])] {
        var result: [(endpoints: [JSONValue], ports: [JSONValue])] = []
        for group in groups {
            let endpoints = group.members.map { member -> JSONValue in
                var fields: [String: JSONValue] = [
                    "addresses": [.string(member.ip)],
                    "conditions": [
                        "ready": .bool(member.ready), "serving": .bool(member.podReady), "terminating": .bool(member.terminating),
                    ],
                    "targetRef": member.targetRef,
                ]
                let node = PodFacts(member.pod).nodeName
                if !node.isEmpty { fields["nodeName"] = .string(node) }
                return .object(fields)
            }
            var start = 0
            while start < endpoints.count {
                let end = min(start + Self.maxEndpointsPerSlice, endpoints.count)
                result.append((Array(endpoints[start..<end]), group.ports.map(\.json)))
                start = end
            }
        }
        return result.isEmpty ? [([], [])] : result
    }

    /// A Service port's target on one pod: a number, a named container port, or the service port.
    private static func resolve(_ servicePort: JSONValue, in pod: JSONValue) -> Port? {
        guard let port = servicePort["port"]?.intValue else { return nil }
        let name = servicePort["name"]?.stringValue ?? ""
        let proto = servicePort["protocol"]?.stringValue ?? "TCP"
        switch servicePort["targetPort"] {
        case .some(.int(let number)):
            return Port(name: name, port: number, proto: proto)
        case .some(.string(let text)):
            if let number = Int64(text) { return Port(name: name, port: number, proto: proto) }
            for container in pod[path: "spec", "containers"]?.arrayValue ?? [] {
                for containerPort in container["ports"]?.arrayValue ?? []
                where containerPort["name"]?.stringValue == text && (containerPort["protocol"]?.stringValue ?? "TCP") == proto {
                    if let number = containerPort["containerPort"]?.intValue { return Port(name: name, port: number, proto: proto) }
                }
            }
            return nil
        default:
            return Port(name: name, port: port, proto: proto)
        }
    }

    /// Numeric order of dotted quads, so 10.244.0.10 sorts after 10.244.0.9.
    static func ipLess(_ a: String, _ b: String) -> Bool {
        let left = a.split(separator: ".").map { Int($0) ?? 0 }
        let right = b.split(separator: ".").map { Int($0) ?? 0 }
        return left.lexicographicallyPrecedes(right)
    }
}
