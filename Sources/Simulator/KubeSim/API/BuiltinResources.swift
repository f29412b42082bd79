import KubeModels

/// The one table of built-in resources kubesim serves. Discovery, storage semantics and kubectl's
/// short names / categories all come from here.
public enum BuiltinResources {
    private static func gvr(_ group: String, _ version: String, _ resource: String, _ kind: String, namespaced: Bool = true)
        -> GroupVersionResource
    {
        GroupVersionResource(group: group, version: version, resource: resource, kind: kind, namespaced: namespaced)
    }

    public static let all: [ResourceInfo] = [
        ResourceInfo(gvr: .namespaces, hasStatus: true, shortNames: ["ns"], tracksGeneration: false),
        ResourceInfo(gvr: .pods, hasStatus: true, shortNames: ["po"], categories: ["all"], tracksGeneration: true),
        ResourceInfo(gvr: .nodes, hasStatus: true, shortNames: ["no"], tracksGeneration: false),
        ResourceInfo(gvr: .services, hasStatus: true, shortNames: ["svc"], categories: ["all"], tracksGeneration: false),
        ResourceInfo(gvr: .endpoints, singular: "endpoints", shortNames: ["ep"]),
        ResourceInfo(gvr: .events, shortNames: ["ev"]),
        ResourceInfo(gvr: .configMaps, shortNames: ["cm"]),
        ResourceInfo(gvr: .secrets),
        ResourceInfo(gvr: gvr("", "v1", "serviceaccounts", "ServiceAccount"), shortNames: ["sa"]),
        ResourceInfo(gvr: .replicaSets, hasStatus: true, hasScale: true, shortNames: ["rs"], categories: ["all"]),
        ResourceInfo(gvr: .deployments, hasStatus: true, hasScale: true, shortNames: ["deploy"], categories: ["all"]),
        ResourceInfo(gvr: .leases),
        ResourceInfo(gvr: .eventsV1, shortNames: ["ev"]),
        ResourceInfo(gvr: .endpointSlices),
        ResourceInfo(gvr: .customResourceDefinitions, hasStatus: true, shortNames: ["crd", "crds"], categories: ["api-extensions"]),
        ResourceInfo(gvr: gvr("rbac.authorization.k8s.io", "v1", "roles", "Role")),
        ResourceInfo(gvr: gvr("rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding")),
        ResourceInfo(gvr: gvr("rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRole", namespaced: false)),
        ResourceInfo(gvr: gvr("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "ClusterRoleBinding", namespaced: false)),
        // Stored and served only, so manifests that ship with an HPA or a PDB apply as they do on a
        // real cluster. Nothing acts on them: kubesim has no autoscaler and no eviction API.
        ResourceInfo(
            gvr: gvr("autoscaling", "v2", "horizontalpodautoscalers", "HorizontalPodAutoscaler"), hasStatus: true, shortNames: ["hpa"],
            categories: ["all"]),
        ResourceInfo(gvr: gvr("policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget"), hasStatus: true, shortNames: ["pdb"]),
    ]

    public static let byKey: [ResourceKey: ResourceInfo] = Dictionary(
        all.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
}
