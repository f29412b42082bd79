/// Names shared by the CRD, the controller, the engine and the kubectl plugin.
public enum AppReleaseAPI {
    public static let group = "apprelease.dev"
    public static let version = "v1alpha1"
    public static let apiVersion = "apprelease.dev/v1alpha1"
    public static let kind = "AppRelease"

    /// Label on ReplicaSets and pods: the revision (template hash). Our own key, never the
    /// Deployment's `pod-template-hash`, so our ReplicaSets never collide with a Deployment's.
    public static let revisionLabel = "apprelease.dev/revision"
    /// Annotation on ReplicaSets: the revision number (1, 2, …), like `deployment.kubernetes.io/revision`.
    public static let revisionNumberAnnotation = "apprelease.dev/revision-number"
    /// Annotation on ReplicaSets: the image the revision runs.
    public static let imageAnnotation = "apprelease.dev/image"
    /// Annotation on ReplicaSets: `spec.replicas` when the ReplicaSet was last scaled
    /// (`deployment.kubernetes.io/desired-replicas`), to detect scaling events.
    public static let desiredReplicasAnnotation = "apprelease.dev/desired-replicas"
    /// Annotation on ReplicaSets: `replicas + maxSurge` when last scaled
    /// (`deployment.kubernetes.io/max-replicas`), for proportional scaling.
    public static let maxReplicasAnnotation = "apprelease.dev/max-replicas"

    /// Request annotations on the AppRelease: a new value asks once.
    public static let retryAnnotation = "apprelease.dev/retry"
    public static let abortAnnotation = "apprelease.dev/abort"
    public static let promoteAnnotation = "apprelease.dev/promote"
}
