/// Tables for k8s.io/api/core/v1.Container and its parts (field numbers from generated.proto).
/// Not decoded (415 when sent): volumeDevices (21), restartPolicyRules (25).
enum ContainerSchemas {
    static let container = MessageSchema.core(
        "Container",
        [
            .string(1, "name", .always), .string(2, "image"), .string(3, "command", .repeated), .string(4, "args", .repeated),
            .string(5, "workingDir"), .message(6, "ports", containerPort, .repeated), .message(7, "env", envVar, .repeated),
            .message(8, "resources", resourceRequirements), .message(9, "volumeMounts", volumeMount, .repeated),
            .message(10, "livenessProbe", probe, .pointer), .message(11, "readinessProbe", probe, .pointer),
            .message(12, "lifecycle", lifecycle, .pointer),
            .string(13, "terminationMessagePath"), .string(14, "imagePullPolicy"),
            .message(15, "securityContext", securityContext, .pointer), .bool(16, "stdin"), .bool(17, "stdinOnce"),
            .bool(18, "tty"), .message(19, "envFrom", envFromSource, .repeated), .string(20, "terminationMessagePolicy"),
            .message(22, "startupProbe", probe, .pointer),
            .message(23, "resizePolicy", .core("ContainerResizePolicy", [.string(1, "resourceName", .always), .string(2, "restartPolicy", .always)]), .repeated),
            .string(24, "restartPolicy", .pointer),
        ])

    static let containerPort = MessageSchema.core(
        "ContainerPort",
        [
            .string(1, "name"), .int32(2, "hostPort"), .int32(3, "containerPort", .always), .string(4, "protocol"),
            .string(5, "hostIP"),
        ])

    static let envVar = MessageSchema.core(
        "EnvVar", [.string(1, "name", .always), .string(2, "value"), .message(3, "valueFrom", envVarSource, .pointer)])

    static let envVarSource = MessageSchema.core(
        "EnvVarSource",
        [
            .message(1, "fieldRef", .core("ObjectFieldSelector", [.string(1, "apiVersion"), .string(2, "fieldPath", .always)]), .pointer),
            .message(
                2, "resourceFieldRef",
                .core("ResourceFieldSelector", [.string(1, "containerName"), .string(2, "resource", .always), .quantity(3, "divisor")]),
                .pointer),
            .message(3, "configMapKeyRef", keySelector("ConfigMapKeySelector"), .pointer),
            .message(4, "secretKeyRef", keySelector("SecretKeySelector"), .pointer),
        ])

    static func keySelector(_ name: String) -> MessageSchema {
        .core(name, [.inline(1, CoreSchemas.localObjectReference), .string(2, "key", .always), .bool(3, "optional", .pointer)])
    }

    static let envFromSource = MessageSchema.core(
        "EnvFromSource",
        [
            .string(1, "prefix"), .message(2, "configMapRef", envSource("ConfigMapEnvSource"), .pointer),
            .message(3, "secretRef", envSource("SecretEnvSource"), .pointer),
        ])

    static func envSource(_ name: String) -> MessageSchema {
        .core(name, [.inline(1, CoreSchemas.localObjectReference), .bool(2, "optional", .pointer)])
    }

    static let resourceRequirements = MessageSchema.core(
        "ResourceRequirements",
        [
            .map(1, "limits", ValueSchemas.quantity), .map(2, "requests", ValueSchemas.quantity),
            .message(3, "claims", .core("ResourceClaim", [.string(1, "name", .always), .string(2, "request")]), .repeated),
        ])

    static let volumeMount = MessageSchema.core(
        "VolumeMount",
        [
            .string(1, "name", .always), .bool(2, "readOnly"), .string(3, "mountPath", .always), .string(4, "subPath"),
            .string(5, "mountPropagation", .pointer), .string(6, "subPathExpr"), .string(7, "recursiveReadOnly", .pointer),
            .string(8, "bindMountOptions", .repeated),
        ])

    static let probe = MessageSchema.core(
        "Probe",
        [
            .inline(1, probeHandler), .int32(2, "initialDelaySeconds"), .int32(3, "timeoutSeconds"), .int32(4, "periodSeconds"),
            .int32(5, "successThreshold"), .int32(6, "failureThreshold"), .int64(7, "terminationGracePeriodSeconds", .pointer),
        ])

    static let probeHandler = MessageSchema.core(
        "ProbeHandler",
        [
            .message(1, "exec", execAction, .pointer), .message(2, "httpGet", httpGetAction, .pointer),
            .message(3, "tcpSocket", tcpSocketAction, .pointer),
            .message(
                4, "grpc", .core("GRPCAction", [.int32(1, "port", .always), .string(2, "service", .pointer), .string(3, "mode", .pointer)]),
                .pointer),
        ])

    static let lifecycle = MessageSchema.core(
        "Lifecycle",
        [
            .message(1, "postStart", lifecycleHandler, .pointer), .message(2, "preStop", lifecycleHandler, .pointer),
            .string(3, "stopSignal", .pointer),
        ])

    static let lifecycleHandler = MessageSchema.core(
        "LifecycleHandler",
        [
            .message(1, "exec", execAction, .pointer), .message(2, "httpGet", httpGetAction, .pointer),
            .message(3, "tcpSocket", tcpSocketAction, .pointer),
            .message(4, "sleep", .core("SleepAction", [.int64(1, "seconds", .always)]), .pointer),
        ])

    static let execAction = MessageSchema.core("ExecAction", [.string(1, "command", .repeated)])

    static let tcpSocketAction = MessageSchema.core("TCPSocketAction", [.intOrString(1, "port", .always), .string(2, "host")])

    static let httpGetAction = MessageSchema.core(
        "HTTPGetAction",
        [
            .string(1, "path"), .intOrString(2, "port", .always), .string(3, "host"), .string(4, "scheme"),
            .message(5, "httpHeaders", .core("HTTPHeader", [.string(1, "name", .always), .string(2, "value", .always)]), .repeated),
            .string(6, "protocol", .pointer),
        ])

    static let securityContext = MessageSchema.core(
        "SecurityContext",
        [
            .message(1, "capabilities", .core("Capabilities", [.string(1, "add", .repeated), .string(2, "drop", .repeated)]), .pointer),
            .bool(2, "privileged", .pointer), .message(3, "seLinuxOptions", PodSchemas.seLinuxOptions, .pointer),
            .int64(4, "runAsUser", .pointer), .bool(5, "runAsNonRoot", .pointer), .bool(6, "readOnlyRootFilesystem", .pointer),
            .bool(7, "allowPrivilegeEscalation", .pointer), .int64(8, "runAsGroup", .pointer), .string(9, "procMount", .pointer),
            .message(11, "seccompProfile", PodSchemas.seccompProfile, .pointer),
            .message(12, "appArmorProfile", PodSchemas.appArmorProfile, .pointer),
        ])
}
