/// Tables for k8s.io/api/rbac/v1 (field numbers from its generated.proto).
enum RBACSchemas {
    static let role = MessageSchema.rbac("Role", [.message(1, "metadata", MetaSchemas.objectMeta), .message(2, "rules", policyRule, .repeated)])

    static let clusterRole = MessageSchema.rbac(
        "ClusterRole",
        [
            .message(1, "metadata", MetaSchemas.objectMeta), .message(2, "rules", policyRule, .repeated),
            .message(
                3, "aggregationRule", .rbac("AggregationRule", [.message(1, "clusterRoleSelectors", MetaSchemas.labelSelector, .repeated)]),
                .pointer),
        ])

    static let roleBinding = binding("RoleBinding")

    static let clusterRoleBinding = binding("ClusterRoleBinding")

    static func binding(_ name: String) -> MessageSchema {
        .rbac(name, [.message(1, "metadata", MetaSchemas.objectMeta), .message(2, "subjects", subject, .repeated), .message(3, "roleRef", roleRef)])
    }

    static let policyRule = MessageSchema.rbac(
        "PolicyRule",
        [
            .string(1, "verbs", .repeated), .string(2, "apiGroups", .repeated), .string(3, "resources", .repeated), .string(4, "resourceNames", .repeated),
            .string(5, "nonResourceURLs", .repeated),
        ])

    static let subject = MessageSchema.rbac(
        "Subject", [.string(1, "kind", .always), .string(2, "apiGroup"), .string(3, "name", .always), .string(4, "namespace")])

    static let roleRef = MessageSchema.rbac(
        "RoleRef", [.string(1, "apiGroup", .always), .string(2, "kind", .always), .string(3, "name", .always)])
}
