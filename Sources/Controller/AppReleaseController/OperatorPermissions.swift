/// One RBAC rule the operator needs: a resource of an API group and the verbs it sends.
public struct PermissionRule: Hashable, Sendable {
    /// "" for the core group.
    public let group: String
    /// `replicasets`, or `appreleases/status` for a subresource.
    public let resource: String
    /// Every verb the operator may send, sorted as a ClusterRole lists them.
    public let verbs: [String]
    /// Verbs sent only in rare situations (or never sent, but required by admission), which a
    /// test scenario cannot be expected to provoke; each is explained where it is declared.
    public let rareVerbs: Set<String>

    init(_ group: String, _ resource: String, _ verbs: [String], rare: Set<String> = []) {
        self.group = group
        self.resource = resource
        self.verbs = verbs
        self.rareVerbs = rare
    }
}

/// The operator's own account of every call it makes to the API server. `manifests/` grants
/// exactly this (a test compares the ClusterRole, the namespaced Role and the leader-election
/// Role with it), and the end-to-end suite checks every request the operator sent against it.
/// A new call means a new line here first.
public enum OperatorPermissions {
    /// Where AppReleases are watched: cluster-wide (ClusterRole) or, with `--namespace`, in that
    /// namespace only (Role).
    public static let workloads: [PermissionRule] = [
        // The informer; the spec is never written, so no get, update or patch.
        PermissionRule("apprelease.dev", "appreleases", ["list", "watch"]),
        // Status writes are merge patches.
        PermissionRule("apprelease.dev", "appreleases/status", ["patch"]),
        // Never sent: the OwnerReferencesPermissionEnforcement admission plugin (OpenShift and
        // hardened clusters) requires it to create a ReplicaSet whose owner reference blocks the
        // AppRelease's deletion.
        PermissionRule("apprelease.dev", "appreleases/finalizers", ["update"], rare: ["update"]),
        // get: only after a create answered AlreadyExists, to adopt the ReplicaSet or refuse to.
        PermissionRule(
            "apps", "replicasets", ["create", "delete", "get", "list", "patch", "watch"], rare: ["get"]),
        // Pods are read for release signals (crash loops, pull errors) and never written.
        PermissionRule("", "pods", ["list", "watch"]),
        // Only the Services and HTTPRoutes an AppRelease names, filtered by name in each namespace;
        // patched (selector, backendRef weights), never created, replaced or deleted.
        PermissionRule("", "services", ["list", "patch", "watch"]),
        PermissionRule("gateway.networking.k8s.io", "httproutes", ["list", "patch", "watch"]),
        // patch: a repeated Event within the aggregation window bumps its count. Rare: a release
        // records one Event per decision, so a repeat needs the same decision on one AppRelease
        // twice within ten minutes (a one-minute chaos run may see none; EventRecorderTests sends it).
        PermissionRule("", "events", ["create", "patch"], rare: ["patch"]),
    ]

    /// In the leader-election namespace (`--leader-election-namespace`, by default the pod's own).
    public static let leaderElection: [PermissionRule] = [
        PermissionRule("coordination.k8s.io", "leases", ["create", "get", "update"]),
    ]

    /// Whether a request (an RBAC verb on a resource of a group) is one of the rules above.
    public static func grants(verb: String, group: String, resource: String) -> Bool {
        (workloads + leaderElection).contains { $0.group == group && $0.resource == resource && $0.verbs.contains(verb) }
    }
}
