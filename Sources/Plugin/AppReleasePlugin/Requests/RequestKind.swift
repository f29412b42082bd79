import AppReleaseAPI

/// The three requests a user makes through an annotation (`crds/API.md`, "Request annotations"):
/// a new value of the annotation asks once; the controller records what it did with it in
/// `status.acknowledged.results.<kind>`.
enum RequestKind: String, Sendable, CaseIterable {
    case promote
    case abort
    case retry

    var annotation: String {
        switch self {
        case .promote: return AppReleaseAPI.promoteAnnotation
        case .abort: return AppReleaseAPI.abortAnnotation
        case .retry: return AppReleaseAPI.retryAnnotation
        }
    }

    /// The controller's answer to the last request of this kind.
    func result(in status: AppReleaseStatus) -> RequestResult? {
        guard let results = status.acknowledged?.results else { return nil }
        switch self {
        case .promote: return results.promote
        case .abort: return results.abort
        case .retry: return results.retry
        }
    }

    /// The value last acknowledged (acted on) for this kind.
    func acknowledgedValue(in status: AppReleaseStatus) -> String? {
        switch self {
        case .promote: return status.acknowledged?.promote
        case .abort: return status.acknowledged?.abort
        case .retry: return status.acknowledged?.retry
        }
    }
}
