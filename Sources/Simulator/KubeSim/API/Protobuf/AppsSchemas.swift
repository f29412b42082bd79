/// Tables for k8s.io/api/apps/v1 Deployment and ReplicaSet (field numbers from its generated.proto).
enum AppsSchemas {
    static let deployment = MessageSchema.object(MessageSchema.apps, "Deployment", spec: deploymentSpec, status: deploymentStatus)

    static let deploymentSpec = MessageSchema.apps(
        "DeploymentSpec",
        [
            .int32(1, "replicas", .pointer), .message(2, "selector", MetaSchemas.labelSelector, .pointer),
            .message(3, "template", PodSchemas.podTemplateSpec), .message(4, "strategy", deploymentStrategy),
            .int32(5, "minReadySeconds"), .int32(6, "revisionHistoryLimit", .pointer), .bool(7, "paused"),
            .int32(9, "progressDeadlineSeconds", .pointer),
        ])

    static let deploymentStrategy = MessageSchema.apps(
        "DeploymentStrategy",
        [
            .string(1, "type"),
            .message(
                2, "rollingUpdate",
                .apps("RollingUpdateDeployment", [.intOrString(1, "maxUnavailable", .pointer), .intOrString(2, "maxSurge", .pointer)]),
                .pointer),
        ])

    static let deploymentStatus = MessageSchema.apps(
        "DeploymentStatus",
        [
            .int64(1, "observedGeneration"), .int32(2, "replicas"), .int32(3, "updatedReplicas"), .int32(4, "availableReplicas"),
            .int32(5, "unavailableReplicas"), .message(6, "conditions", deploymentCondition, .repeated), .int32(7, "readyReplicas"),
            .int32(8, "collisionCount", .pointer), .int32(9, "terminatingReplicas", .pointer),
        ])

    static let deploymentCondition = MessageSchema.apps(
        "DeploymentCondition",
        [
            .string(1, "type", .always), .string(2, "status", .always), .string(4, "reason"), .string(5, "message"),
            .time(6, "lastUpdateTime"), .time(7, "lastTransitionTime"),
        ])

    static let replicaSet = MessageSchema.object(MessageSchema.apps, "ReplicaSet", spec: replicaSetSpec, status: replicaSetStatus)

    static let replicaSetSpec = MessageSchema.apps(
        "ReplicaSetSpec",
        [
            .int32(1, "replicas", .pointer), .message(2, "selector", MetaSchemas.labelSelector, .pointer),
            .message(3, "template", PodSchemas.podTemplateSpec), .int32(4, "minReadySeconds"),
        ])

    static let replicaSetStatus = MessageSchema.apps(
        "ReplicaSetStatus",
        [
            .int32(1, "replicas", .always), .int32(2, "fullyLabeledReplicas"), .int64(3, "observedGeneration"),
            .int32(4, "readyReplicas"), .int32(5, "availableReplicas"), .message(6, "conditions", replicaSetCondition, .repeated),
            .int32(7, "terminatingReplicas", .pointer),
        ])

    static let replicaSetCondition = MessageSchema.apps(
        "ReplicaSetCondition",
        [
            .string(1, "type", .always), .string(2, "status", .always), .time(3, "lastTransitionTime"), .string(4, "reason"),
            .string(5, "message"),
        ])
}
