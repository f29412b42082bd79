import KubeModels

/// `pause` and `resume`: a merge patch of `spec.paused`, reported as `kubectl rollout pause` does.
struct PausedToggle: Sendable {
    let context: PluginContext
    let name: String

    func set(paused: Bool) async throws {
        let reference = AppReleaseObject.reference(name)
        // Read first so that asking twice says so, rather than pretending something changed.
        let current = AppReleaseObject(try await context.appRelease(name))
        guard current.paused != paused else {
            print("\(reference) \(paused ? "already paused" : "not paused")")
            return
        }
        try await context.mergePatch(name, ["spec": ["paused": .bool(paused)]])
        print("\(reference) \(paused ? "paused" : "resumed")")
    }
}
