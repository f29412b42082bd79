import AppReleaseAPI
import KubeModels

/// Builds the ReplicaSet object for one revision of an AppRelease.
public enum ReplicaSetBuilder {
    /// `<appRelease>-<revision>`.
    public static func name(appRelease: String, revision: String) -> String {
        "\(appRelease)-\(revision)"
    }

    /// The complete ReplicaSet: our revision label on the ReplicaSet, its selector and its pod
    /// template; the image applied to the target container; the revision number, image and
    /// replica annotations; an ownerReference with `controller: true` so that deleting the
    /// AppRelease deletes its ReplicaSets (and their pods).
    public static func replicaSet(
        appRelease: ObservedAppRelease, spec: ReleaseSpec, revision: String, revisionNumber: Int, replicas: Int,
        maxReplicas: Int
    ) -> JSONValue {
        var template = spec.templateWithImage
        var templateLabels = template[path: "metadata", "labels"]?.objectValue ?? [:]
        templateLabels[AppReleaseAPI.revisionLabel] = .string(revision)
        var templateMetadata = template["metadata"]?.objectValue ?? [:]
        templateMetadata["labels"] = .object(templateLabels)
        template["metadata"] = .object(templateMetadata)

        var selector = spec.selector
        var matchLabels = selector.matchLabels ?? [:]
        matchLabels[AppReleaseAPI.revisionLabel] = revision
        selector.matchLabels = matchLabels
        var selectorJSON: [String: JSONValue] = [
            "matchLabels": .object(matchLabels.mapValues { .string($0) })
        ]
        if let expressions = selector.matchExpressions, !expressions.isEmpty {
            selectorJSON["matchExpressions"] = .array(
                expressions.map { expression in
                    var fields: [String: JSONValue] = [
                        "key": .string(expression.key), "operator": .string(expression.operator.rawValue),
                    ]
                    if let values = expression.values { fields["values"] = .array(values.map { .string($0) }) }
                    return .object(fields)
                })
        }

        let annotations: [String: JSONValue] = [
            AppReleaseAPI.revisionNumberAnnotation: .string(String(revisionNumber)),
            AppReleaseAPI.imageAnnotation: .string(spec.image),
            AppReleaseAPI.desiredReplicasAnnotation: .string(String(spec.replicas)),
            AppReleaseAPI.maxReplicasAnnotation: .string(String(maxReplicas)),
        ]
        let ownerReference = AppReleaseAPI.controllerReference(name: appRelease.name, uid: appRelease.uid).json
        return [
            "apiVersion": "apps/v1",
            "kind": "ReplicaSet",
            "metadata": [
                "name": .string(name(appRelease: appRelease.name, revision: revision)),
                "namespace": .string(appRelease.namespace),
                "labels": .object(templateLabels),
                "annotations": .object(annotations),
                "ownerReferences": [ownerReference],
            ],
            "spec": [
                "replicas": .int(Int64(replicas)),
                "minReadySeconds": .int(Int64(spec.minReadySeconds)),
                "selector": .object(selectorJSON),
                "template": template,
            ],
        ]
    }
}
