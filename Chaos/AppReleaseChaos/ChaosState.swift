import AppReleaseAPI
import KubeModels
import KubeSim

/// Reads of kubesim's own state: what the checker trusts, never the operator's bookkeeping.
enum ChaosState {
    static func condition(_ type: String, of object: JSONValue) -> (status: String, reason: String)? {
        let conditions = object[path: "status", "conditions"]?.arrayValue ?? []
        guard let condition = conditions.first(where: { $0["type"]?.stringValue == type }) else { return nil }
        return (condition["status"]?.stringValue ?? "", condition["reason"]?.stringValue ?? "")
    }

    /// Endpoints marked ready across a Service's EndpointSlices: what traffic reaches.
    static func readyEndpoints(of service: String, in sim: KubeSim, namespace: String) -> Int {
        let slices = sim.store.list(.endpointSlices, namespace: namespace, labelSelector: ["kubernetes.io/service-name": service]).items
        return slices.reduce(0) { total, slice in
            total + (slice["endpoints"]?.arrayValue ?? []).filter { $0[path: "conditions", "ready"]?.boolValue == true }.count
        }
    }

    static func leaseHolder(in sim: KubeSim, settings: ChaosSettings) -> String? {
        let lease = try? sim.store.get(.leases, namespace: settings.namespace, name: settings.leaseName)
        return lease?[path: "spec", "holderIdentity"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// `apprelease-controller/<version> (<identity>)`: each replica's user agent names it.
    static func identity(inUserAgent userAgent: String) -> String? {
        guard userAgent.hasPrefix("apprelease-controller/"), let open = userAgent.lastIndex(of: "("), userAgent.hasSuffix(")") else { return nil }
        return String(userAgent[userAgent.index(after: open)..<userAgent.index(before: userAgent.endIndex)])
    }

    /// A one-line account of an AppRelease, for violation messages.
    static func summary(of object: JSONValue) -> String {
        let status = object["status"]
        let ready = condition("Ready", of: object)
        let degraded = condition("Degraded", of: object)
        return "generation \(object.meta.generation), observed \(status?["observedGeneration"]?.intValue.map(String.init) ?? "none"), "
            + "phase \(status?["phase"]?.stringValue ?? "none"), Ready \(ready.map { "\($0.status) \($0.reason)" } ?? "absent"), "
            + "Degraded \(degraded.map { "\($0.status) \($0.reason)" } ?? "absent"), stable \(short(status?["stableImage"]?.stringValue))"
    }

    static func short(_ image: String?) -> String {
        guard let image else { return "none" }
        guard let at = image.firstIndex(of: "@") else { return image }
        return String(image[..<at].split(separator: "/").last ?? "") + "@…" + String(image.suffix(6))
    }
}
