import KubeModels
import Synchronization

/// A resource as served at one group/version: built-in, or a CRD version with its schema and
/// printer columns.
struct ServedResource: Sendable {
    var info: ResourceInfo
    var crd: CustomResourceDefinition?
    var crdVersion: CustomResourceDefinition.Version?

    var gvr: GroupVersionResource { info.gvr }
    var listKind: String { crd?.listKind ?? info.gvr.kind + "List" }

    /// Field selector labels a custom resource accepts; nil for built-ins, whose selectors kubesim
    /// evaluates over any field.
    var fieldLabels: Set<String>? {
        guard let crd, let crdVersion else { return nil }
        return crd.fieldLabels(for: crdVersion)
    }
}

/// Everything kubesim serves right now: the built-in table plus every served CRD version. The
/// CRD part is rebuilt from the store whenever a CRD changes.
final class ResourceRegistry: Sendable {
    private struct Snapshot {
        var builtVersion: UInt64 = .max
        var crds: [CustomResourceDefinition] = []
        var served: [String: ServedResource] = [:]  // "group/version/plural"
    }

    private let store: ObjectStore
    private let snapshot = Mutex(Snapshot())

    init(store: ObjectStore) {
        self.store = store
    }

    private static func key(_ group: String, _ version: String, _ resource: String) -> String { "\(group)/\(version)/\(resource)" }

    private func current() -> Snapshot {
        let version = store.lastChange(of: ResourceKey(.customResourceDefinitions))
        if let cached = snapshot.withLock({ $0.builtVersion == version ? $0 : nil }) { return cached }
        var fresh = Snapshot(builtVersion: version)
        for info in BuiltinResources.all {
            fresh.served[Self.key(info.gvr.group, info.gvr.version, info.gvr.resource)] = ServedResource(info: info)
        }
        let objects = store.list(.customResourceDefinitions).items
        fresh.crds = objects.compactMap(CustomResourceDefinition.init)
        for crd in fresh.crds {
            for version in crd.versions where version.served {
                fresh.served[Self.key(crd.group, version.name, crd.plural)] = ServedResource(
                    info: crd.resourceInfo(for: version), crd: crd, crdVersion: version)
            }
        }
        snapshot.withLock { $0 = fresh }
        return fresh
    }

    func resolve(group: String, version: String, resource: String) -> ServedResource? {
        current().served[Self.key(group, version, resource)]
    }

    var all: [ServedResource] { Array(current().served.values) }

    func resources(group: String, version: String) -> [ServedResource] {
        all.filter { $0.gvr.group == group && $0.gvr.version == version }.sorted { $0.gvr.resource < $1.gvr.resource }
    }

    /// Groups with their versions, preferred (storage, else first) version first.
    func groups() -> [(name: String, versions: [String])] {
        let snapshot = current()
        var versions: [String: [String]] = [:]
        var order: [String] = []
        for info in BuiltinResources.all where !info.gvr.group.isEmpty {
            if versions[info.gvr.group] == nil { order.append(info.gvr.group) }
            if !(versions[info.gvr.group]?.contains(info.gvr.version) ?? false) {
                versions[info.gvr.group, default: []].append(info.gvr.version)
            }
        }
        for crd in snapshot.crds {
            if versions[crd.group] == nil { order.append(crd.group) }
            let served = crd.versions.filter(\.served)
            let preferred = served.filter(\.storage) + served.filter { !$0.storage }
            for version in preferred.map(\.name) where !(versions[crd.group]?.contains(version) ?? false) {
                versions[crd.group, default: []].append(version)
            }
        }
        return order.map { ($0, versions[$0] ?? []) }
    }

    var crds: [CustomResourceDefinition] { current().crds }
}
