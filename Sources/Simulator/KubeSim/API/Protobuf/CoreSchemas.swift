/// Tables for the simpler k8s.io/api/core/v1 kinds (field numbers from its generated.proto).
/// Pods and their parts are in `PodSchemas` and `ContainerSchemas`.
enum CoreSchemas {
    static let namespace = MessageSchema.object(
        MessageSchema.core, "Namespace", spec: .core("NamespaceSpec", [.string(1, "finalizers", .repeated)]),
        status: .core("NamespaceStatus", [.string(1, "phase"), .message(2, "conditions", namespaceCondition, .repeated)]))

    static let namespaceCondition = MessageSchema.core(
        "NamespaceCondition",
        [
            .string(1, "type", .always), .string(2, "status", .always), .time(4, "lastTransitionTime"),
            .string(5, "reason"), .string(6, "message"),
        ])

    static let configMap = MessageSchema.core(
        "ConfigMap",
        [
            .message(1, "metadata", MetaSchemas.objectMeta), .map(2, "data"), .map(3, "binaryData", .bytes),
            .bool(4, "immutable", .pointer),
        ])

    static let secret = MessageSchema.core(
        "Secret",
        [
            .message(1, "metadata", MetaSchemas.objectMeta), .map(2, "data", .bytes), .string(3, "type"),
            .map(4, "stringData"), .bool(5, "immutable", .pointer),
        ])

    static let serviceAccount = MessageSchema.core(
        "ServiceAccount",
        [
            .message(1, "metadata", MetaSchemas.objectMeta), .message(2, "secrets", objectReference, .repeated),
            .message(3, "imagePullSecrets", localObjectReference, .repeated), .bool(4, "automountServiceAccountToken", .pointer),
        ])

    static let objectReference = MessageSchema.core(
        "ObjectReference",
        [
            .string(1, "kind"), .string(2, "namespace"), .string(3, "name"), .string(4, "uid"), .string(5, "apiVersion"),
            .string(6, "resourceVersion"), .string(7, "fieldPath"),
        ])

    static let localObjectReference = MessageSchema.core("LocalObjectReference", [.string(1, "name")])

    static let service = MessageSchema.object(MessageSchema.core, "Service", spec: serviceSpec, status: serviceStatus)

    static let serviceSpec = MessageSchema.core(
        "ServiceSpec",
        [
            .message(1, "ports", servicePort, .repeated), .map(2, "selector"), .string(3, "clusterIP"), .string(4, "type"),
            .string(5, "externalIPs", .repeated), .string(7, "sessionAffinity"), .string(8, "loadBalancerIP"),
            .string(9, "loadBalancerSourceRanges", .repeated), .string(10, "externalName"), .string(11, "externalTrafficPolicy"),
            .int32(12, "healthCheckNodePort"), .bool(13, "publishNotReadyAddresses"),
            .message(14, "sessionAffinityConfig", sessionAffinityConfig, .pointer), .string(17, "ipFamilyPolicy", .pointer),
            .string(18, "clusterIPs", .repeated), .string(19, "ipFamilies", .repeated), .bool(20, "allocateLoadBalancerNodePorts", .pointer),
            .string(21, "loadBalancerClass", .pointer), .string(22, "internalTrafficPolicy", .pointer),
            .string(23, "trafficDistribution", .pointer),
        ])

    static let servicePort = MessageSchema.core(
        "ServicePort",
        [
            .string(1, "name"), .string(2, "protocol"), .int32(3, "port", .always), .intOrString(4, "targetPort"),
            .int32(5, "nodePort"), .string(6, "appProtocol", .pointer),
        ])

    static let sessionAffinityConfig = MessageSchema.core(
        "SessionAffinityConfig",
        [.message(1, "clientIP", .core("ClientIPConfig", [.int32(1, "timeoutSeconds", .pointer)]), .pointer)])

    static let serviceStatus = MessageSchema.core(
        "ServiceStatus",
        [
            .message(1, "loadBalancer", .core("LoadBalancerStatus", [.message(1, "ingress", loadBalancerIngress, .repeated)])),
            .message(2, "conditions", MetaSchemas.condition, .repeated),
        ])

    static let loadBalancerIngress = MessageSchema.core(
        "LoadBalancerIngress",
        [
            .string(1, "ip"), .string(2, "hostname"), .string(3, "ipMode", .pointer),
            .message(
                4, "ports",
                .core("PortStatus", [.int32(1, "port", .always), .string(2, "protocol", .always), .string(3, "error", .pointer)]), .repeated),
        ])
}
