import KubeModels

/// Names shared by the CRD, the controller, the engine and the kubectl plugin. The group is
/// written here once; every label, annotation and reference derives from it.
public enum AppReleaseAPI {
    public static let group = "apprelease.dev"
    public static let version = "v1alpha1"
    public static let apiVersion = "\(group)/\(version)"
    public static let kind = "AppRelease"

    /// Label on ReplicaSets and pods: the revision (template hash). Our own key, never the
    /// Deployment's `pod-template-hash`, so our ReplicaSets never collide with a Deployment's.
    public static let revisionLabel = "\(group)/revision"
    /// Annotation on ReplicaSets: the revision number (1, 2, …), like `deployment.kubernetes.io/revision`.
    public static let revisionNumberAnnotation = "\(group)/revision-number"
    /// Annotation on ReplicaSets: the image the revision runs.
    public static let imageAnnotation = "\(group)/image"
    /// Annotation on ReplicaSets: `spec.replicas` when the ReplicaSet was last scaled
    /// (`deployment.kubernetes.io/desired-replicas`), to detect scaling events.
    public static let desiredReplicasAnnotation = "\(group)/desired-replicas"
    /// Annotation on ReplicaSets: `replicas + maxSurge` when last scaled
    /// (`deployment.kubernetes.io/max-replicas`), for proportional scaling.
    public static let maxReplicasAnnotation = "\(group)/max-replicas"

    /// Request annotations on the AppRelease: a new value asks once.
    public static let retryAnnotation = "\(group)/retry"
    public static let abortAnnotation = "\(group)/abort"
    public static let promoteAnnotation = "\(group)/promote"

    /// The reference that makes the AppRelease `name` (`uid`) the controller of a ReplicaSet.
    public static func controllerReference(name: String, uid: String) -> OwnerReference {
        .controller(apiVersion: apiVersion, kind: kind, name: name, uid: uid)
    }

    /// Condition types set on every AppRelease.
    public enum ConditionType {
        public static let ready = "Ready"
        public static let available = "Available"
        public static let progressing = "Progressing"
        public static let degraded = "Degraded"
        public static let paused = "Paused"
        public static let invalidSpec = "InvalidSpec"
        /// kstatus: the controller is still working toward the spec.
        public static let reconciling = "Reconciling"
        /// kstatus: the controller cannot reach the spec without a change (failed, invalid).
        public static let stalled = "Stalled"
    }
}

extension GroupVersionResource {
    public static let appReleases = GroupVersionResource(
        group: AppReleaseAPI.group, version: AppReleaseAPI.version, resource: "appreleases", kind: AppReleaseAPI.kind, namespaced: true)
}
