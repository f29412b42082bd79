import KubeClient
import KubeModels

extension ReleaseObjects {
    /// Reads everything `get` shows, once.
    static func load(_ context: PluginContext, name: String) async throws -> ReleaseObjects {
        let appRelease = try await context.appRelease(name)
        let api = context.api
        let namespace = context.namespace
        let workload = ListOptions(labelSelector: ReleaseSelectors.workload(appRelease))
        async let replicaSets = api.listAll(.replicaSets, namespace: namespace, options: workload)
        async let pods = api.listAll(.pods, namespace: namespace, options: workload)
        async let events = api.listAll(.events, namespace: namespace, options: ListOptions(fieldSelector: ReleaseSelectors.events(name)))
        var objects = ReleaseObjects(appRelease: appRelease)
        objects.replicaSets = try await replicaSets.items
        objects.pods = try await pods.items
        objects.events = try await events.items
        await objects.loadTraffic(api, namespace: namespace)
        return objects
    }

    /// Reads the Services and the HTTPRoute the strategy names. Best effort: they only add to
    /// the view, and a user allowed to read AppReleases may not be allowed to read routes.
    mutating func loadTraffic(_ api: any KubernetesAPI, namespace: String) async {
        let (names, route) = ReleaseSelectors.trafficObjects(appRelease)
        var found: [String: JSONValue] = [:]
        for name in names {
            if let service = try? await api.get(.services, namespace: namespace, name: name) { found[name] = service }
        }
        services = found
        httpRoute = nil
        if let route { httpRoute = try? await api.get(.httpRoutes, namespace: namespace, name: route) }
    }
}
