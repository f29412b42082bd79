/// The kinds kubesim can read from protobuf, by apiVersion and kind. Others are answered with
/// 415 and a request to send JSON.
enum KindSchemas {
    static let byType: [String: MessageSchema] = [
        key("v1", "Namespace"): CoreSchemas.namespace,
        key("v1", "ConfigMap"): CoreSchemas.configMap,
        key("v1", "Secret"): CoreSchemas.secret,
        key("v1", "Service"): CoreSchemas.service,
        key("v1", "ServiceAccount"): CoreSchemas.serviceAccount,
        key("v1", "Pod"): PodSchemas.pod,
        key("apps/v1", "Deployment"): AppsSchemas.deployment,
        key("apps/v1", "ReplicaSet"): AppsSchemas.replicaSet,
        key("rbac.authorization.k8s.io/v1", "Role"): RBACSchemas.role,
        key("rbac.authorization.k8s.io/v1", "ClusterRole"): RBACSchemas.clusterRole,
        key("rbac.authorization.k8s.io/v1", "RoleBinding"): RBACSchemas.roleBinding,
        key("rbac.authorization.k8s.io/v1", "ClusterRoleBinding"): RBACSchemas.clusterRoleBinding,
    ]

    static func schema(apiVersion: String, kind: String) -> MessageSchema? {
        byType[key(apiVersion, kind)]
    }

    private static func key(_ apiVersion: String, _ kind: String) -> String { "\(apiVersion)/\(kind)" }
}
