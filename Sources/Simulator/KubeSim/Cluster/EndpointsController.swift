import KubeModels

/// Maintains the Endpoints object and the EndpointSlices of every Service that has a selector,
/// writing only when their content changes, so a watch on them shows exactly the transitions a
/// client would see on a real cluster (and a test can prove a Service never lost its endpoints).
final class EndpointsController: Sendable {
    static let serviceNameLabel = "kubernetes.io/service-name"
    static let managedByLabel = "endpointslice.kubernetes.io/managed-by"
    static let managedBy = "endpointslice-controller.k8s.io"

    private let store: ObjectStore
    private let pods: StoreInformer
    private let services: StoreInformer
    let queue = WorkQueue<ObjectKey>()

    init(store: ObjectStore, pods: StoreInformer, services: StoreInformer) {
        self.store = store
        self.pods = pods
        self.services = services
        // A Service selects by equality on labels, so both sides are indexed by `namespace/key=value`
        // pairs: a pod change finds its Services, and a Service its pods, without a scan.
        pods.addIndex(Self.labelPairIndex) { pod in
            let meta = ObjectMetadata(pod)
            return meta.labels.map { Self.pair(meta.namespace, $0.key, $0.value) }
        }
        services.addIndex(Self.selectorPairIndex) { service in
            let namespace = ObjectMetadata(service).namespace
            return JSONValue.stringMap(service[path: "spec", "selector"]).map { Self.pair(namespace, $0.key, $0.value) }
        }
        services.addHandler { [weak self] old, new in
            guard let self, let service = new ?? old else { return }
            self.queue.add(ObjectMetadata(service).key)
        }
        pods.addHandler { [weak self] old, new in self?.podChanged(old: old, new: new) }
    }

    func run() async {
        while let key = await queue.next() {
            sync(key)
            // A burst (thousands of pods) must not monopolise the cooperative thread pool that
            // the API server's handlers and an in-process operator share.
            await Task.yield()
        }
    }

    /// Re-syncs a Service whose Endpoints or EndpointSlice someone else deleted, so they come
    /// back as on a real cluster.
    func observeDeletions() async {
        await withTaskGroup(of: Void.self) { group in
            for gvr in [GroupVersionResource.endpoints, .endpointSlices] {
                let events = store.events(for: gvr)
                group.addTask { [weak self] in
                    for await event in events where event.type == .deleted {
                        let service = gvr == .endpoints ? event.name : ObjectMetadata(event.object).labels[Self.serviceNameLabel]
                        guard let self, let service, let namespace = event.namespace else { continue }
                        let key = ObjectKey(namespace: namespace, name: service)
                        if self.services.get(key) != nil { self.queue.add(key) }
                    }
                }
            }
        }
    }

    private static let labelPairIndex = "label-pair"
    private static let selectorPairIndex = "selector-pair"

    private static func pair(_ namespace: String, _ key: String, _ value: String) -> String { "\(namespace)/\(key)=\(value)" }

    /// What about a pod can change a Service's endpoints.
    private struct PodSignature: Equatable {
        var labels: [String: String]
        var ip: String
        var ready: Bool
        var deleting: Bool
        var phase: String
        var nodeName: String
        var containers: JSONValue?

        init(_ pod: JSONValue) {
            let facts = PodFacts(pod)
            labels = ObjectMetadata(pod).labels
            ip = facts.podIP
            ready = facts.isReady
            deleting = ObjectMetadata(pod).isDeleting
            phase = facts.phase
            nodeName = facts.nodeName
            containers = pod[path: "spec", "containers"]
        }
    }

    private func podChanged(old: JSONValue?, new: JSONValue?) {
        if let old, let new, PodSignature(old) == PodSignature(new), ObjectMetadata(old).uid == ObjectMetadata(new).uid { return }
        guard let pod = new ?? old else { return }
        let namespace = ObjectMetadata(pod).namespace
        let labelSets = [old, new].compactMap { $0.map { ObjectMetadata($0).labels } }
        // Only a Service whose selector shares a label with the pod can select it.
        var candidates: [ObjectKey: JSONValue] = [:]
        for labels in labelSets {
            for (key, value) in labels {
                for service in services.byIndex(Self.selectorPairIndex, Self.pair(namespace, key, value)) {
                    candidates[ObjectMetadata(service).key] = service
                }
            }
        }
        for (key, service) in candidates {
            let selector = Selector(matchLabels: JSONValue.stringMap(service[path: "spec", "selector"]))
            guard !selector.isEmpty else { continue }
            if labelSets.contains(where: selector.matches) { queue.add(key) }
        }
    }

    private func sync(_ key: ObjectKey) {
        guard let service = services.get(key) else {
            _ = try? store.delete(.endpoints, namespace: key.namespace, name: key.name)
            for slice in existingSlices(key) {
                _ = try? store.delete(.endpointSlices, namespace: key.namespace, name: ObjectMetadata(slice).name)
            }
            return
        }
        // Without a selector the Service's endpoints are the user's to manage.
        let selector = Selector(matchLabels: JSONValue.stringMap(service[path: "spec", "selector"]))
        guard !selector.isEmpty, service[path: "spec", "type"]?.stringValue != "ExternalName" else { return }
        // Every pod it selects carries each of its pairs: the fewest pods under one pair are the candidates.
        let candidates = selector.matchLabels.map { pods.byIndex(Self.labelPairIndex, Self.pair(key.namespace ?? "", $0.key, $0.value)) }
            .min { $0.count < $1.count } ?? []
        let members = candidates.filter { selector.matches(ObjectMetadata($0).labels) }
        let builder = EndpointsBuilder(service: service, pods: members)
        syncEndpoints(service, key: key, subsets: builder.subsets)
        syncSlices(service, key: key, contents: builder.slices)
    }

    private func syncEndpoints(_ service: JSONValue, key: ObjectKey, subsets: [JSONValue]) {
        let labels = service[path: "metadata", "labels"]
        let subsetsValue = JSONValue.arrayOrAbsent(subsets)
        guard let existing = try? store.get(.endpoints, namespace: key.namespace, name: key.name) else {
            var metadata: JSONValue = ["name": .string(key.name), "namespace": .string(key.namespace ?? "")]
            if let labels { metadata["labels"] = labels }
            var endpoints: JSONValue = ["apiVersion": "v1", "kind": "Endpoints", "metadata": metadata]
            endpoints["subsets"] = subsetsValue
            _ = try? store.create(.endpoints, namespace: key.namespace, object: endpoints)
            return
        }
        if existing["subsets"] == subsetsValue, existing[path: "metadata", "labels"] == labels { return }
        _ = try? store.mutate(.endpoints, namespace: key.namespace, name: key.name) { current throws(StatusError) in
            var updated = current
            updated["subsets"] = subsetsValue
            updated.setValue(labels, atPath: ["metadata", "labels"])
            return updated
        }
    }

    private func existingSlices(_ key: ObjectKey) -> [JSONValue] {
        store.list(.endpointSlices, namespace: key.namespace, labelSelector: [Self.serviceNameLabel: key.name]).items
            .filter { ObjectMetadata($0).labels[Self.managedByLabel] == Self.managedBy }
            .sorted { ObjectMetadata($0).name < ObjectMetadata($1).name }
    }

    private func syncSlices(_ service: JSONValue, key: ObjectKey, contents: [(endpoints: [JSONValue], ports: [JSONValue])]) {
        let meta = ObjectMetadata(service)
        var labels = JSONValue.stringMap(service[path: "metadata", "labels"])
        labels[Self.serviceNameLabel] = key.name
        labels[Self.managedByLabel] = Self.managedBy
        let labelsValue = JSONValue.object(labels.mapValues { .string($0) })
        // Slices left by an earlier Service of the same name belong to the garbage collector.
        let all = existingSlices(key)
        let existing = all.filter { ObjectMetadata($0).controllerReference?.uid == meta.uid }
        for stale in all where ObjectMetadata(stale).controllerReference?.uid != meta.uid {
            _ = try? store.delete(.endpointSlices, namespace: key.namespace, name: ObjectMetadata(stale).name)
        }
        for (index, content) in contents.enumerated() {
            if index < existing.count {
                let slice = existing[index]
                if slice["endpoints"] == .array(content.endpoints), slice["ports"] == .array(content.ports),
                    slice[path: "metadata", "labels"] == labelsValue
                {
                    continue
                }
                _ = try? store.mutate(.endpointSlices, namespace: key.namespace, name: ObjectMetadata(slice).name) {
                    current throws(StatusError) in
                    var updated = current
                    updated["endpoints"] = .array(content.endpoints)
                    updated["ports"] = .array(content.ports)
                    updated.setValue(labelsValue, atPath: ["metadata", "labels"])
                    return updated
                }
            } else {
                let slice: JSONValue = [
                    "apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
                    "metadata": [
                        "generateName": .string("\(key.name)-"), "namespace": .string(key.namespace ?? ""), "labels": labelsValue,
                        "ownerReferences": [
                            OwnerReference.controller(apiVersion: "v1", kind: "Service", name: key.name, uid: meta.uid).json
                        ],
                    ],
                    "addressType": "IPv4", "endpoints": .array(content.endpoints), "ports": .array(content.ports),
                ]
                _ = try? store.create(.endpointSlices, namespace: key.namespace, object: slice)
            }
        }
        for slice in existing.dropFirst(contents.count) {
            _ = try? store.delete(.endpointSlices, namespace: key.namespace, name: ObjectMetadata(slice).name)
        }
    }
}
