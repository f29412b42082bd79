import AppReleaseController
import ControllerRuntime

/// Flags the controllers may need.
struct ControllerSettings: Sendable {
    var workers: Int
    var namespace: String?
    var statusBatchPeriod: Double
}

// ============================================================================================
// CONTROLLER REGISTRATION: the one place where controllers are added to the manager.
// Each controller: take shared informers from `manager.informers`, build its reconciler with
// `manager.api` (instrumented client) and `manager.eventRecorder(component:)`, then
// `manager.addController(name:reconciler:workers:)` and wire `watches` / `owns`.
// ============================================================================================
func registerControllers(with manager: ControllerManager, settings: ControllerSettings) throws {
    AppReleaseController.register(in: manager, workers: settings.workers, statusBatchPeriod: settings.statusBatchPeriod)
}
