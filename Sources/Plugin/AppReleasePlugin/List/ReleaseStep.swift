import AppReleaseAPI

/// The STEP column: for a canary in flight, the step being run out of all (`2/5`; the index in
/// `status.currentStepIndex` is 0-based and equals the step count once every step is done).
/// Other strategies, and a settled canary, have none.
enum ReleaseStep {
    static func text(strategy: StrategyType, steps: Int, currentIndex: Int?) -> String? {
        guard strategy == .canary, let currentIndex, steps > 0 else { return nil }
        return "\(min(currentIndex + 1, steps))/\(steps)"
    }
}
