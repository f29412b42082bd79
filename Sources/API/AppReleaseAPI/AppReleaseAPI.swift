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
    /// A value starting with `full` (`full`, `full-1733570000`) skips every remaining step.
    public static let promoteAnnotation = "\(group)/promote"
    public static let fullPromotionPrefix = "full"

    /// The reference that makes the AppRelease `name` (`uid`) the controller of a ReplicaSet.
    public static func controllerReference(name: String, uid: String) -> OwnerReference {
        .controller(apiVersion: apiVersion, kind: kind, name: name, uid: uid)
    }

    /// Reasons of the conditions (and of `status.failure` and history entries), as `kubectl describe` shows them.
    public enum ConditionReason {
        public static let invalidSpec = "InvalidSpec"
        public static let asExpected = "AsExpected"
        public static let releasePaused = "ReleasePaused"
        public static let releaseInProgress = "ReleaseInProgress"
        public static let releaseComplete = "ReleaseComplete"
        public static let scalingReplicaSet = "ScalingReplicaSet"
        public static let specValid = "SpecValid"
        public static let specPaused = "SpecPaused"
        public static let rollingBack = "RollingBack"
        public static let rolledBack = "RolledBack"
        public static let replicaSetUpdated = "ReplicaSetUpdated"
        public static let notPaused = "NotPaused"
        public static let minimumReplicasUnavailable = "MinimumReplicasUnavailable"
        public static let minimumReplicasAvailable = "MinimumReplicasAvailable"
        /// Ready / Reconciling: the released revision has all its pods, and some are not available.
        public static let podsUnavailable = "PodsUnavailable"
        // Why a release failed.
        /// The new revision made no progress for progressDeadlineSeconds.
        public static let progressDeadlineExceeded = "ProgressDeadlineExceeded"
        /// A new pod restarted more than failFast.maxRestarts times.
        public static let crashLoop = "CrashLoop"
        /// The image cannot be pulled.
        public static let imagePullFailed = "ImagePullFailed"
        /// The container cannot be created as configured.
        public static let containerConfigError = "ContainerConfigError"
        /// The release was aborted on request.
        public static let aborted = "Aborted"
        // Why a release waits.
        /// BlueGreen: the new revision is ready and waits for `promote` (or its automatic delay);
        /// Canary: a `pause: {}` step waits for `promote`.
        public static let awaitingPromotion = "AwaitingPromotion"
        /// Canary: a timed `pause` step.
        public static let canaryPauseStep = "CanaryPauseStep"
        // Why a release cannot move: an object the strategy names is missing.
        public static let serviceNotFound = "ServiceNotFound"
        public static let httpRouteNotFound = "HTTPRouteNotFound"
        public static let backendRefNotFound = "BackendRefNotFound"
        /// The cluster does not serve gateway.networking.k8s.io/v1 HTTPRoutes.
        public static let gatewayAPINotInstalled = "GatewayAPINotInstalled"
        /// The reasons above: a release cannot move until the object appears.
        public static let blocked: Set<String> = [serviceNotFound, httpRouteNotFound, backendRefNotFound, gatewayAPINotInstalled]
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
