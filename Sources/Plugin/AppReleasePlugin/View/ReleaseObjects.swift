import AppReleaseAPI
import KubeModels

/// The objects `get` shows for one AppRelease, as read from the API: the AppRelease, the
/// ReplicaSets it controls, their pods, its Events, and the Services / HTTPRoute its strategy
/// names (those two only when they could be read).
struct ReleaseObjects: Sendable, Equatable {
    var appRelease: JSONValue
    /// Every ReplicaSet read with `ReleaseSelectors.workload`; `owned` keeps ours.
    var replicaSets: [JSONValue] = []
    var pods: [JSONValue] = []
    var events: [JSONValue] = []
    /// By name; a named Service that does not exist (or could not be read) is absent.
    var services: [String: JSONValue] = [:]
    var httpRoute: JSONValue?

    var uid: String { appRelease.meta.uid }

    /// ReplicaSets the AppRelease controls (the controller reference with its uid) that carry a
    /// revision label: another AppRelease's or a Deployment's never show up here.
    var ownedReplicaSets: [JSONValue] {
        replicaSets.filter { replicaSet in
            let meta = replicaSet.meta
            return meta.controllerReference?.uid == uid && meta.labels[AppReleaseAPI.revisionLabel] != nil
        }
    }

    /// Pods controlled by one of the owned ReplicaSets.
    var ownedPods: [JSONValue] {
        let owners = Set(ownedReplicaSets.map { $0.meta.uid })
        return pods.filter { pod in pod.meta.controllerReference.map { owners.contains($0.uid) } ?? false }
    }

    /// Events about this AppRelease (not an earlier one of the same name).
    var ownEvents: [JSONValue] {
        events.filter { event in
            let involvedUID = event[path: "involvedObject", "uid"]?.stringValue ?? ""
            return involvedUID.isEmpty || involvedUID == uid
        }
    }
}

/// The selectors that find an AppRelease's objects with list and watch.
enum ReleaseSelectors {
    static func appRelease(_ name: String) -> String { "metadata.name=\(name)" }

    static func events(_ name: String) -> String {
        "involvedObject.kind=\(AppReleaseAPI.kind),involvedObject.name=\(name)"
    }

    /// ReplicaSets and pods: the AppRelease's own selector (its pods' labels) narrowed to those
    /// carrying our revision label, so the API server sends only candidates; ownership is
    /// checked on what comes back.
    static func workload(_ appRelease: JSONValue) -> String {
        var parts: [String] = []
        if let selector = appRelease[path: "status", "selector"]?.stringValue, !selector.isEmpty {
            parts.append(selector)
        } else if let selector = try? appRelease[path: "spec", "selector"]?.decode(LabelSelector.self), !selector.isEmpty {
            parts.append(selector.selectorString)
        }
        parts.append(AppReleaseAPI.revisionLabel)
        return parts.joined(separator: ",")
    }

    /// The Services the strategy names and the HTTPRoute, from the spec (unknown fields and a
    /// spec that does not decode name nothing).
    static func trafficObjects(_ appRelease: JSONValue) -> (services: [String], httpRoute: String?) {
        guard let spec = try? (appRelease["spec"] ?? .null).decode(AppReleaseSpec.self) else { return ([], nil) }
        switch spec.strategy?.type {
        case .blueGreen?:
            let blueGreen = spec.strategy?.blueGreen
            return ([blueGreen?.activeService, blueGreen?.previewService].compactMap { $0 }, nil)
        case .canary?:
            let canary = spec.strategy?.canary
            return ([canary?.stableService, canary?.canaryService].compactMap { $0 }, canary?.trafficRouting?.httpRoute?.name)
        default:
            return ([], nil)
        }
    }
}
