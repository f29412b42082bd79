import AppReleaseAPI
import Foundation
import KubeClient
import KubeModels

/// `get --watch`: the view of `get`, drawn again whenever something it shows changes.
///
/// Four watches feed it (the AppRelease by name, its ReplicaSets and pods by label selector, its
/// Events by involvedObject), each resumed on errors (`ResumingWatch`); nothing is polled. A
/// change only marks the view dirty; the drawing task waits `settle` after the first change of
/// a burst (a scale writes the ReplicaSet, then each pod several times within milliseconds) and
/// draws once, and only when the view differs from the one last drawn.
struct LiveReleaseView: Sendable {
    let context: PluginContext
    let name: String
    let display: ViewDisplay
    var clock: any Clock<Duration> = ContinuousClock()
    var settle: Duration = .milliseconds(150)
    var now: @Sendable () -> Date = { Date() }
    var retryDelays: [Duration] = [.milliseconds(500), .seconds(1), .seconds(2), .seconds(4), .seconds(8)]

    /// What the watches have delivered so far.
    struct State: Sendable {
        var objects: ReleaseObjects
        /// Collections listed at least once: the first view waits for all of them.
        var synced: Set<String> = []
        /// Bumped by every change, so the drawing task can tell whether anything is new.
        var version = 0
        var deleted = false
    }

    private static let collections = ["appreleases", "replicasets", "pods", "events"]

    /// Runs until the AppRelease is deleted (returns) or the task is cancelled (Ctrl-C).
    func run() async throws {
        let first = try await context.appRelease(name)
        let state = LockedValue(State(objects: ReleaseObjects(appRelease: first)))
        let (changes, changed) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let workload = ReleaseSelectors.workload(first)
        let feeds: [(GroupVersionResource, label: String?, field: String?, apply: @Sendable (inout State, ResumingWatch.Items) -> Void)] = [
            (.appReleases, nil, ReleaseSelectors.appRelease(name), { [name] state, items in
                if let object = items[name] { state.objects.appRelease = object } else { state.deleted = true }
            }),
            (.replicaSets, workload, nil, { state, items in state.objects.replicaSets = Array(items.values) }),
            (.pods, workload, nil, { state, items in state.objects.pods = Array(items.values) }),
            (.events, nil, ReleaseSelectors.events(name), { state, items in state.objects.events = Array(items.values) }),
        ]
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (resource, label, field, apply) in feeds {
                let watch = ResumingWatch(
                    api: context.api, resource: resource, namespace: context.namespace, labelSelector: label, fieldSelector: field,
                    clock: clock, retryDelays: retryDelays)
                group.addTask {
                    try await watch.run(
                        onChange: { items in
                            state.update { current in
                                apply(&current, items)
                                current.synced.insert(resource.resource)
                                current.version += 1
                            }
                            changed.yield()
                            return true
                        },
                        onInterruption: { error in
                            display.console.err("warning: watch of \(resource.resource) interrupted (\(error)); resuming\n")
                        })
                }
            }
            group.addTask { try await draw(state: state, changes: changes) }
            // The first task to end decides: drawing ends when the AppRelease is deleted; a
            // watch ends only by throwing (its first list failed).
            _ = try await group.next()
            group.cancelAll()
        }
    }

    private func draw(state: LockedValue<State>, changes: AsyncStream<Void>) async throws {
        var drawnVersion = -1
        var drawn: ReleaseView?
        for await _ in changes {
            guard state.value.synced.count == Self.collections.count || state.value.deleted else { continue }
            if drawn != nil { try await clock.sleep(for: settle) }
            let current = state.value
            if current.deleted {
                display.console.out("\nappreleases.\(AppReleaseAPI.group) \"\(name)\" deleted\n")
                return
            }
            guard current.version != drawnVersion else { continue }
            drawnVersion = current.version
            var objects = current.objects
            await objects.loadTraffic(context.api, namespace: context.namespace)
            let view = ReleaseView(objects)
            guard view != drawn else { continue }
            drawn = view
            display.show(ReleaseViewRenderer.render(view, now: now()))
        }
    }
}
