/// Tables for k8s.io/api/core/v1.Pod, PodSpec and PodTemplateSpec (field numbers from generated.proto).
/// Not decoded (415 when sent): PodSpec volumes (1), affinity (18), topologySpreadConstraints (33),
/// ephemeralContainers (34), resourceClaims (39), schedulingGroup (43), evictionResponders (44);
/// PodStatus container statuses (8, 10, 13) and resource claim / allocation fields (15, 18...22).
enum PodSchemas {
    static let pod = MessageSchema.object(MessageSchema.core, "Pod", spec: podSpec, status: podStatus)

    static let podTemplateSpec = MessageSchema.core(
        "PodTemplateSpec", [.message(1, "metadata", MetaSchemas.objectMeta), .message(2, "spec", podSpec)])

    static let podSpec = MessageSchema.core(
        "PodSpec",
        [
            .message(2, "containers", ContainerSchemas.container, .repeated), .string(3, "restartPolicy"),
            .int64(4, "terminationGracePeriodSeconds", .pointer), .int64(5, "activeDeadlineSeconds", .pointer),
            .string(6, "dnsPolicy"), .map(7, "nodeSelector"), .string(8, "serviceAccountName"), .string(9, "serviceAccount"),
            .string(10, "nodeName"), .bool(11, "hostNetwork"), .bool(12, "hostPID"), .bool(13, "hostIPC"),
            .message(14, "securityContext", podSecurityContext, .pointer),
            .message(15, "imagePullSecrets", CoreSchemas.localObjectReference, .repeated), .string(16, "hostname"), .string(17, "subdomain"),
            .string(19, "schedulerName"), .message(20, "initContainers", ContainerSchemas.container, .repeated),
            .bool(21, "automountServiceAccountToken", .pointer), .message(22, "tolerations", toleration, .repeated),
            .message(23, "hostAliases", .core("HostAlias", [.string(1, "ip", .always), .string(2, "hostnames", .repeated)]), .repeated),
            .string(24, "priorityClassName"), .int32(25, "priority", .pointer), .message(26, "dnsConfig", podDNSConfig, .pointer),
            .bool(27, "shareProcessNamespace", .pointer),
            .message(28, "readinessGates", .core("PodReadinessGate", [.string(1, "conditionType", .always)]), .repeated),
            .string(29, "runtimeClassName", .pointer), .bool(30, "enableServiceLinks", .pointer),
            .string(31, "preemptionPolicy", .pointer), .map(32, "overhead", ValueSchemas.quantity),
            .bool(35, "setHostnameAsFQDN", .pointer), .message(36, "os", .core("PodOS", [.string(1, "name", .always)]), .pointer),
            .bool(37, "hostUsers", .pointer),
            .message(38, "schedulingGates", .core("PodSchedulingGate", [.string(1, "name", .always)]), .repeated),
            .message(40, "resources", ContainerSchemas.resourceRequirements, .pointer), .string(41, "hostnameOverride", .pointer),
        ])

    static let podSecurityContext = MessageSchema.core(
        "PodSecurityContext",
        [
            .message(1, "seLinuxOptions", seLinuxOptions, .pointer), .int64(2, "runAsUser", .pointer),
            .bool(3, "runAsNonRoot", .pointer), .int64(4, "supplementalGroups", .repeated), .int64(5, "fsGroup", .pointer),
            .int64(6, "runAsGroup", .pointer),
            .message(7, "sysctls", .core("Sysctl", [.string(1, "name", .always), .string(2, "value", .always)]), .repeated),
            .string(9, "fsGroupChangePolicy", .pointer), .message(10, "seccompProfile", seccompProfile, .pointer),
            .message(11, "appArmorProfile", appArmorProfile, .pointer), .string(12, "supplementalGroupsPolicy", .pointer),
            .string(13, "seLinuxChangePolicy", .pointer),
        ])

    static let seLinuxOptions = MessageSchema.core(
        "SELinuxOptions", [.string(1, "user"), .string(2, "role"), .string(3, "type"), .string(4, "level")])

    static let seccompProfile = MessageSchema.core(
        "SeccompProfile", [.string(1, "type", .always), .string(2, "localhostProfile", .pointer)])

    static let appArmorProfile = MessageSchema.core(
        "AppArmorProfile", [.string(1, "type", .always), .string(2, "localhostProfile", .pointer)])

    static let toleration = MessageSchema.core(
        "Toleration",
        [
            .string(1, "key"), .string(2, "operator"), .string(3, "value"), .string(4, "effect"),
            .int64(5, "tolerationSeconds", .pointer),
        ])

    static let podDNSConfig = MessageSchema.core(
        "PodDNSConfig",
        [
            .string(1, "nameservers", .repeated), .string(2, "searches", .repeated),
            .message(3, "options", .core("PodDNSConfigOption", [.string(1, "name"), .string(2, "value", .pointer)]), .repeated),
        ])

    static let podStatus = MessageSchema.core(
        "PodStatus",
        [
            .string(1, "phase"), .message(2, "conditions", podCondition, .repeated), .string(3, "message"), .string(4, "reason"),
            .string(5, "hostIP"), .string(6, "podIP"), .time(7, "startTime"), .string(9, "qosClass"),
            .string(11, "nominatedNodeName"), .message(12, "podIPs", .core("PodIP", [.string(1, "ip", .always)]), .repeated),
            .string(14, "resize"), .message(16, "hostIPs", .core("HostIP", [.string(1, "ip", .always)]), .repeated),
            .int64(17, "observedGeneration"),
        ])

    static let podCondition = MessageSchema.core(
        "PodCondition",
        [
            .string(1, "type", .always), .string(2, "status", .always), .time(3, "lastProbeTime"), .time(4, "lastTransitionTime"),
            .string(5, "reason"), .string(6, "message"), .int64(7, "observedGeneration"),
        ])
}
